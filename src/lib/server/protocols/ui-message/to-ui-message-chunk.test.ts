import {
	parseJsonEventStream,
	readUIMessageStream,
	uiMessageChunkSchema,
	UI_MESSAGE_STREAM_HEADERS as SDK_UI_MESSAGE_STREAM_HEADERS,
	type UIMessage,
	type UIMessageChunk
} from 'ai';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../runtime/events';
import { MessagePartsBuilder } from '../../runtime/message-parts';
import { UI_MESSAGE_STREAM_HEADERS, uiMessageStreamResponse } from './response';
import { toUIMessageChunk } from './to-ui-message-chunk';
import { readAll, streamOf } from '../../../../../tests/support/streams';

const usage = { inputTokens: 10, outputTokens: 20 };

/** Validates one chunk against the AI SDK's own chunk schema, as `DefaultChatTransport` does. */
async function validateChunk(chunk: unknown) {
	const schema = uiMessageChunkSchema();
	if (!schema.validate) throw new Error('uiMessageChunkSchema has no validate function');
	return schema.validate(chunk);
}

/** Every event type, with the exact chunk it becomes. */
const table: { name: string; event: RunEvent; chunk: UIMessageChunk }[] = [
	{
		name: 'run-start',
		event: { type: 'run-start', taskId: 'task-1', messageId: 'msg-1', model: 'mock:offline' },
		chunk: { type: 'start', messageId: 'msg-1' }
	},
	{ name: 'step-start', event: { type: 'step-start' }, chunk: { type: 'start-step' } },
	{ name: 'step-end', event: { type: 'step-end', usage }, chunk: { type: 'finish-step' } },
	{ name: 'text-start', event: { type: 'text-start', id: 't1' }, chunk: { type: 'text-start', id: 't1' } },
	{
		name: 'text-delta',
		event: { type: 'text-delta', id: 't1', delta: 'Hello ' },
		chunk: { type: 'text-delta', id: 't1', delta: 'Hello ' }
	},
	{ name: 'text-end', event: { type: 'text-end', id: 't1' }, chunk: { type: 'text-end', id: 't1' } },
	{
		name: 'reasoning-start',
		event: { type: 'reasoning-start', id: 'r1' },
		chunk: { type: 'reasoning-start', id: 'r1' }
	},
	{
		name: 'reasoning-delta',
		event: { type: 'reasoning-delta', id: 'r1', delta: 'Hmm.' },
		chunk: { type: 'reasoning-delta', id: 'r1', delta: 'Hmm.' }
	},
	{ name: 'reasoning-end', event: { type: 'reasoning-end', id: 'r1' }, chunk: { type: 'reasoning-end', id: 'r1' } },
	{
		name: 'tool-call-start',
		event: { type: 'tool-call-start', toolCallId: 'call_1', toolName: 'calculator' },
		chunk: { type: 'tool-input-start', toolCallId: 'call_1', toolName: 'calculator' }
	},
	{
		name: 'tool-call-delta',
		event: { type: 'tool-call-delta', toolCallId: 'call_1', inputTextDelta: '{"expression":' },
		chunk: { type: 'tool-input-delta', toolCallId: 'call_1', inputTextDelta: '{"expression":' }
	},
	{
		name: 'tool-call-ready (server tool)',
		event: {
			type: 'tool-call-ready',
			toolCallId: 'call_1',
			toolName: 'calculator',
			input: { expression: '6*7' },
			clientExecuted: false
		},
		chunk: { type: 'tool-input-available', toolCallId: 'call_1', toolName: 'calculator', input: { expression: '6*7' } }
	},
	{
		name: 'tool-call-ready (a tool with a title)',
		event: {
			type: 'tool-call-ready',
			toolCallId: 'call_4',
			toolName: 'echo',
			input: {},
			clientExecuted: false,
			title: 'echo · MCP server "docs"'
		},
		chunk: { type: 'tool-input-available', toolCallId: 'call_4', toolName: 'echo', input: {}, title: 'echo · MCP server "docs"' }
	},
	{
		name: 'tool-call-ready (client tool)',
		event: { type: 'tool-call-ready', toolCallId: 'call_2', toolName: 'ask_user', input: {}, clientExecuted: true },
		chunk: { type: 'tool-input-available', toolCallId: 'call_2', toolName: 'ask_user', input: {} }
	},
	{
		name: 'tool-call-invalid',
		event: {
			type: 'tool-call-invalid',
			toolCallId: 'call_3',
			toolName: 'calculator',
			input: { expr: 1 },
			errorText: 'Invalid input'
		},
		chunk: {
			type: 'tool-input-error',
			toolCallId: 'call_3',
			toolName: 'calculator',
			input: { expr: 1 },
			errorText: 'Invalid input'
		}
	},
	{
		name: 'tool-approval-request',
		event: { type: 'tool-approval-request', toolCallId: 'call_1', approvalId: 'appr_1' },
		chunk: { type: 'tool-approval-request', approvalId: 'appr_1', toolCallId: 'call_1' }
	},
	{
		name: 'tool-output',
		event: { type: 'tool-output', toolCallId: 'call_1', output: { expression: '6*7', result: 42 } },
		chunk: { type: 'tool-output-available', toolCallId: 'call_1', output: { expression: '6*7', result: 42 } }
	},
	{
		name: 'tool-error',
		event: { type: 'tool-error', toolCallId: 'call_1', errorText: 'Division by zero' },
		chunk: { type: 'tool-output-error', toolCallId: 'call_1', errorText: 'Division by zero' }
	},
	{
		name: 'tool-denied',
		event: { type: 'tool-denied', toolCallId: 'call_1' },
		chunk: { type: 'tool-output-denied', toolCallId: 'call_1' }
	},
	{
		name: 'run-end completed',
		event: { type: 'run-end', reason: 'completed', usage },
		chunk: { type: 'finish', finishReason: 'stop' }
	},
	{
		name: 'run-end awaiting-input',
		event: { type: 'run-end', reason: 'awaiting-input', usage },
		chunk: { type: 'finish', finishReason: 'tool-calls' }
	},
	{
		name: 'run-end limit',
		event: { type: 'run-end', reason: 'limit', usage },
		chunk: { type: 'finish', finishReason: 'length' }
	},
	{
		name: 'run-end interrupted',
		event: { type: 'run-end', reason: 'interrupted', usage },
		chunk: { type: 'abort' }
	},
	{
		name: 'run-error',
		event: { type: 'run-error', message: 'The model failed while answering. Try again.' },
		chunk: { type: 'error', errorText: 'The model failed while answering. Try again.' }
	}
];

