import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { agents, users } from '../../src/lib/server/db/schema';
import { listMessages } from '../../src/lib/server/services/messages';
import { findTask } from '../../src/lib/server/services/tasks';
import { startServer, type TestServer } from '../support/server';
import { signUp, type SessionClient } from '../support/session';
import { LONG_ANSWER_END } from '../support/text-deltas';

let server: TestServer;
let db: Db;
let aliceKey: string;
let bobKey: string;
let carol: SessionClient;

/** A server frame as the contract fixes it. */
interface Frame {
	type: 'loading' | 'chunk' | 'message' | 'error';
	role: string;
	message: string;
	timestamp: string;
	metadata: {
		context_used: boolean;
		confidence: number | null;
		error: string | null;
		tool_results: { tool: string; result: unknown }[];
		selected_product: unknown;
		task_id: string | null;
		anonymous_id?: string;
		code?: string;
	};
}

/** A connected client that keeps every frame it gets, and how the server closed it. */
interface Client {
	socket: WebSocket;
	frames: Frame[];
	/** Resolves with the frame at `index` once it has come. */
	frame(index: number): Promise<Frame>;
	/** Resolves with the frames of one answer: up to and including its `message` or `error` frame. */
	answer(from?: number): Promise<Frame[]>;
	closed: Promise<{ code: number; reason: string }>;
	send(message: string): void;
}

/** Opens a socket on the chat path with a query and headers. */
function connect(query: Record<string, string> = {}, headers: Record<string, string> = {}): Promise<Client> {
	const url = new URL('/ws/chat/', server.baseURL.replace('http:', 'ws:'));
	for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
	const socket = new WebSocket(url, { headers });
	const frames: Frame[] = [];
	const waiters: (() => void)[] = [];
	socket.on('message', (data) => {
		frames.push(JSON.parse(data.toString()) as Frame);
		for (const wake of waiters.splice(0)) wake();
	});
	const closed = new Promise<{ code: number; reason: string }>((resolve) =>
		socket.on('close', (code, reason) => {
			resolve({ code, reason: reason.toString() });
			for (const wake of waiters.splice(0)) wake();
		})
	);
	const until = async (done: () => boolean) => {
		while (!done()) {
			if (socket.readyState === WebSocket.CLOSED) throw new Error(`Closed after ${JSON.stringify(frames)}`);
			await new Promise<void>((wake) => waiters.push(wake));
		}
	};
	const client: Client = {
		socket,
		frames,
		closed,
		async frame(index) {
			await until(() => frames.length > index);
			return frames[index];
		},
		async answer(from = 0) {
			const end = () => frames.findIndex((frame, index) => index >= from && (frame.type === 'message' || frame.type === 'error'));
			await until(() => end() >= 0);
			return frames.slice(from, end() + 1);
		},
		send(message) {
			socket.send(JSON.stringify({ type: 'message', role: 'user', message, timestamp: new Date().toISOString() }));
		}
	};
	return new Promise((resolve, reject) => {
		socket.once('open', () => resolve(client));
		socket.once('error', reject);
	});
}

/** An API key for a new user. */
async function keyFor(email: string): Promise<string> {
	await signUp(server.baseURL, email);
	const [user] = await db.select().from(users).where(eq(users.email, email));
	return (await createApiKey(db, user.id, 'ws tests')).key;
}

/** Polls the stored answer of a task until `done` holds, for at most 10 s. */
async function storedAnswer(taskId: string, done: (status: string) => boolean) {
	const deadline = Date.now() + 10_000;
	for (;;) {
		const answer = (await listMessages(db, taskId)).find((message) => message.role === 'assistant');
		if (answer && done(answer.status)) return answer;
		if (Date.now() > deadline) throw new Error(`The answer stayed ${answer?.status}`);
		await new Promise((wake) => setTimeout(wake, 50));
	}
}

