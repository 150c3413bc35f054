import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LanguageModelV3CallOptions, LanguageModelV3FunctionTool } from '@ai-sdk/provider';
import { stepCountIs, streamText, type TextStreamPart, type ToolExecutionOptions, type ToolSet } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config';
import type { Tool } from '../db/schema';
import { OfflineModel } from '../models/offline/offline-model';
import { BUILTIN_TOOL_TIMEOUT_MS, hideContextParameters, resolveCallerTools, resolveTools, runWithTimeout } from './resolve-tools';

/** The URLs of the requests the test server received. */
const received: string[] = [];

/** Answers `/echo` with the query it received, and never answers `/hang`. */
function handle(request: IncomingMessage, response: ServerResponse): void {
	received.push(request.url ?? '/');
	const url = new URL(request.url ?? '/', 'http://test');
	if (url.pathname === '/hang') return;
	response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(Object.fromEntries(url.searchParams)));
}

let server: Server;
let base: string;

beforeAll(async () => {
	server = createServer(handle);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
});

const config = parseConfig({});

/** A tool row with sensible defaults. */
function row(fields: Partial<Tool> & Pick<Tool, 'name' | 'kind'>): Tool {
	return {
		id: 1,
		description: `The ${fields.name} tool.`,
		inputSchema: { type: 'object', properties: {} },
		config: {},
		requiresApproval: false,
		mcpServerId: null,
		createdAt: new Date(0),
		updatedAt: new Date(0),
		...fields
	};
}

/** The options the AI SDK passes to `execute`. */
const call = (abortSignal?: AbortSignal): ToolExecutionOptions => ({ toolCallId: 'call_1', messages: [], abortSignal });

/** Runs a tool of the set as the AI SDK would. */
async function execute(tools: ToolSet, name: string, input: Record<string, unknown>, abortSignal?: AbortSignal) {
	const run = tools[name].execute;
	if (!run) throw new Error(`${name} has no execute`);
	return run(input, call(abortSignal));
}

/** An offline model that records what it was called with. */
class RecordingModel extends OfflineModel {
	readonly calls: LanguageModelV3CallOptions[] = [];
	override doStream(options: LanguageModelV3CallOptions) {
		this.calls.push(options);
		return super.doStream(options);
	}
}

/** Streams one two-step turn of the offline model and collects every part. */
async function streamTurn(tools: ToolSet, prompt: string) {
	const model = new RecordingModel({ tokenDelayMs: 0 });
	const result = streamText({ model, tools, prompt, stopWhen: stepCountIs(2) });
	const parts: TextStreamPart<ToolSet>[] = [];
	for await (const part of result.fullStream) parts.push(part);
	return { parts, model, text: await result.text };
}

describe('hideContextParameters', () => {
	const schema = {
		type: 'object',
		description: 'Search the orders of a user.',
		properties: {
			user_id: { type: 'string' },
			tenant: { type: 'string' },
			query: { type: 'string', description: 'What to search for.' },
			nested: { type: 'object', properties: { user_id: { type: 'string' } }, required: ['user_id'] }
		},
		required: ['user_id', 'query'],
		additionalProperties: false,
		$defs: { id: { type: 'string' } }
	};

	it('removes context keys from properties and required and keeps the rest', () => {
		expect(hideContextParameters(schema, ['user_id', 'tenant'])).toEqual({
			type: 'object',
			description: 'Search the orders of a user.',
			properties: {
				query: { type: 'string', description: 'What to search for.' },
				nested: { type: 'object', properties: { user_id: { type: 'string' } }, required: ['user_id'] }
			},
			required: ['query'],
			additionalProperties: false,
			$defs: { id: { type: 'string' } }
		});
	});

	it('does not change the schema it was given', () => {
		const copy = structuredClone(schema);
		hideContextParameters(schema, ['user_id', 'query']);
		expect(schema).toEqual(copy);
	});

	it('drops required when it empties', () => {
		const hidden = hideContextParameters(schema, ['user_id', 'query']);
		expect(hidden).not.toHaveProperty('required');
		expect(Object.keys(hidden.properties as object)).toEqual(['tenant', 'nested']);
	});

	it('leaves the schema alone when no context key is a property', () => {
		expect(hideContextParameters(schema, [])).toBe(schema);
		expect(hideContextParameters(schema, ['other', 'required', 'type'])).toBe(schema);
		const noProperties = { type: 'object' };
		expect(hideContextParameters(noProperties, ['user_id'])).toBe(noProperties);
	});

	it('ignores keys inherited from Object.prototype', () => {
		expect(hideContextParameters(schema, ['toString', 'constructor'])).toBe(schema);
	});
});

