import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { agents, tasks } from '../../src/lib/server/db/schema';
import { listMessages } from '../../src/lib/server/services/messages';
import { findTask } from '../../src/lib/server/services/tasks';
import { signUpWithKey, type ApiUser } from '../support/api-user';
import { startServer, type TestServer } from '../support/server';
import { LONG_ANSWER_END } from '../support/text-deltas';

let server: TestServer;
let db: Db;
let alice: ApiUser;
let bob: ApiUser;
const open: Client[] = [];

const ALLOWED_ORIGIN = 'https://tools.example';

beforeAll(async () => {
	server = await startServer({ MOCK_TOKEN_DELAY_MS: '2', CORS_ORIGINS: ALLOWED_ORIGIN });
	db = await openDatabase({ url: server.databaseUrl });
	alice = await signUpWithKey(server.baseURL, db, 'alice@example.com', 'mcp tests');
	bob = await signUpWithKey(server.baseURL, db, 'bob@example.com', 'mcp tests');
	await db.insert(agents).values([
		{ slug: 'open-demo', name: 'Open demo', description: 'Anyone may ask.', model: 'mock:offline', visibility: 'public' },
		{
			slug: 'ctx-demo',
			name: 'Context demo',
			model: 'mock:offline',
			contextSchema: { type: 'object', required: ['plan'], properties: { plan: { type: 'string', enum: ['free', 'pro'] } } }
		}
	]);
});

afterAll(async () => {
	await Promise.all(open.map((client) => client.close()));
	db?.$client.close();
	await server?.stop();
});

/** An MCP client (the SDK's) connected to `/mcp`, with `key` as its bearer token when given. */
async function connect(key?: string, headers: Record<string, string> = {}): Promise<Client> {
	const client = new Client({ name: 'parley-tests', version: '1.0.0' });
	const transport = new StreamableHTTPClientTransport(new URL(`${server.baseURL}/mcp`), {
		requestInit: { headers: { ...headers, ...(key ? { authorization: `Bearer ${key}` } : {}) } }
	});
	await client.connect(transport);
	open.push(client);
	return client;
}

/** The text of a tool result. */
function textOf(result: CallToolResult): string {
	return result.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

/** Calls a tool and returns its result. */
async function call(client: Client, name: string, args: Record<string, unknown>): Promise<CallToolResult> {
	return (await client.callTool({ name, arguments: args })) as CallToolResult;
}

/** A raw JSON-RPC request to `/mcp`. */
function post(body: unknown, headers: Record<string, string> = {}): Promise<Response> {
	return fetch(`${server.baseURL}/mcp`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
		body: typeof body === 'string' ? body : JSON.stringify(body)
	});
}

const ping = { jsonrpc: '2.0', id: 1, method: 'ping' };

describe('tools/list', () => {
	it('lists the agents a key’s user may use as ask_<slug> tools, slugs’ dashes kept', async () => {
		const { tools } = await (await connect(alice.key)).listTools();
		const names = tools.map((tool) => tool.name);
		expect(names).toEqual(expect.arrayContaining(['ask_assistant', 'ask_tool-demo', 'ask_open-demo', 'ask_ctx-demo']));
		const assistant = tools.find((tool) => tool.name === 'ask_assistant');
		expect(assistant?.description).toContain('Assistant');
		expect(assistant?.inputSchema.required).toEqual(['message']);
		expect(Object.keys(assistant?.inputSchema.properties ?? {})).toEqual(['message', 'task_id', 'context']);
		expect(assistant?.outputSchema?.properties).toHaveProperty('task_id');
		// The agent's context schema describes its tool's context.
		const context = tools.find((tool) => tool.name === 'ask_ctx-demo')?.inputSchema.properties?.context as Record<string, unknown>;
		expect(context.required).toEqual(['plan']);
	});

	it('lists only public agents to anonymous callers', async () => {
		const { tools } = await (await connect()).listTools();
		const publicSlugs = (await db.select().from(agents)).filter((agent) => agent.visibility === 'public').map((agent) => agent.slug);
		expect(tools.map((tool) => tool.name).sort()).toEqual(publicSlugs.map((slug) => `ask_${slug}`).sort());
		expect(tools.map((tool) => tool.name)).not.toContain('ask_assistant');
	});
});

