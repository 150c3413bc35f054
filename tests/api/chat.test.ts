import { DefaultChatTransport, readUIMessageStream, type UIMessage, type UIMessageChunk } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { startServer, type TestServer } from '../support/server';
import { signUp, type SessionClient } from '../support/session';
import { LONG_ANSWER_END } from '../support/text-deltas';

let server: TestServer;
let alice: SessionClient;
let bob: SessionClient;
let db: Db;

beforeAll(async () => {
	server = await startServer({ MOCK_TOKEN_DELAY_MS: '5' });
	alice = await signUp(server.baseURL, 'alice@example.com');
	bob = await signUp(server.baseURL, 'bob@example.com');
	db = await openDatabase({ url: server.databaseUrl });
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

function userMessage(text: string, id = crypto.randomUUID()): UIMessage {
	return { id, role: 'user', parts: [{ type: 'text', text }] };
}

/** The AI SDK's own client transport, signed in as a user. */
function transportFor(client: SessionClient, body: Record<string, unknown> = {}) {
	return new DefaultChatTransport({
		api: `${server.baseURL}/api/chat`,
		body,
		fetch: (input, init) => client.fetch(String(input), init)
	});
}

/** Sends one message with the real client and returns the final assistant message. */
async function ask(client: SessionClient, taskId: string, text: string, body: Record<string, unknown> = {}) {
	const stream = await transportFor(client, body).sendMessages({
		chatId: taskId,
		messages: [userMessage(text)],
		trigger: 'submit-message',
		messageId: undefined,
		abortSignal: undefined
	});
	let last: UIMessage | undefined;
	for await (const message of readUIMessageStream({ stream, terminateOnError: true })) last = message;
	if (!last) throw new Error('No message was streamed');
	return last;
}

/** A tRPC query; like tRPC's client, no `input` parameter when there is no input. */
async function trpc(client: SessionClient, path: string, input: unknown) {
	const query = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify(input))}`;
	const response = await client.fetch(`/api/trpc/${path}${query}`);
	return { status: response.status, body: await response.json() };
}

function textOf(message: UIMessage): string {
	return message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
}

describe('GET /health', () => {
	it('reports a healthy service and database', async () => {
		const response = await fetch(`${server.baseURL}/health`);
		expect(response.status).toBe(200);
		expect(await response.json()).toEqual({ status: 'healthy', service: 'parley', version: '0.1.0', database: 'ok' });
	});
});

describe('POST /api/chat with the AI SDK client', () => {
	it('streams an answer from the offline model and stores both messages', async () => {
		const taskId = `task_${crypto.randomUUID().slice(0, 8)}`;
		const answer = await ask(alice, taskId, 'Tell me about libSQL');
		expect(answer.role).toBe('assistant');
		expect(answer.parts.map((part) => part.type)).toEqual(['step-start', 'reasoning', 'text']);
		expect(textOf(answer)).toContain('You said: "Tell me about libSQL"');

		const { body } = await trpc(alice, 'tasks.get', { id: taskId });
		const task = body.result.data;
		expect(task.task.title).toBe('Tell me about libSQL');
		expect(task.running).toBe(false);
		expect(task.messages.map((message: { role: string; status: string }) => [message.role, message.status])).toEqual([
			['user', 'complete'],
			['assistant', 'complete']
		]);
		expect(task.messages[1].id).toBe(answer.id);
		expect(textOf(task.messages[1])).toBe(textOf(answer));
		expect(task.messages[1].model).toBe('mock:offline');
	});

	it('keeps the history: a second message continues the same task', async () => {
		const taskId = `task_${crypto.randomUUID().slice(0, 8)}`;
		await ask(alice, taskId, 'First question');
		await ask(alice, taskId, 'Second question');
		const { body } = await trpc(alice, 'tasks.get', { id: taskId });
		expect(body.result.data.messages.map((message: UIMessage) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
		const list = await trpc(alice, 'tasks.list', {});
		expect(list.body.result.data.items.map((task: { id: string }) => task.id)).toContain(taskId);
	});

	it('runs server tools of the chosen agent', async () => {
		const answer = await ask(alice, `task_${crypto.randomUUID().slice(0, 8)}`, 'calculator expression="6*7"', {
			agentId: 'tool-demo'
		});
		const tool = answer.parts.find((part) => part.type === 'tool-calculator');
		expect(tool).toMatchObject({ state: 'output-available', output: { expression: '6*7', result: 42 } });
		expect(textOf(answer)).toContain('42');
	});

	it('accepts an API key instead of a session', async () => {
		const [user] = await db.query.users.findMany({ where: (users, { eq }) => eq(users.email, 'alice@example.com') });
		const { key } = await createApiKey(db, user.id, 'tests');
		const response = await fetch(`${server.baseURL}/api/chat`, {
			method: 'POST',
			headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
			body: JSON.stringify({ id: `task_${crypto.randomUUID().slice(0, 8)}`, messages: [userMessage('Hi by key')] })
		});
		expect(response.status).toBe(200);
		expect(response.headers.get('x-vercel-ai-ui-message-stream')).toBe('v1');
		const text = await response.text();
		expect(text).toContain('"type":"finish"');
		expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);

		const bad = await fetch(`${server.baseURL}/api/chat`, {
			method: 'POST',
			headers: { authorization: 'Bearer pk_not_a_real_key', 'content-type': 'application/json' },
			body: '{}'
		});
		expect(bad.status).toBe(401);
		expect((await bad.json()).error.code).toBe('unauthorized');
	});
});

describe('POST /api/chat errors', () => {
	const validBody = () => ({ id: `task_${crypto.randomUUID().slice(0, 8)}`, messages: [userMessage('Hello')] });

	it('401 without a session or key for an agent that is not public', async () => {
		const response = await fetch(`${server.baseURL}/api/chat`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(validBody())
		});
		expect(response.status).toBe(401);
		expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
	});

	it('400 naming the problem for malformed JSON and missing fields', async () => {
		const malformed = await alice.fetch('/api/chat', { method: 'POST', body: '{"id": ' });
		expect(malformed.status).toBe(400);
		expect(await malformed.json()).toMatchObject({ error: { code: 'invalid_input', field: 'body' } });

		const missing = await alice.fetch('/api/chat', { method: 'POST', body: JSON.stringify({ id: 'task_12345678' }) });
		expect(missing.status).toBe(400);
		expect(await missing.json()).toMatchObject({ error: { code: 'invalid_input', field: 'messages' } });

		const badId = await alice.fetch('/api/chat', {
			method: 'POST',
			body: JSON.stringify({ ...validBody(), id: 'no spaces allowed' })
		});
		expect(badId.status).toBe(400);
		expect(await badId.json()).toMatchObject({ error: { field: 'id' } });

		const empty = await alice.fetch('/api/chat', {
			method: 'POST',
			body: JSON.stringify({ ...validBody(), messages: [{ role: 'user', parts: [] }] })
		});
		expect(empty.status).toBe(400);
	});

	it('404 for an unknown agent and for someone else’s task, without touching it', async () => {
		const unknownAgent = await alice.fetch('/api/chat', {
			method: 'POST',
			body: JSON.stringify({ ...validBody(), agentId: 'no-such-agent' })
		});
		expect(unknownAgent.status).toBe(404);

		const taskId = `task_${crypto.randomUUID().slice(0, 8)}`;
		await ask(alice, taskId, 'A private question');
		const intrusion = await bob.fetch('/api/chat', {
			method: 'POST',
			body: JSON.stringify({ id: taskId, messages: [userMessage('Let me in')] })
		});
		expect(intrusion.status).toBe(404);
		expect((await trpc(bob, 'tasks.get', { id: taskId })).status).toBe(404);
		const { body } = await trpc(alice, 'tasks.get', { id: taskId });
		expect(body.result.data.messages).toHaveLength(2);
	});

	it('403 for a cookie-authenticated post from another site', async () => {
		const response = await alice.fetch('/api/chat', {
			method: 'POST',
			headers: { origin: 'https://evil.example' },
			body: JSON.stringify(validBody())
		});
		expect(response.status).toBe(403);
		expect(await response.json()).toMatchObject({ error: { code: 'forbidden' } });
	});
});

describe('runs belong to the server', () => {
	it('a run goes on when the client disconnects, and resume replays it', async () => {
		const taskId = `task_${crypto.randomUUID().slice(0, 8)}`;
		const controller = new AbortController();
		const stream = await transportFor(alice).sendMessages({
			chatId: taskId,
			messages: [userMessage('Please write a long answer about tides')],
			trigger: 'submit-message',
			messageId: undefined,
			abortSignal: controller.signal
		});
		const reader = stream.getReader();
		let chunk: UIMessageChunk | undefined;
		do chunk = (await reader.read()).value;
		while (chunk && chunk.type !== 'text-delta');
		controller.abort();

		const resumed = await alice.fetch(`/api/chat/${taskId}/stream`);
		if (resumed.status === 200) {
			const replay = await resumed.text();
			expect(replay).toContain('"type":"start"');
			expect(replay).toContain('"type":"finish"');
		} else {
			expect(resumed.status).toBe(204);
		}
		const { body } = await trpc(alice, 'tasks.get', { id: taskId });
		const answer = body.result.data.messages[1];
		expect(answer.status).toBe('complete');
		expect(textOf(answer).split(/\s+/).length).toBeGreaterThanOrEqual(200);
		expect((await alice.fetch(`/api/chat/${taskId}/stream`)).status).toBe(204);
	});

	it('stop saves the partial answer as interrupted', async () => {
		const taskId = `task_${crypto.randomUUID().slice(0, 8)}`;
		const stream = await transportFor(alice).sendMessages({
			chatId: taskId,
			messages: [userMessage('Please write a long answer about rivers')],
			trigger: 'submit-message',
			messageId: undefined,
			abortSignal: undefined
		});
		// Five deltas in, the answer is stopped.
		const reader = stream.getReader();
		let received = '';
		for (let deltas = 0; deltas < 5;) {
			const { value, done } = await reader.read();
			if (done) throw new Error('The answer ended before its fifth delta.');
			if (value.type === 'text-delta') {
				received += value.delta;
				deltas++;
			}
		}

		expect((await bob.fetch(`/api/chat/${taskId}/stop`, { method: 'POST' })).status).toBe(404);
		const stop = await alice.fetch(`/api/chat/${taskId}/stop`, { method: 'POST' });
		expect(stop.status).toBe(200);
		expect(await stop.json()).toMatchObject({ stopped: true });

		const rest: UIMessageChunk[] = [];
		for (;;) {
			const { value, done } = await reader.read();
			if (done) break;
			rest.push(value);
		}
		expect(rest.at(-1)).toEqual({ type: 'abort' });

		const { body } = await trpc(alice, 'tasks.get', { id: taskId });
		const answer = body.result.data.messages[1];
		expect(answer.status).toBe('interrupted');
		// What was streamed before the stop is kept, and the answer ends short of its last sentence.
		expect(received.split(/\s+/).filter(Boolean)).toHaveLength(5);
		expect(textOf(answer).startsWith(received)).toBe(true);
		expect(textOf(answer)).not.toContain(LONG_ANSWER_END);
		const afterStop = rest.flatMap((chunk) => (chunk.type === 'text-delta' ? [chunk.delta] : [])).join('');
		expect(textOf(answer)).toBe(received + afterStop);
		expect(body.result.data.messages[0].parts[0].text).toBe('Please write a long answer about rivers');
	});
});

describe('tRPC', () => {
	it('lists the agents a user may use, with the offline model labelled', async () => {
		const { status, body } = await trpc(alice, 'agents.list', undefined);
		expect(status).toBe(200);
		const agents = body.result.data;
		expect(agents.map((agent: { slug: string }) => agent.slug).sort()).toEqual([
			'appointment',
			'assistant',
			'shop',
			'support',
			'tool-demo'
		]);
		expect(agents[0]).toMatchObject({ model: 'mock:offline', modelLabel: 'Offline demo model', offline: true });
	});

	it('refuses anonymous callers of protected procedures', async () => {
		const response = await fetch(`${server.baseURL}/api/trpc/tasks.list`);
		expect(response.status).toBe(401);
	});
});