describe('runWithTimeout', () => {
	it('returns what the run returns', async () => {
		expect(await runWithTimeout(() => 42, { toolName: 't', timeoutMs: 1000 })).toBe(42);
		expect(await runWithTimeout(async () => 'ok', { toolName: 't', timeoutMs: 1000 })).toBe('ok');
	});

	it('passes on what the run throws, synchronously or not', async () => {
		const boom = () => {
			throw new Error('boom');
		};
		await expect(runWithTimeout(boom, { toolName: 't', timeoutMs: 1000 })).rejects.toThrow(new Error('boom'));
		await expect(runWithTimeout(async () => boom(), { toolName: 't', timeoutMs: 1000 })).rejects.toThrow(new Error('boom'));
	});

	it('rejects when the time limit passes and aborts the signal given to the run', async () => {
		let given: AbortSignal | undefined;
		const pending = runWithTimeout(
			(signal) => {
				given = signal;
				return new Promise(() => {});
			},
			{ toolName: 'slow', timeoutMs: 20 }
		);
		await expect(pending).rejects.toThrow(new Error('The tool "slow" timed out after 20 ms.'));
		expect(given?.aborted).toBe(true);
	});

	it('rejects when the caller aborts', async () => {
		const controller = new AbortController();
		const pending = runWithTimeout(() => new Promise(() => {}), { toolName: 'slow', timeoutMs: 10_000, signal: controller.signal });
		controller.abort();
		await expect(pending).rejects.toThrow(new Error('The tool "slow" was cancelled.'));
		await expect(runWithTimeout(() => 1, { toolName: 'slow', timeoutMs: 10_000, signal: AbortSignal.abort() })).rejects.toThrow(
			new Error('The tool "slow" was cancelled.')
		);
	});
});