describe('toUIMessageChunk', () => {
	it.each(table)('turns $name into its exact chunk', ({ event, chunk }) => {
		expect(toUIMessageChunk(event)).toStrictEqual(chunk);
	});

	it.each(table)('makes a $name chunk that the AI SDK chunk schema accepts', async ({ event }) => {
		const result = await validateChunk(toUIMessageChunk(event));
		expect(result).toMatchObject({ success: true });
	});

	it('covers every run event type', () => {
		const types = new Set(table.map(({ event }) => event.type));
		expect([...types].sort()).toStrictEqual(
			[
				'run-start',
				'step-start',
				'reasoning-start',
				'reasoning-delta',
				'reasoning-end',
				'text-start',
				'text-delta',
				'text-end',
				'tool-call-start',
				'tool-call-delta',
				'tool-call-ready',
				'tool-call-invalid',
				'tool-approval-request',
				'tool-output',
				'tool-error',
				'tool-denied',
				'step-end',
				'run-end',
				'run-error'
			].sort()
		);
	});

	it('throws on an event type it does not know', () => {
		expect(() => toUIMessageChunk({ type: 'mystery' } as unknown as RunEvent)).toThrow('Unhandled run event {"type":"mystery"}');
	});
});

/** A two-step server tool run as the runtime emits it, with the same ids reused in step two. */
const toolRun: RunEvent[] = [
	{ type: 'run-start', taskId: 'task-1', messageId: 'msg-1', model: 'mock:offline' },
	{ type: 'step-start' },
	{ type: 'reasoning-start', id: 'reasoning-0' },
	{ type: 'reasoning-delta', id: 'reasoning-0', delta: 'I will call ' },
	{ type: 'reasoning-delta', id: 'reasoning-0', delta: 'the calculator.' },
	{ type: 'reasoning-end', id: 'reasoning-0' },
	{ type: 'text-start', id: 'text-0' },
	{ type: 'text-delta', id: 'text-0', delta: 'Let me ' },
	{ type: 'text-delta', id: 'text-0', delta: 'check.' },
	{ type: 'text-end', id: 'text-0' },
	{ type: 'tool-call-start', toolCallId: 'call_1', toolName: 'calculator' },
	{ type: 'tool-call-delta', toolCallId: 'call_1', inputTextDelta: '{"expression":' },
	{ type: 'tool-call-delta', toolCallId: 'call_1', inputTextDelta: '"6*7"}' },
	{
		type: 'tool-call-ready',
		toolCallId: 'call_1',
		toolName: 'calculator',
		input: { expression: '6*7' },
		clientExecuted: false
	},
	{ type: 'tool-output', toolCallId: 'call_1', output: { expression: '6*7', result: 42 } },
	{ type: 'step-end', usage: { inputTokens: 5, outputTokens: 8 } },
	{ type: 'step-start' },
	{ type: 'reasoning-start', id: 'reasoning-0' },
	{ type: 'reasoning-delta', id: 'reasoning-0', delta: 'I got 42.' },
	{ type: 'reasoning-end', id: 'reasoning-0' },
	{ type: 'text-start', id: 'text-0' },
	{ type: 'text-delta', id: 'text-0', delta: 'The answer ' },
	{ type: 'text-delta', id: 'text-0', delta: 'is 42.' },
	{ type: 'text-end', id: 'text-0' },
	{ type: 'step-end', usage: { inputTokens: 9, outputTokens: 6 } },
	{ type: 'run-end', reason: 'completed', usage: { inputTokens: 14, outputTokens: 14 } }
];