beforeAll(async () => {
	server = await startServer({ MOCK_TOKEN_DELAY_MS: '20' }, { entry: 'ws' });
	db = await openDatabase({ url: server.databaseUrl });
	aliceKey = await keyFor('alice@example.com');
	bobKey = await keyFor('bob@example.com');
	carol = await signUp(server.baseURL, 'carol@example.com');
	await db.insert(agents).values({ slug: 'open-demo', name: 'Open demo', model: 'mock:offline', visibility: 'public' });
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

const frameKeys = ['type', 'role', 'message', 'timestamp', 'metadata'];
const metadataKeys = ['context_used', 'confidence', 'error', 'tool_results', 'selected_product'];

describe('WebSocket chat', () => {
	it('streams loading, chunks and a final message in the documented shape, and stores the task', async () => {
		const client = await connect({ key: aliceKey });
		client.send('Hello there');
		const frames = await client.answer();
		expect(frames[0].type).toBe('loading');
		expect(frames.at(-1)?.type).toBe('message');
		const chunks = frames.filter((frame) => frame.type === 'chunk');
		expect(chunks.length).toBeGreaterThan(1);
		expect(frames.slice(1, -1).every((frame) => frame.type === 'chunk')).toBe(true);
		const text = frames.at(-1)!.message;
		expect(text.length).toBeGreaterThan(0);
		expect(chunks.map((frame) => frame.message).join('')).toBe(text);
		for (const frame of frames) {
			expect(Object.keys(frame)).toEqual(expect.arrayContaining(frameKeys));
			expect(Object.keys(frame.metadata)).toEqual(expect.arrayContaining(metadataKeys));
			expect(frame.role).toBe('assistant');
			expect(new Date(frame.timestamp).toISOString()).toBe(frame.timestamp);
			expect(frame.metadata).toMatchObject({ context_used: false, confidence: null, error: null, selected_product: null });
		}

		const taskId = frames.at(-1)!.metadata.task_id!;
		expect(frames.every((frame) => frame.metadata.task_id === taskId)).toBe(true);
		const task = await findTask(db, taskId);
		expect(task?.agentId).toBe((await db.select().from(agents).where(eq(agents.slug, 'assistant')))[0].id);
		const stored = await storedAnswer(taskId, (status) => status === 'complete');
		expect(
			stored.parts
				.filter((part) => part.type === 'text')
				.map((part) => (part as { text: string }).text)
				.join('')
		).toBe(text);

		// The same connection keeps the same task.
		client.send('And again');
		const second = await client.answer(frames.length);
		expect(second.at(-1)).toMatchObject({ type: 'message', metadata: { task_id: taskId } });
		expect((await listMessages(db, taskId)).map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
		client.socket.close();
	});

	it('puts tool outputs in tool_results', async () => {
		const client = await connect({ key: aliceKey, agent: 'tool-demo' });
		client.send('calculator expression="2+3"');
		const frames = await client.answer();
		const final = frames.at(-1)!;
		expect(final.type).toBe('message');
		expect(final.metadata.tool_results).toHaveLength(1);
		expect(final.metadata.tool_results[0].tool).toBe('calculator');
		expect(JSON.stringify(final.metadata.tool_results[0].result)).toContain('5');
		expect(final.message).toContain('5');
		client.socket.close();
	});

	it("continues a task of the caller named by task=, and refuses someone else's (1008)", async () => {
		const first = await connect({ key: aliceKey });
		first.send('Remember this');
		const taskId = (await first.answer()).at(-1)!.metadata.task_id!;
		first.socket.close();

		const again = await connect({ key: aliceKey, task: taskId });
		again.send('Continue');
		expect((await again.answer()).at(-1)).toMatchObject({ type: 'message', metadata: { task_id: taskId } });
		again.socket.close();
		expect(await listMessages(db, taskId)).toHaveLength(4);

		const bob = await connect({ key: bobKey, task: taskId });
		const refused = await bob.frame(0);
		expect(refused).toMatchObject({ type: 'error', role: 'assistant', metadata: { error: 'system_error', code: 'not_found' } });
		expect((await bob.closed).code).toBe(1008);
	});

	it('refuses anonymous callers (1008) and bad keys for a users agent, and serves them on a public agent', async () => {
		const anonymous = await connect({ agent: 'assistant' });
		expect((await anonymous.frame(0)).metadata).toMatchObject({ error: 'system_error', code: 'unauthorized' });
		expect((await anonymous.closed).code).toBe(1008);

		const badKey = await connect({ key: 'pk_not-a-key' });
		expect((await badKey.frame(0)).metadata.code).toBe('unauthorized');
		expect((await badKey.closed).code).toBe(1008);

		const visitor = await connect({ agent: 'open-demo' });
		visitor.send('Hello');
		const frames = await visitor.answer();
		const final = frames.at(-1)!;
		expect(final.type).toBe('message');
		const anonymousId = final.metadata.anonymous_id!;
		expect(anonymousId).toMatch(/^anon_/);
		const task = await findTask(db, final.metadata.task_id!);
		expect(task).toMatchObject({ userId: null, anonymousId });
		visitor.socket.close();

		// The anonymous id reaches its own task again, and only that id does.
		const back = await connect({ agent: 'open-demo', task: task!.id, anonymous_id: anonymousId });
		back.send('Me again');
		expect((await back.answer()).at(-1)?.type).toBe('message');
		back.socket.close();
		const stranger = await connect({ agent: 'open-demo', task: task!.id, anonymous_id: 'someone-else-123' });
		expect((await stranger.closed).code).toBe(1008);
	});

	it('accepts a session cookie from this site and refuses it from another origin', async () => {
		const own = await connect({}, { cookie: carol.cookie, origin: server.baseURL });
		own.send('Hello');
		expect((await own.answer()).at(-1)?.type).toBe('message');
		own.socket.close();

		const foreign = await connect({}, { cookie: carol.cookie, origin: 'https://evil.example' });
		expect((await foreign.frame(0)).metadata.code).toBe('forbidden');
		expect((await foreign.closed).code).toBe(1008);
	});

	it('answers an error frame to bad input: non-JSON closes with 1003, a wrong frame keeps the socket', async () => {
		const client = await connect({ key: aliceKey });
		client.socket.send(JSON.stringify({ type: 'hello' }));
		expect(await client.frame(0)).toMatchObject({
			type: 'error',
			role: 'assistant',
			metadata: { error: 'system_error', code: 'invalid_input' }
		});
		client.send('Still here?');
		expect((await client.answer(1)).at(-1)?.type).toBe('message');
		client.socket.send('not json');
		const error = await client.frame(client.frames.length);
		expect(error).toMatchObject({ type: 'error', metadata: { error: 'system_error', code: 'unsupported_media_type' } });
		expect((await client.closed).code).toBe(1003);

		const unknownAgent = await connect({ key: aliceKey, agent: 'no-such-agent' });
		expect((await unknownAgent.frame(0)).metadata.code).toBe('not_found');
		expect((await unknownAgent.closed).code).toBe(1008);
	});

	it('refuses a second message while an answer streams, then goes on', async () => {
		const client = await connect({ key: aliceKey });
		client.send('Give me a long answer');
		await client.frame(1);
		client.send('Hurry up');
		const untilRefusal = await client.answer();
		expect(untilRefusal.at(-1)).toMatchObject({
			type: 'error',
			metadata: { error: 'system_error', code: 'conflict' }
		});
		const rest = await client.answer(untilRefusal.length);
		expect(rest.at(-1)?.type).toBe('message');
		expect(rest.at(-1)!.message.split(/\s+/).length).toBeGreaterThanOrEqual(200);
		expect(rest.at(-1)!.metadata.task_id).toBe(untilRefusal[0].metadata.task_id);
		client.socket.close();
	});

	it('a client closing mid-answer stops the run, stored as interrupted', async () => {
		const client = await connect({ key: aliceKey });
		client.send('Give me a long answer');
		// Five chunks in (frames 1 to 5, after `loading`), the client goes away.
		await client.frame(5);
		const chunks = client.frames.slice(1, 6);
		expect(chunks.map((frame) => frame.type)).toEqual(['chunk', 'chunk', 'chunk', 'chunk', 'chunk']);
		const received = chunks.map((frame) => frame.message).join('');
		const taskId = chunks[0].metadata.task_id!;
		client.socket.close();
		const stored = await storedAnswer(taskId, (status) => status !== 'streaming');
		expect(stored.status).toBe('interrupted');
		const text = stored.parts
			.filter((part) => part.type === 'text')
			.map((part) => (part as { text: string }).text)
			.join('');
		expect(text.startsWith(received)).toBe(true);
		expect(text).not.toContain(LONG_ANSWER_END);
	});

	it('destroys upgrades on other paths, and plain HTTP still works', async () => {
		const socket = new WebSocket(server.baseURL.replace('http:', 'ws:') + '/ws/other/');
		await expect(new Promise((resolve, reject) => (socket.once('open', resolve), socket.once('error', reject)))).rejects.toThrow();
		expect((await fetch(`${server.baseURL}/health`)).status).toBe(200);
	});
});