describe('resolveTools', () => {
	const orders = row({
		name: 'find_orders',
		kind: 'http',
		inputSchema: {
			type: 'object',
			properties: { user_id: { type: 'string' }, query: { type: 'string' } },
			required: ['user_id', 'query']
		},
		config: { url: `http://127.0.0.1:1/orders`, allowed_hosts: ['127.0.0.1'] }
	});

	it('hides context parameters from the model and injects them into the input', async () => {
		const tools = resolveTools([{ ...orders, config: { url: `${base}/orders`, allowed_hosts: ['127.0.0.1'] } }], {
			config,
			taskContext: { user_id: 'u-42', locale: 'fr' }
		});
		const { parts, model } = await streamTurn(tools, 'Use find_orders query=shoes');

		const offered = model.calls[0].tools?.find((tool): tool is LanguageModelV3FunctionTool => tool.name === 'find_orders');
		expect(offered?.inputSchema).toEqual({ type: 'object', properties: { query: { type: 'string' } }, required: ['query'] });

		const toolCall = parts.find((part) => part.type === 'tool-call');
		expect(toolCall).toMatchObject({ toolName: 'find_orders', input: { query: 'shoes' } });
		const result = parts.find((part) => part.type === 'tool-result');
		expect(result).toMatchObject({ toolName: 'find_orders', output: { status: 200, body: { query: 'shoes', user_id: 'u-42' } } });
	});

	it('lets the context win over a value the model sent anyway', async () => {
		const tools = resolveTools([{ ...orders, config: { url: `${base}/orders`, allowed_hosts: ['127.0.0.1'] } }], {
			config,
			taskContext: { user_id: 'u-42' }
		});
		expect(await execute(tools, 'find_orders', { query: 'x', user_id: 'someone-else' })).toEqual({
			status: 200,
			body: { query: 'x', user_id: 'u-42' }
		});
	});

	it('keeps the whole schema without a task context', () => {
		for (const taskContext of [undefined, null, {}]) {
			const tools = resolveTools([orders], { config, taskContext });
			expect((tools.find_orders.inputSchema as { jsonSchema: unknown }).jsonSchema).toEqual(orders.inputSchema);
		}
	});

	it('turns a built-in that throws into a tool error the model sees', async () => {
		const calculator = row({
			name: 'calculator',
			kind: 'builtin',
			inputSchema: { type: 'object', properties: { expression: { type: 'string' } }, required: ['expression'] }
		});
		const tools = resolveTools([calculator], { config });
		const { parts, text } = await streamTurn(tools, 'Use the calculator expression="1/0"');

		const error = parts.find((part) => part.type === 'tool-error');
		expect(error).toMatchObject({ toolName: 'calculator', input: { expression: '1/0' } });
		expect(error?.type === 'tool-error' && error.error).toEqual(expect.objectContaining({ message: 'Division by zero' }));
		expect(parts.some((part) => part.type === 'tool-result')).toBe(false);
		expect(text).toContain('The calculator tool failed: Division by zero.');
	});

	it('turns a timeout into a tool error', async () => {
		const slow = row({
			name: 'slow_lookup',
			kind: 'http',
			inputSchema: { type: 'object', properties: { id: { type: 'string' } }, required: ['id'] },
			config: { url: `${base}/hang?id={{id}}`, timeout_ms: 100, allowed_hosts: ['127.0.0.1'] }
		});
		const { parts, text } = await streamTurn(resolveTools([slow], { config }), 'Call slow_lookup id=7');

		const error = parts.find((part) => part.type === 'tool-error');
		expect(error?.type === 'tool-error' && error.error).toEqual(
			expect.objectContaining({ message: 'The tool "slow_lookup" timed out after 100 ms.' })
		);
		expect(text).toContain('The slow_lookup tool failed: The tool "slow_lookup" timed out after 100 ms.');
	});

	it('gives built-ins the configuration and the abort signal', async () => {
		const httpRequest = row({
			name: 'http_request',
			kind: 'builtin',
			inputSchema: { type: 'object', properties: { url: { type: 'string' } }, required: ['url'] }
		});
		const refused = resolveTools([httpRequest], { config });
		await expect(execute(refused, 'http_request', { url: `${base}/echo?a=1` })).rejects.toThrow(
			'Refused: 127.0.0.1 is a loopback address.'
		);
		const allowed = resolveTools([httpRequest], { config: parseConfig({ HTTP_TOOL_ALLOWED_HOSTS: '127.0.0.1' }) });
		expect(await execute(allowed, 'http_request', { url: `${base}/echo?a=1` })).toEqual({
			status: 200,
			contentType: 'application/json',
			body: { a: '1' }
		});
		await expect(execute(allowed, 'http_request', { url: `${base}/hang` }, AbortSignal.abort())).rejects.toThrow(
			'The tool "http_request" was cancelled.'
		);
	});

	it('reports an unknown built-in and a broken HTTP config when called', async () => {
		const tools = resolveTools(
			[row({ name: 'nope', kind: 'builtin' }), row({ name: 'broken', kind: 'http', config: { url: 'ftp://x' } })],
			{ config }
		);
		await expect(execute(tools, 'nope', {})).rejects.toThrow(new Error('No built-in tool is named "nope".'));
		await expect(execute(tools, 'broken', {})).rejects.toThrow(
			'The HTTP tool "broken" has a broken config: url: must be an http(s) URL, optionally with {{name}} placeholders.'
		);
	});

	it('does not run Object.prototype members as built-ins', async () => {
		const tools = resolveTools([row({ name: 'toString', kind: 'builtin' })], { config });
		await expect(execute(tools, 'toString', {})).rejects.toThrow(new Error('No built-in tool is named "toString".'));
	});

	it('keeps client tools without execute and their full schema, and passes requiresApproval on', () => {
		const client = row({
			name: 'pick_file',
			kind: 'client',
			inputSchema: { type: 'object', properties: { user_id: { type: 'string' } }, required: ['user_id'] }
		});
		const gated = row({ name: 'calculator', kind: 'builtin', requiresApproval: true });
		const tools = resolveTools([client, gated], { config, taskContext: { user_id: 'u' } });
		expect(tools.pick_file.execute).toBeUndefined();
		expect((tools.pick_file.inputSchema as { jsonSchema: unknown }).jsonSchema).toEqual(client.inputSchema);
		expect(tools.pick_file.needsApproval).toBe(false);
		expect(tools.calculator.needsApproval).toBe(true);
		expect(tools.calculator.execute).toBeTypeOf('function');
	});

	it('limits built-ins to 30 seconds', () => {
		expect(BUILTIN_TOOL_TIMEOUT_MS).toBe(30_000);
	});
});

