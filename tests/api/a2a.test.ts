/**
 * The A2A face (`/a2a/{agent}`, `/.well-known/agent-card.json`) against the built server, with
 * `@a2a-js/sdk`'s client as other agents use it (A2A 1.0), and raw JSON-RPC for A2A 0.3's
 * method names and for bad input.
 */
import { SendMessageRequest, TaskState, type StreamResponse, type Task } from '@a2a-js/sdk';
import { ClientFactory, ClientFactoryOptions, DefaultAgentCardResolver, JsonRpcTransportFactory, type Client } from '@a2a-js/sdk/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { eq } from 'drizzle-orm';
import { agents, tools } from '../../src/lib/server/db/schema';
import { listMessages } from '../../src/lib/server/services/messages';
import { signUpWithKey } from '../support/api-user';
import { startServer, type TestServer } from '../support/server';

let server: TestServer;
let db: Db;
let aliceKey: string;
let bobKey: string;
let counter = 0;

beforeAll(async () => {
	server = await startServer({ MOCK_TOKEN_DELAY_MS: '2', CORS_ORIGINS: 'https://app.example.com' });
	db = await openDatabase({ url: server.databaseUrl });
	await db
		.insert(agents)
		.values({ slug: 'open-a2a', name: 'Open', description: 'A public agent.', model: 'mock:offline', visibility: 'public' });
	aliceKey = (await signUpWithKey(server.baseURL, db, 'alice-a2a@example.com', 'a2a tests')).key;
	bobKey = (await signUpWithKey(server.baseURL, db, 'bob-a2a@example.com', 'a2a tests')).key;
	await db.update(tools).set({ requiresApproval: true }).where(eq(tools.name, 'current_time'));
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

/** A fresh id. */
function newId(prefix: string): string {
	counter += 1;
	return `${prefix}_${Date.now().toString(36)}_${counter}`;
}

/** A fetch that sends the key. */
function fetchWith(key: string | null): typeof fetch {
	return (input, init) => {
		const headers = new Headers(init?.headers);
		if (key) headers.set('authorization', `Bearer ${key}`);
		return fetch(input, { ...init, headers });
	};
}

/** An A2A client of `agent` (resolved from its card), calling as the holder of `key`. */
async function clientFor(agent: string, key: string | null = aliceKey): Promise<Client> {
	const fetchImpl = fetchWith(key);
	const factory = new ClientFactory(
		ClientFactoryOptions.createFrom(ClientFactoryOptions.default, {
			transports: [new JsonRpcTransportFactory({ fetchImpl })],
			cardResolver: new DefaultAgentCardResolver({ fetchImpl })
		})
	);
	return factory.createFromUrl(`${server.baseURL}/a2a/${agent}/`);
}

/** A send request with a user message of `text` (and more of the message's JSON form). */
function send(text: string, message: Record<string, unknown> = {}, request: Record<string, unknown> = {}) {
	return SendMessageRequest.fromJSON({
		message: { messageId: newId('msg'), role: 'ROLE_USER', parts: [{ text }], ...message },
		...request
	});
}

/** The responses of a stream, until `until` says stop (the stream stays open) or it ends. */
async function collect(stream: AsyncGenerator<StreamResponse>, until?: (event: StreamResponse) => boolean): Promise<StreamResponse[]> {
	const all: StreamResponse[] = [];
	for (let next = await stream.next(); !next.done; next = await stream.next()) {
		all.push(next.value);
		if (until?.(next.value)) break;
	}
	return all;
}

/** The text of a stream's artifact chunks. */
const streamedText = (events: readonly StreamResponse[]) =>
	events
		.flatMap((event) => (event.payload?.$case === 'artifactUpdate' ? (event.payload.value.artifact?.parts ?? []) : []))
		.flatMap((part) => (part.content?.$case === 'text' ? [part.content.value] : []))
		.join('');

/** The text of a task's artifacts. */
const taskText = (task: Task) =>
	task.artifacts
		.flatMap((artifact) => artifact.parts)
		.flatMap((part) => (part.content?.$case === 'text' ? [part.content.value] : []))
		.join('');

/** The last status update of a stream. */
const lastStatus = (events: readonly StreamResponse[]) => {
	const last = events.at(-1);
	return last?.payload?.$case === 'statusUpdate' ? last.payload.value.status?.state : undefined;
};

/** A raw JSON-RPC call. */
async function rpc(agent: string, body: unknown, key: string | null = aliceKey, raw = false): Promise<Response> {
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (key) headers.authorization = `Bearer ${key}`;
	return fetch(`${server.baseURL}/a2a/${agent}`, { method: 'POST', headers, body: raw ? (body as string) : JSON.stringify(body) });
}

describe('agent cards', () => {
	it('serves an agent’s card: skills from its tools, streaming, bearer keys, its JSON-RPC URL', async () => {
		const response = await fetch(`${server.baseURL}/a2a/tool-demo/.well-known/agent-card.json`, {
			headers: { authorization: `Bearer ${aliceKey}` }
		});
		expect(response.status).toBe(200);
		const card = (await response.json()) as Record<string, unknown>;
		expect(card).toMatchObject({
			name: 'Tool demo',
			capabilities: { streaming: true },
			supportedInterfaces: expect.arrayContaining([
				{ url: `${server.baseURL}/a2a/tool-demo`, protocolBinding: 'JSONRPC', protocolVersion: '1.0' },
				{ url: `${server.baseURL}/a2a/tool-demo`, protocolBinding: 'JSONRPC', protocolVersion: '0.3' }
			]),
			securitySchemes: { bearer: { httpAuthSecurityScheme: { scheme: 'bearer' } } }
		});
		expect((card.skills as { id: string }[]).map((skill) => skill.id)).toEqual(['tool-demo', 'tool:calculator', 'tool:current_time']);
		const client = await clientFor('tool-demo');
		expect((await client.getAgentCard()).name).toBe('Tool demo');
	});

	it('shows an anonymous caller the public agents only', async () => {
		const directory = await fetch(`${server.baseURL}/.well-known/agent-card.json`);
		expect(directory.status).toBe(200);
		const body = (await directory.json()) as { name: string; agents: { slug: string; cardUrl: string }[]; skills: { id: string }[] };
		expect(body.name).toBe('Parley');
		const slugs = body.agents.map((agent) => agent.slug);
		expect(slugs).toContain('open-a2a');
		expect(slugs).not.toContain('assistant');
		expect(slugs).not.toContain('tool-demo');
		expect(body.skills.map((skill) => skill.id)).toEqual(slugs);
		const card = await fetch(body.agents.find((agent) => agent.slug === 'open-a2a')!.cardUrl);
		expect(card.status).toBe(200);
		const hidden = await fetch(`${server.baseURL}/a2a/assistant/.well-known/agent-card.json`);
		expect(hidden.status).toBe(404);
		expect(await hidden.json()).toMatchObject({ error: { code: 'not_found' } });

		const anonymous = await clientFor('open-a2a', null);
		const task = (await anonymous.sendMessage(send('Hello'))) as Task;
		expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
		const refused = await rpc(
			'assistant',
			{
				jsonrpc: '2.0',
				id: 1,
				method: 'SendMessage',
				params: { message: { messageId: 'm1', role: 'ROLE_USER', parts: [{ text: 'Hi' }] } }
			},
			null
		);
		expect(refused.status).toBe(401);
	});
});

describe('POST /a2a/{agent}', () => {
	it('answers a blocking send with the completed task, which getTask reads again', async () => {
		const client = await clientFor('assistant');
		const task = (await client.sendMessage(send('Hello there'))) as Task;
		expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
		expect(task.contextId).toBe(task.id);
		expect(taskText(task).length).toBeGreaterThan(0);
		const again = await client.getTask({ tenant: '', id: task.id });
		expect(again.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
		expect(taskText(again)).toBe(taskText(task));
		expect(again.history.map((message) => message.role)).toHaveLength(2);

		// The next message on the task continues it.
		const next = (await client.sendMessage(send('And again', { taskId: task.id }))) as Task;
		expect(next.id).toBe(task.id);
		expect((await listMessages(db, task.id)).map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
	});

	it('streams the task, its answer in artifact chunks, and the final state', async () => {
		const client = await clientFor('assistant');
		const events = await collect(client.sendMessageStream(send('Hello')));
		expect(events[0].payload?.$case).toBe('task');
		expect(events.some((event) => event.payload?.$case === 'artifactUpdate')).toBe(true);
		expect(lastStatus(events)).toBe(TaskState.TASK_STATE_COMPLETED);
		const id = events[0].payload?.$case === 'task' ? events[0].payload.value.id : '';
		expect(taskText(await client.getTask({ tenant: '', id }))).toBe(streamedText(events));
	});

	it('cancels a task mid-stream, keeping the partial answer', async () => {
		const client = await clientFor('assistant');
		const stream = client.sendMessageStream(send('Tell me a long answer until I interrupt you'));
		const head = await collect(stream, (event) => event.payload?.$case === 'artifactUpdate');
		const id = head[0].payload?.$case === 'task' ? head[0].payload.value.id : '';
		const canceled = await client.cancelTask({ tenant: '', id, metadata: undefined });
		expect(canceled.status?.state).toBe(TaskState.TASK_STATE_CANCELED);
		const rest = await collect(stream);
		expect(lastStatus(rest)).toBe(TaskState.TASK_STATE_CANCELED);
		expect(taskText(canceled).length).toBeGreaterThan(0);
		expect(taskText(canceled)).toBe(streamedText([...head, ...rest]));
		await expect(client.cancelTask({ tenant: '', id, metadata: undefined })).rejects.toMatchObject({ name: 'TaskNotCancelableError' });
	});

	it('resubscribes to a running task: replays it and follows it to the end', async () => {
		const client = await clientFor('assistant');
		const stream = client.sendMessageStream(send('Tell me a long answer please'));
		const head = await collect(stream, (event) => event.payload?.$case === 'artifactUpdate');
		const id = head[0].payload?.$case === 'task' ? head[0].payload.value.id : '';
		const again = await collect(client.resubscribeTask({ tenant: '', id }));
		const first = await collect(stream);
		expect(again[0].payload?.$case).toBe('task');
		expect(lastStatus(again)).toBe(TaskState.TASK_STATE_COMPLETED);
		expect(streamedText(again)).toBe(streamedText([...head, ...first]));
	});

	it('asks for input when a client tool is called, and continues with its output', async () => {
		const client = await clientFor('assistant');
		const weather = {
			name: 'get_weather',
			description: 'The weather in a city.',
			parameters: { type: 'object', properties: { city: { type: 'string' } } }
		};
		const first = (await client.sendMessage(send('Use get_weather city=Paris', { metadata: { tools: [weather] } }))) as Task;
		expect(first.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
		const data = first.status?.message?.parts.find((part) => part.content?.$case === 'data');
		const calls = (data?.content?.value as { toolCalls: { toolCallId: string; toolName: string }[] }).toolCalls;
		expect(calls).toEqual([expect.objectContaining({ toolName: 'get_weather', kind: 'output' })]);

		const answer = SendMessageRequest.fromJSON({
			message: {
				messageId: newId('msg'),
				role: 'ROLE_USER',
				taskId: first.id,
				parts: [{ data: { toolCallId: calls[0].toolCallId, output: { temperature: 21 } } }],
				metadata: { tools: [weather] }
			}
		});
		const events = await collect(client.sendMessageStream(answer));
		expect(lastStatus(events)).toBe(TaskState.TASK_STATE_COMPLETED);
		expect(streamedText(events)).toContain('The get_weather tool returned: {"temperature":21}');
		expect((await listMessages(db, first.id)).map((message) => message.role)).toEqual(['user', 'assistant']);
	});

	it('asks for an approval, and takes a “yes” on the same task as it', async () => {
		const client = await clientFor('tool-demo');
		const first = (await client.sendMessage(send('What is the current time?'))) as Task;
		expect(first.status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
		const data = first.status?.message?.parts.find((part) => part.content?.$case === 'data');
		expect(data?.content?.value).toMatchObject({ toolCalls: [{ toolName: 'current_time', kind: 'approval' }] });
		const second = (await client.sendMessage(send('yes', { taskId: first.id }))) as Task;
		expect(second.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
		expect(taskText(second)).toContain('The current_time tool returned');
	});

	it('takes a file part as an upload of the task', async () => {
		const client = await clientFor('assistant');
		const request = send('Read this', {
			parts: [
				{ text: 'Read this' },
				{ raw: Buffer.from('Hello from a file').toString('base64'), mediaType: 'text/plain', filename: 'note.txt' }
			]
		});
		const task = (await client.sendMessage(request)) as Task;
		expect(task.status?.state).toBe(TaskState.TASK_STATE_COMPLETED);
		const [question] = await listMessages(db, task.id);
		expect(question.parts).toEqual(expect.arrayContaining([expect.objectContaining({ type: 'file', mediaType: 'text/plain' })]));
	});

	it('reports an unknown task, and another caller’s, as task not found (-32001)', async () => {
		const client = await clientFor('assistant');
		await expect(client.getTask({ tenant: '', id: 'no_such_task_1' })).rejects.toMatchObject({ name: 'TaskNotFoundError' });
		const task = (await client.sendMessage(send('Mine'))) as Task;
		const bob = await rpc('assistant', { jsonrpc: '2.0', id: 7, method: 'GetTask', params: { id: task.id } }, bobKey);
		expect(await bob.json()).toMatchObject({ jsonrpc: '2.0', id: 7, error: { code: -32001 } });
		const legacy = await rpc('assistant', { jsonrpc: '2.0', id: 8, method: 'tasks/get', params: { id: 'no_such_task_2' } });
		expect(await legacy.json()).toMatchObject({ id: 8, error: { code: -32001 } });
	});

	it('speaks A2A 0.3’s method names', async () => {
		const response = await rpc('assistant', {
			jsonrpc: '2.0',
			id: 'a',
			method: 'message/send',
			params: { message: { kind: 'message', messageId: newId('msg'), role: 'user', parts: [{ kind: 'text', text: 'Hello' }] } }
		});
		const body = (await response.json()) as { result: { kind: string; id: string; status: { state: string } } };
		expect(body.result).toMatchObject({ kind: 'task', status: { state: 'completed' } });
		const got = await rpc('assistant', { jsonrpc: '2.0', id: 'b', method: 'tasks/get', params: { id: body.result.id } });
		expect(await got.json()).toMatchObject({ id: 'b', result: { id: body.result.id, status: { state: 'completed' } } });
	});
});

describe('bad input to /a2a/{agent}', () => {
	it('answers with JSON-RPC errors, or the HTTP status the transport decides', async () => {
		const notJson = await rpc('assistant', '{nope', aliceKey, true);
		expect(await notJson.json()).toMatchObject({ id: null, error: { code: -32700 } });
		const wrongVersion = await rpc('assistant', { jsonrpc: '1.0', id: 1, method: 'GetTask', params: { id: 'x' } });
		expect(await wrongVersion.json()).toMatchObject({ id: 1, error: { code: -32600 } });
		const unknownMethod = await rpc('assistant', { jsonrpc: '2.0', id: 2, method: 'tasks/explode' });
		expect(await unknownMethod.json()).toMatchObject({ id: 2, error: { code: -32601 } });
		const badParams = await rpc('assistant', {
			jsonrpc: '2.0',
			id: 3,
			method: 'SendMessage',
			params: { message: { messageId: 'm', role: 'ROLE_USER', parts: [] } }
		});
		expect(await badParams.json()).toMatchObject({ id: 3, error: { code: -32602 } });
		let deep: unknown = 'bottom';
		for (let level = 0; level < 100; level++) deep = { deep };
		const tooDeep = await rpc('assistant', { jsonrpc: '2.0', id: 4, method: 'GetTask', params: { id: 'x', deep } });
		expect(await tooDeep.json()).toMatchObject({ error: { code: -32600 } });

		const big = await rpc('assistant', { jsonrpc: '2.0', id: 5, method: 'GetTask', params: { id: 'x'.repeat(2 * 1024 * 1024) } });
		expect(big.status).toBe(413);
		const badKey = await rpc('assistant', { jsonrpc: '2.0', id: 6, method: 'GetTask', params: { id: 'x' } }, 'pk_not_a_key');
		expect(badKey.status).toBe(401);
		const noAgent = await rpc('no-such-agent', { jsonrpc: '2.0', id: 7, method: 'GetTask', params: { id: 'x' } });
		expect(noAgent.status).toBe(404);
		for (const response of [notJson, wrongVersion, unknownMethod, badParams, tooDeep, big, badKey, noAgent])
			expect(response.status).toBeLessThan(500);
	});

	it('answers a CORS preflight from a listed origin', async () => {
		const origin = 'https://app.example.com';
		const preflight = await fetch(`${server.baseURL}/a2a/assistant`, {
			method: 'OPTIONS',
			headers: {
				origin,
				'access-control-request-method': 'POST',
				'access-control-request-headers': 'authorization, content-type, a2a-version'
			}
		});
		expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
		const card = await fetch(`${server.baseURL}/.well-known/agent-card.json`, { headers: { origin } });
		expect(card.headers.get('access-control-allow-origin')).toBe(origin);
	});
});