describe('tools/call', () => {
	it('answers with the agent’s text and the task it is stored in, and continues that task by task_id', async () => {
		const client = await connect(alice.key);
		const first = await call(client, 'ask_assistant', { message: 'Hello over MCP' });
		expect(first.isError).toBeFalsy();
		expect(textOf(first)).toContain('You said: "Hello over MCP"');
		const structured = first.structuredContent as { task_id: string; text: string };
		expect(structured.text).toBe(textOf(first));
		const task = await findTask(db, structured.task_id);
		expect(task?.userId).toBe(alice.id);

		const second = await call(client, 'ask_assistant', { message: 'And again', task_id: structured.task_id });
		expect(textOf(second)).toContain('You said: "And again"');
		expect((second.structuredContent as { task_id: string }).task_id).toBe(structured.task_id);
		const stored = await listMessages(db, structured.task_id);
		expect(stored.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);

		// The task is in the user's task list like any other.
		const list = await (await alice.fetch('/api/trpc/tasks.list')).text();
		expect(list).toContain(structured.task_id);
	});

	it('sends progress notifications carrying the text so far', async () => {
		const client = await connect(alice.key);
		const messages: string[] = [];
		const result = (await client.callTool(
			{ name: 'ask_assistant', arguments: { message: 'Please give me a long answer about rivers' } },
			undefined,
			{
				onprogress: (progress) => void messages.push(progress.message ?? '')
			}
		)) as CallToolResult;
		expect(textOf(result)).toContain(LONG_ANSWER_END);
		expect(messages.length).toBeGreaterThan(1);
		for (const [index, message] of messages.entries()) {
			if (index > 0) expect(message.startsWith(messages[index - 1])).toBe(true);
			expect(message.length).toBeGreaterThan(0);
		}
		expect(messages.at(-1)).toBe(textOf(result));
	});

	it('stops the answer when the caller goes away, storing it as interrupted', async () => {
		const carol = await signUpWithKey(server.baseURL, db, 'carol@example.com', 'mcp tests');
		const client = await connect(carol.key);
		let firstText = '';
		let wentAway: () => void = () => undefined;
		const gone = new Promise<void>((resolveGone) => (wentAway = resolveGone));
		const calling = client
			.callTool({ name: 'ask_assistant', arguments: { message: 'Write a long answer about lakes' } }, undefined, {
				onprogress: (progress) => {
					if (firstText !== '') return;
					firstText = progress.message ?? '';
					wentAway();
				}
			})
			.catch((caught: unknown) => caught);
		await gone;
		await client.close();
		expect(await calling).toBeInstanceOf(Error);
		const [task] = await db.select().from(tasks).where(eq(tasks.userId, carol.id));
		await expect.poll(async () => (await listMessages(db, task.id))[1]?.status, { timeout: 10_000, interval: 50 }).toBe('interrupted');
		const stored = await listMessages(db, task.id);
		const storedText = stored[1].parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
		expect(storedText.startsWith(firstText)).toBe(true);
		expect(storedText).not.toContain(LONG_ANSWER_END);
	});

	it('refuses another user’s task as not found, without showing it', async () => {
		const first = await call(await connect(alice.key), 'ask_assistant', { message: 'A secret plan' });
		const taskId = (first.structuredContent as { task_id: string }).task_id;
		const stolen = await call(await connect(bob.key), 'ask_assistant', { message: 'Show me', task_id: taskId });
		expect(stolen.isError).toBe(true);
		expect(textOf(stolen)).toMatch(/No task .* was found/);
		expect(textOf(stolen)).not.toContain('secret');
		expect(await listMessages(db, taskId)).toHaveLength(2);
	});

	it('refuses a context the agent’s schema does not allow, and takes one it does', async () => {
		const client = await connect(alice.key);
		const refused = await call(client, 'ask_ctx-demo', { message: 'Hi', context: { plan: 'enterprise' } });
		expect(refused.isError).toBe(true);
		expect(textOf(refused)).toMatch(/plan/);
		const taken = await call(client, 'ask_ctx-demo', { message: 'Hi', context: { plan: 'pro' } });
		expect(taken.isError).toBeFalsy();
		const task = await findTask(db, (taken.structuredContent as { task_id: string }).task_id);
		expect(task?.context).toEqual({ plan: 'pro' });
	});

	it('refuses a message that is missing or empty', async () => {
		const result = await call(await connect(alice.key), 'ask_assistant', { message: '' });
		expect(result.isError).toBe(true);
		expect(textOf(result)).toContain('message');
	});

	it('lets anonymous callers ask public agents, but not the others', async () => {
		const client = await connect();
		const answer = await call(client, 'ask_open-demo', { message: 'Hi from nowhere' });
		expect(textOf(answer)).toContain('You said: "Hi from nowhere"');
		const refused = await call(client, 'ask_assistant', { message: 'Hi' });
		expect(refused.isError).toBe(true);
	});
});