describe('resolveTools: every input is checked against the tool’s schema before it runs', () => {
	const pay = (extra: Partial<Tool> = {}) =>
		row({
			name: 'pay',
			kind: 'http',
			inputSchema: {
				type: 'object',
				properties: { to: { type: 'string', enum: ['alice', 'bob'] }, amount: { type: 'integer', minimum: 1, maximum: 100 } },
				required: ['to', 'amount'],
				additionalProperties: false
			},
			config: { url: `${base}/echo`, allowed_hosts: ['127.0.0.1'] },
			...extra
		});
	/** The requests that reached the test server's `/echo` since `from`. */
	const paid = (from: number) => received.slice(from).filter((url) => url.startsWith('/echo'));

	it('runs a call whose input matches', async () => {
		const from = received.length;
		expect(await execute(resolveTools([pay()], { config }), 'pay', { to: 'bob', amount: 5 })).toEqual({
			status: 200,
			body: { to: 'bob', amount: '5' }
		});
		expect(paid(from)).toHaveLength(1);
	});

	it('never runs a model’s call whose input breaks the schema: the model gets a tool error naming the field', async () => {
		const from = received.length;
		const { parts, text } = await streamTurn(resolveTools([pay()], { config }), 'Use pay to=bob amount=500');
		const call = parts.find((part) => part.type === 'tool-call');
		expect(call).toMatchObject({ toolName: 'pay', invalid: true, input: { to: 'bob', amount: 500 } });
		const error = parts.find((part) => part.type === 'tool-error');
		expect(error?.type === 'tool-error' && String(error.error)).toContain('input.amount must be <= 100');
		expect(parts.some((part) => part.type === 'tool-result')).toBe(false);
		expect(text).toContain('The pay tool failed');
		expect(paid(from)).toEqual([]);
	});

	it('checks again when called directly, as an approved stored call is: nothing runs and the error names the field', async () => {
		const from = received.length;
		const tools = resolveTools([pay()], { config });
		await expect(execute(tools, 'pay', { to: 'mallory', amount: 5 })).rejects.toThrow(
			'The tool "pay" was not run: input.to must be one of "alice", "bob".'
		);
		await expect(execute(tools, 'pay', { to: 'bob' })).rejects.toThrow('The tool "pay" was not run: input.amount is required.');
		await expect(execute(tools, 'pay', { to: 'bob', amount: 5, memo: 'x' })).rejects.toThrow(
			'The tool "pay" was not run: input.memo is not a property of this tool\'s input.'
		);
		expect(paid(from)).toEqual([]);
	});

	it('checks the context’s values too, against the whole schema', async () => {
		const from = received.length;
		const tools = resolveTools([pay()], { config, taskContext: { to: 'mallory' } });
		await expect(execute(tools, 'pay', { amount: 5 })).rejects.toThrow('input.to must be one of "alice", "bob".');
		expect(paid(from)).toEqual([]);
	});

	it('never runs a server tool whose schema cannot be checked; leaves a client tool’s to its caller', async () => {
		const broken = { type: 'object', properties: { to: { $ref: '#/$defs/missing' } } };
		const tools = resolveTools([pay({ inputSchema: broken }), row({ name: 'ask', kind: 'client', inputSchema: broken })], { config });
		const from = received.length;
		await expect(execute(tools, 'pay', { to: 'bob' })).rejects.toThrow('The tool "pay" has an input schema that cannot be checked');
		expect(paid(from)).toEqual([]);
		const asked = await streamTurn(tools, 'Use ask to=bob');
		expect(asked.parts.find((part) => part.type === 'tool-call')).toMatchObject({ toolName: 'ask', input: { to: 'bob' } });
		expect(asked.parts.find((part) => part.type === 'tool-call')).not.toHaveProperty('invalid', true);
	});

	it('leaves a caller’s own tool to the caller: its schema is shown to the model, never compiled on the server', async () => {
		const inputSchema = { type: 'object', properties: { to: { type: 'string', pattern: '^(a+)+$' } }, required: ['to'] };
		const tools = resolveCallerTools([{ name: 'ask', inputSchema }]);
		expect(tools.ask.execute).toBeUndefined();
		expect((tools.ask.inputSchema as { jsonSchema: unknown }).jsonSchema).toEqual(inputSchema);
		const { parts } = await streamTurn(tools, 'Use ask to=bob');
		const call = parts.find((part) => part.type === 'tool-call');
		expect(call).toMatchObject({ toolName: 'ask', input: { to: 'bob' } });
		expect(call).not.toHaveProperty('invalid', true);
	});
});