/**
 * A part without `undefined` values and provider metadata, and without the reasoning `id` that
 * the AI SDK's reader keeps but Parley does not store.
 */
function normalize(parts: unknown[]): unknown[] {
	return parts.map((part) => {
		const entries = Object.entries(part as Record<string, unknown>).filter(
			([key, value]) =>
				value !== undefined && key !== 'providerMetadata' && !(key === 'id' && (part as { type: string }).type === 'reasoning')
		);
		return Object.fromEntries(entries);
	});
}

/** The message the AI SDK's client-side reader builds from the chunks of `events`. */
async function readWithSdk(events: RunEvent[]): Promise<UIMessage> {
	const chunks = events.flatMap((event) => toUIMessageChunk(event) ?? []);
	let last: UIMessage | undefined;
	for await (const message of readUIMessageStream({ stream: streamOf(chunks), terminateOnError: true })) {
		last = message;
	}
	if (!last) throw new Error('readUIMessageStream produced no message');
	return last;
}

describe('UI message chunks and stored parts agree', () => {
	it('the AI SDK reader builds the same parts as MessagePartsBuilder for a two-step tool run', async () => {
		const builder = new MessagePartsBuilder();
		for (const event of toolRun) builder.apply(event);

		const message = await readWithSdk(toolRun);
		expect(message.id).toBe('msg-1');
		expect(message.role).toBe('assistant');
		expect(normalize(message.parts)).toStrictEqual(normalize(builder.snapshot()));

		// The expected shape, spelled out.
		expect(normalize(builder.snapshot())).toStrictEqual([
			{ type: 'step-start' },
			{ type: 'reasoning', text: 'I will call the calculator.', state: 'done' },
			{ type: 'text', text: 'Let me check.', state: 'done' },
			{
				type: 'tool-calculator',
				toolCallId: 'call_1',
				state: 'output-available',
				input: { expression: '6*7' },
				output: { expression: '6*7', result: 42 }
			},
			{ type: 'step-start' },
			{ type: 'reasoning', text: 'I got 42.', state: 'done' },
			{ type: 'text', text: 'The answer is 42.', state: 'done' }
		]);
		// The reader keeps the reasoning id; the builder does not store it.
		expect(message.parts[1]).toMatchObject({ type: 'reasoning', id: 'reasoning-0' });
		expect(builder.parts[1]).not.toHaveProperty('id');
	});

	it('agrees on tool errors, approval requests, denials and invalid calls', async () => {
		const events: RunEvent[] = [
			{ type: 'run-start', taskId: 'task-1', messageId: 'msg-2', model: 'mock:offline' },
			{ type: 'step-start' },
			{ type: 'tool-call-start', toolCallId: 'a', toolName: 'calculator' },
			{ type: 'tool-call-ready', toolCallId: 'a', toolName: 'calculator', input: { expression: '1/0' }, clientExecuted: false },
			{ type: 'tool-error', toolCallId: 'a', errorText: 'Division by zero' },
			{ type: 'tool-call-ready', toolCallId: 'b', toolName: 'delete_file', input: { path: '/x' }, clientExecuted: false },
			{ type: 'tool-approval-request', toolCallId: 'b', approvalId: 'appr_b' },
			{ type: 'tool-call-ready', toolCallId: 'c', toolName: 'delete_file', input: { path: '/y' }, clientExecuted: false },
			{ type: 'tool-denied', toolCallId: 'c' },
			{ type: 'tool-call-ready', toolCallId: 'd', toolName: 'ask_user', input: { q: '?' }, clientExecuted: true },
			// An invalid call that streamed its input first, and one that never streamed.
			{ type: 'tool-call-start', toolCallId: 'e', toolName: 'calculator' },
			{ type: 'tool-call-delta', toolCallId: 'e', inputTextDelta: '{"expr":1}' },
			{
				type: 'tool-call-invalid',
				toolCallId: 'e',
				toolName: 'calculator',
				input: { expr: 1 },
				errorText: 'Invalid input for tool calculator'
			},
			{ type: 'tool-call-invalid', toolCallId: 'f', toolName: 'nosuch', input: 'x', errorText: 'No such tool' },
			{ type: 'step-end', usage },
			{ type: 'run-end', reason: 'awaiting-input', usage }
		];
		const builder = new MessagePartsBuilder();
		for (const event of events) builder.apply(event);
		const message = await readWithSdk(events);
		expect(normalize(message.parts)).toStrictEqual(normalize(builder.snapshot()));
		expect(normalize(builder.snapshot())).toStrictEqual([
			{ type: 'step-start' },
			{
				type: 'tool-calculator',
				toolCallId: 'a',
				state: 'output-error',
				input: { expression: '1/0' },
				errorText: 'Division by zero'
			},
			{
				type: 'tool-delete_file',
				toolCallId: 'b',
				state: 'approval-requested',
				input: { path: '/x' },
				approval: { id: 'appr_b' }
			},
			{ type: 'tool-delete_file', toolCallId: 'c', state: 'output-denied', input: { path: '/y' } },
			{ type: 'tool-ask_user', toolCallId: 'd', state: 'input-available', input: { q: '?' } },
			{
				type: 'tool-calculator',
				toolCallId: 'e',
				state: 'output-error',
				rawInput: { expr: 1 },
				errorText: 'Invalid input for tool calculator'
			},
			{ type: 'tool-nosuch', toolCallId: 'f', state: 'output-error', rawInput: 'x', errorText: 'No such tool' }
		]);
		// Neither keeps an invalid input as `input`, so it is never taken for a valid one.
		for (const parts of [message.parts, builder.snapshot()]) {
			expect(parts.slice(-2)).toMatchObject([
				{ toolCallId: 'e', input: undefined, rawInput: { expr: 1 } },
				{ toolCallId: 'f', input: undefined, rawInput: 'x' }
			]);
		}
	});

	it('the AI SDK reader accepts an interrupted run (abort chunk) mid-text', async () => {
		const events: RunEvent[] = [
			{ type: 'run-start', taskId: 'task-1', messageId: 'msg-3', model: 'mock:offline' },
			{ type: 'step-start' },
			{ type: 'text-start', id: 'text-0' },
			{ type: 'text-delta', id: 'text-0', delta: 'Half an ' },
			{ type: 'run-end', reason: 'interrupted', usage: { inputTokens: undefined, outputTokens: undefined } }
		];
		const message = await readWithSdk(events);
		expect(normalize(message.parts)).toStrictEqual([{ type: 'step-start' }, { type: 'text', text: 'Half an ', state: 'streaming' }]);
		// What is stored is closed, so a reloaded message does not look as if it were still streaming.
		const builder = new MessagePartsBuilder();
		for (const event of events) builder.apply(event);
		builder.closeOpenParts();
		expect(builder.snapshot()).toStrictEqual([{ type: 'step-start' }, { type: 'text', text: 'Half an ', state: 'done' }]);
	});
});