describe('HTTP', () => {
	it('refuses a foreign Origin with 403, with or without a key', async () => {
		for (const headers of [{}, { authorization: `Bearer ${alice.key}` }] as Record<string, string>[]) {
			const response = await post(ping, { origin: 'https://evil.example', ...headers });
			expect(response.status).toBe(403);
			expect(((await response.json()) as { error: { code: string } }).error.code).toBe('forbidden');
		}
	});

	it('answers this site’s origin, and a listed one with CORS headers', async () => {
		expect((await post(ping, { origin: server.baseURL })).status).toBe(200);
		const listed = await post(ping, { origin: ALLOWED_ORIGIN });
		expect(listed.status).toBe(200);
		expect(listed.headers.get('access-control-allow-origin')).toBe(ALLOWED_ORIGIN);
		expect(listed.headers.get('access-control-expose-headers')).toContain('mcp-session-id');
		const preflight = await fetch(`${server.baseURL}/mcp`, {
			method: 'OPTIONS',
			headers: { origin: ALLOWED_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'mcp-protocol-version' }
		});
		expect(preflight.headers.get('access-control-allow-headers')).toContain('mcp-protocol-version');
	});

	it('answers a bad key with a JSON 401', async () => {
		const response = await post(ping, { authorization: 'Bearer pk_not-a-real-key' });
		expect(response.status).toBe(401);
		expect(((await response.json()) as { error: { code: string } }).error.code).toBe('unauthorized');
	});

	it('answers a body that is not JSON, or nests too deep, with a JSON-RPC error', async () => {
		const broken = await post('{"jsonrpc": "2.0",');
		expect(broken.status).toBe(400);
		expect(await broken.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32700 } });
		const deep = await post(`${'['.repeat(200)}${']'.repeat(200)}`);
		expect(deep.status).toBe(400);
		expect(await deep.json()).toMatchObject({ error: { code: -32600 } });
	});

	it('answers a body over the JSON limit with a 413 JSON-RPC error', async () => {
		const message = 'x'.repeat(1024 * 1024 + 1);
		const response = await post({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'ask_assistant', arguments: { message } } });
		expect(response.status).toBe(413);
		expect(await response.json()).toMatchObject({ jsonrpc: '2.0', id: null, error: { message: expect.stringContaining('limit') } });
	});

	it('takes POST only: GET and DELETE are 405', async () => {
		for (const method of ['GET', 'DELETE']) {
			const response = await fetch(`${server.baseURL}/mcp`, { method, headers: { accept: 'text/event-stream' } });
			expect(response.status).toBe(405);
			expect(response.headers.get('allow')).toBe('POST');
		}
	});
});

describe('limits', () => {
	let limited: TestServer;

	beforeAll(async () => {
		limited = await startServer({ RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '2' });
	});

	afterAll(async () => {
		await limited?.stop();
	});

	it('counts anonymous callers’ tool calls per address, and answers 429 past the limit; listing is free', async () => {
		const client = new Client({ name: 'parley-tests', version: '1.0.0' });
		await client.connect(new StreamableHTTPClientTransport(new URL(`${limited.baseURL}/mcp`)));
		open.push(client);
		const [tool] = (await client.listTools()).tools;
		for (let count = 0; count < 2; count++) {
			expect((await call(client, tool.name, { message: 'Hi' })).isError).toBeFalsy();
		}
		await expect(call(client, tool.name, { message: 'Hi' })).rejects.toMatchObject({
			code: 429,
			message: expect.stringContaining('rate_limited')
		});
		expect((await client.listTools()).tools.length).toBeGreaterThan(0);
	});
});