describe('uiMessageStreamResponse', () => {
	it('sends the UI message stream headers of the AI SDK', () => {
		const response = uiMessageStreamResponse(streamOf<RunEvent>([]));
		expect(response.status).toBe(200);
		expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
		expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
		expect(response.headers.get('cache-control')).toBe('no-cache, no-transform');
		expect(response.headers.get('connection')).toBe('keep-alive');
		expect(response.headers.get('x-accel-buffering')).toBe('no');
		for (const name of Object.keys(SDK_UI_MESSAGE_STREAM_HEADERS)) {
			expect(response.headers.has(name)).toBe(true);
		}
		expect(UI_MESSAGE_STREAM_HEADERS['x-vercel-ai-ui-message-stream']).toBe(SDK_UI_MESSAGE_STREAM_HEADERS['x-vercel-ai-ui-message-stream']);
	});

	it('keeps extra headers but not ones that would break the stream', () => {
		const response = uiMessageStreamResponse(streamOf<RunEvent>([]), {
			'x-task-id': 'task-1',
			'content-type': 'application/json',
			'x-vercel-ai-ui-message-stream': 'v0'
		});
		expect(response.headers.get('x-task-id')).toBe('task-1');
		expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
		expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
	});

	it('streams one data event per chunk and ends with [DONE]', async () => {
		const events: RunEvent[] = [
			{ type: 'run-start', taskId: 'task-1', messageId: 'msg-1', model: 'mock:offline' },
			{ type: 'step-start' },
			{ type: 'text-start', id: 't' },
			{ type: 'text-delta', id: 't', delta: 'line one\nline two' },
			{ type: 'text-end', id: 't' },
			{ type: 'step-end', usage },
			{ type: 'run-end', reason: 'completed', usage }
		];
		const body = await uiMessageStreamResponse(streamOf(events)).text();
		expect(body).toBe(
			[
				'data: {"type":"start","messageId":"msg-1"}',
				'data: {"type":"start-step"}',
				'data: {"type":"text-start","id":"t"}',
				'data: {"type":"text-delta","id":"t","delta":"line one\\nline two"}',
				'data: {"type":"text-end","id":"t"}',
				'data: {"type":"finish-step"}',
				'data: {"type":"finish","finishReason":"stop"}',
				'data: [DONE]'
			]
				.map((line) => `${line}\n\n`)
				.join('')
		);
		expect(body.endsWith('data: [DONE]\n\n')).toBe(true);
	});

	it('makes a body that the AI SDK parses and validates chunk by chunk, as DefaultChatTransport does', async () => {
		const events = [
			...toolRun.slice(0, -1),
			{ type: 'tool-call-invalid', toolCallId: 'x', toolName: 'calculator', input: 'oops', errorText: 'bad' },
			{ type: 'tool-approval-request', toolCallId: 'call_1', approvalId: 'appr' },
			{ type: 'tool-denied', toolCallId: 'call_1' },
			{ type: 'tool-error', toolCallId: 'call_1', errorText: 'no' },
			{ type: 'run-error', message: 'The model failed while answering. Try again.' },
			{ type: 'run-end', reason: 'interrupted', usage }
		] satisfies RunEvent[];
		const response = uiMessageStreamResponse(streamOf<RunEvent>(events));
		if (!response.body) throw new Error('The response has no body');
		const results = await readAll(parseJsonEventStream({ stream: response.body, schema: uiMessageChunkSchema }));
		expect(results).toHaveLength(events.length);
		for (const result of results) expect(result.success).toBe(true);
		expect(results.map((result) => (result.success ? result.value : result.error))).toStrictEqual(
			events.map((event) => toUIMessageChunk(event))
		);
	});

	it('streams run events as they come, and the reader sees the whole message', async () => {
		const chunks: UIMessageChunk[] = [];
		let feed!: ReadableStreamDefaultController<RunEvent>;
		const events = new ReadableStream<RunEvent>({ start: (controller) => void (feed = controller) });
		const response = uiMessageStreamResponse(events);
		if (!response.body) throw new Error('The response has no body');
		const reader = parseJsonEventStream({ stream: response.body, schema: uiMessageChunkSchema }).getReader();

		feed.enqueue(toolRun[0]);
		const first = await reader.read();
		if (first.done || !first.value.success) throw new Error('Expected a parsed chunk');
		chunks.push(first.value.value);
		expect(chunks).toStrictEqual([{ type: 'start', messageId: 'msg-1' }]);

		for (const event of toolRun.slice(1)) feed.enqueue(event);
		feed.close();
		for (let next = await reader.read(); !next.done; next = await reader.read()) {
			if (!next.value.success) throw next.value.error;
			chunks.push(next.value.value);
		}
		expect(chunks).toStrictEqual(toolRun.map((event) => toUIMessageChunk(event)));
	});
});
