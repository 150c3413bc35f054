import {
	AssistantMessageAccumulator,
	AssistantTransportDecoder,
	DataStreamDecoder,
	unstable_createInitialMessage,
	type AssistantMessage
} from 'assistant-stream';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { agents, agentTools, tools } from '../../src/lib/server/db/schema';
import { startServer, type TestServer } from '../support/server';
import { signUp, type SessionClient } from '../support/session';
import { readRest, textReader } from '../support/streams';
import { LONG_ANSWER_END } from '../support/text-deltas';

let server: TestServer;
let alice: SessionClient;
let bob: SessionClient;
let db: Db;

beforeAll(async () => {
	// A small token delay, so that a long answer is still streaming when its caller goes away.
	server = await startServer({ MOCK_TOKEN_DELAY_MS: '3' });
	alice = await signUp(server.baseURL, 'alice@example.com');
	bob = await signUp(server.baseURL, 'bob@example.com');
	db = await openDatabase({ url: server.databaseUrl });
	// A client tool (the caller runs it) on its own agent; current_time made to need approval;
	// and a public agent for anonymous callers.
	const [lookup] = await db
		.insert(tools)
		.values({
			name: 'lookup_weather',
			description: 'Looks up the weather in a city; the caller runs it.',
			kind: 'client',
			inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }
		})
		.returning();
	const [weather] = await db.insert(agents).values({ slug: 'weather', name: 'Weather', model: 'mock:offline' }).returning();
	await db.insert(agentTools).values({ agentId: weather.id, toolId: lookup.id });
	await db.update(tools).set({ requiresApproval: true }).where(eq(tools.name, 'current_time'));
	await db.insert(agents).values({ slug: 'greeter', name: 'Greeter', model: 'mock:offline', visibility: 'public' });
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

/** The state Parley keeps in `state`. */
interface ThreadState {
	taskId: string;
	messages: {
		id: string;
		role: string;
		content: { type: string; text?: string; toolCallId?: string; toolName?: string; args?: unknown; result?: unknown }[];
		status?: { type: string; reason?: string };
	}[];
}

/** An `add-message` command as assistant-ui makes it. */
function addMessage(text: string, parentId: string | null = null) {
	return {
		type: 'add-message',
		message: { role: 'user', id: `u_${crypto.randomUUID().slice(0, 8)}`, parts: [{ type: 'text', text }] },
		parentId,
		sourceId: null
	};
}

/** The body `useAssistantTransportRuntime` posts, with the default thread list's local thread id. */
function bodyOf(commands: unknown[], state: unknown, extra: Record<string, unknown> = {}) {
	return {
		commands,
		state,
		system: undefined,
		tools: undefined,
		threadId: '__LOCALID_abc123',
		callSettings: {},
		config: {},
		...extra
	};
}

/** Posts to `/assistant`. */
function post(client: SessionClient, body: unknown, options: { query?: string; accept?: string } = {}) {
	return client.fetch(`/assistant${options.query ?? ''}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(options.accept ? { accept: options.accept } : {}) },
		body: JSON.stringify(body)
	});
}

/**
 * Reads an answer as the runtime does: the real decoder (strict), then the message accumulator
 * starting from the state the client sent; returns the final message and state.
 */
async function read(body: ReadableStream<Uint8Array> | null, sentState: unknown, format: 'data-stream' | 'sse' = 'data-stream') {
	if (!body) throw new Error('The response has no body');
	const decoder = format === 'sse' ? new AssistantTransportDecoder() : new DataStreamDecoder();
	const accumulator = new AssistantMessageAccumulator({
		initialMessage: unstable_createInitialMessage({ unstable_state: sentState as null })
	});
	let last: AssistantMessage | undefined;
	for await (const message of body.pipeThrough(decoder as unknown as TransformStream<Uint8Array, never>).pipeThrough(accumulator)) {
		last = message;
	}
	if (!last) throw new Error('Nothing was streamed');
	return { message: last, state: last.metadata.unstable_state as unknown as ThreadState };
}

/** Sends commands on a thread and reads the answer with the data stream decoder. */
async function turn(
	client: SessionClient,
	commands: unknown[],
	state: unknown,
	options: { query?: string; extra?: Record<string, unknown> } = {}
) {
	const response = await post(client, bodyOf(commands, state, options.extra), options);
	expect(response.status).toBe(200);
	return { response, ...(await read(response.body, state)) };
}

const textOf = (message: ThreadState['messages'][number]) =>
	message.content.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');

async function storedMessages(client: SessionClient, taskId: string) {
	const response = await client.fetch(`/api/trpc/tasks.get?input=${encodeURIComponent(JSON.stringify({ id: taskId }))}`);
	const body = await response.json();
	return body.result.data.messages as { id: string; role: string; status: string; parts: { type: string; text?: string }[] }[];
}

describe('a thread over the data stream (the stock client’s default)', () => {
	it('first turn: the server sets state.taskId and streams the thread into state.messages', async () => {
		const ask = addMessage('Hello there');
		const initial = { messages: [], theme: 'dark' };
		const { response, message, state } = await turn(alice, [ask], initial);
		expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
		expect(response.headers.get('x-vercel-ai-data-stream')).toBe('v1');

		expect(state.taskId).toEqual(expect.any(String));
		expect(response.headers.get('x-parley-task-id')).toBe(state.taskId);
		expect((state as unknown as { theme: string }).theme).toBe('dark');
		expect(state.messages).toHaveLength(2);
		expect(state.messages[0]).toStrictEqual({ id: ask.message.id, role: 'user', content: [{ type: 'text', text: 'Hello there' }] });
		expect(state.messages[1]).toMatchObject({ role: 'assistant', status: { type: 'complete', reason: 'stop' } });
		expect(textOf(state.messages[1])).toContain('You said: "Hello there"');
		// The message the decoder builds agrees with the state.
		expect(message.status).toMatchObject({ type: 'complete' });
		expect(message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('')).toBe(textOf(state.messages[1]));

		const stored = await storedMessages(alice, state.taskId);
		expect(stored.map((entry) => [entry.id, entry.role, entry.status])).toStrictEqual([
			[ask.message.id, 'user', 'complete'],
			[state.messages[1].id, 'assistant', 'complete']
		]);
	});

	it('second turn: the history comes from the database, whatever state.messages holds', async () => {
		const first = await turn(alice, [addMessage('What is libSQL?')], { messages: [] });
		const lastId = first.state.messages[1].id;
		// The client forgot its messages: the server still answers from the stored thread.
		const sent = { taskId: first.state.taskId, messages: [] };
		const second = await turn(alice, [addMessage('And Turso?', lastId)], sent);
		expect(second.state.taskId).toBe(first.state.taskId);
		expect(second.state.messages.map((entry) => entry.role)).toStrictEqual(['user', 'assistant', 'user', 'assistant']);
		expect(second.state.messages.slice(0, 2)).toStrictEqual(first.state.messages);
		expect(textOf(second.state.messages[3])).toContain('You said: "And Turso?"');
		expect(await storedMessages(alice, first.state.taskId)).toHaveLength(4);
	});

	it('a parentId before the last message edits the question after it, dropping what followed', async () => {
		const first = await turn(alice, [addMessage('What is libSQL?')], { messages: [] });
		const second = await turn(alice, [addMessage('And Turso?', first.state.messages[1].id)], first.state);
		const edited = addMessage('And Drizzle?', first.state.messages[1].id);
		const third = await turn(alice, [edited], second.state);
		expect(third.state.messages.map((entry) => entry.id).slice(0, 3)).toStrictEqual([
			first.state.messages[0].id,
			first.state.messages[1].id,
			edited.message.id
		]);
		expect(third.state.messages).toHaveLength(4);
		expect(textOf(third.state.messages[3])).toContain('You said: "And Drizzle?"');
		const stored = await storedMessages(alice, first.state.taskId);
		expect(stored.map((entry) => entry.id)).toStrictEqual(third.state.messages.map((entry) => entry.id));
	});

	it('a new thread stores state.messages as its history first', async () => {
		const state = {
			messages: [{ id: 'greet_1', role: 'assistant', content: [{ type: 'text', text: 'Hi! Ask me anything.' }] }]
		};
		const { state: after } = await turn(alice, [addMessage('Thanks', 'greet_1')], state);
		expect(after.messages.map((entry) => [entry.role, textOf(entry).slice(0, 20)])).toStrictEqual([
			['assistant', 'Hi! Ask me anything.'],
			['user', 'Thanks'],
			['assistant', expect.stringContaining('You said')]
		]);
		expect(after.messages[0].id).toBe('greet_1');
	});
});

describe('the SSE format (assistant-transport)', () => {
	for (const [name, options] of [
		['?protocol=assistant-transport', { query: '?protocol=assistant-transport' }],
		['Accept: text/event-stream', { accept: 'text/event-stream' }]
	] as const) {
		it(`is answered for ${name}, and the strict decoder reads it`, async () => {
			const response = await post(alice, bodyOf([addMessage('Hello over SSE')], {}), options);
			expect(response.status).toBe(200);
			expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
			const raw = await response.text();
			expect(raw.endsWith('data: [DONE]\n\n')).toBe(true);
			expect(raw).not.toMatch(/^event:/m);
			const { state, message } = await read(new Response(raw).body, {}, 'sse');
			expect(state.taskId).toEqual(expect.any(String));
			expect(textOf(state.messages[1])).toContain('You said: "Hello over SSE"');
			expect(message.status).toMatchObject({ type: 'complete', reason: 'stop' });
		});
	}
});

describe('tools', () => {
	it('a client tool call waits for add-tool-result, which continues the same answer', async () => {
		const paused = await turn(alice, [addMessage('Please lookup weather city=Paris')], { messages: [] }, { query: '?agent=weather' });
		const answer = paused.state.messages[1];
		expect(answer.status).toStrictEqual({ type: 'requires-action', reason: 'tool-calls' });
		const call = answer.content.find((part) => part.type === 'tool-call');
		expect(call).toMatchObject({ toolName: 'lookup_weather', args: { city: 'Paris' } });
		expect(call).not.toHaveProperty('result');
		expect(paused.message.status).toMatchObject({ type: 'requires-action' });

		const result = {
			type: 'add-tool-result',
			toolCallId: call?.toolCallId,
			toolName: 'lookup_weather',
			result: { temperature: 21 },
			isError: false
		};
		const continued = await turn(alice, [result], paused.state);
		expect(continued.state.messages).toHaveLength(2);
		const after = continued.state.messages[1];
		expect(after.id).toBe(answer.id);
		expect(after.content.find((part) => part.type === 'tool-call')).toMatchObject({ result: { temperature: 21 } });
		expect(textOf(after)).toContain('The lookup_weather tool returned: {"temperature":21}');
		expect(after.status).toStrictEqual({ type: 'complete', reason: 'stop' });
		const stored = await storedMessages(alice, paused.state.taskId);
		expect(stored.map((entry) => entry.status)).toStrictEqual(['complete', 'complete']);
	});

	it('frontend tools are offered to the model; results answered one at a time continue once all are in', async () => {
		const cityTool = (description: string) => ({
			description,
			parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }
		});
		const extra = { tools: { get_weather: cityTool('The weather in a city.'), get_time: cityTool('The time in a city.') } };
		const paused = await turn(alice, [addMessage('Please get weather and get time city=Oslo')], {}, { extra });
		const calls = paused.state.messages[1].content.filter((part) => part.type === 'tool-call');
		expect(calls.map((call) => [call.toolName, call.args])).toStrictEqual([
			['get_weather', { city: 'Oslo' }],
			['get_time', { city: 'Oslo' }]
		]);
		const resultOf = (index: number, result: unknown) => ({
			type: 'add-tool-result',
			toolCallId: calls[index].toolCallId,
			toolName: calls[index].toolName,
			result,
			isError: false
		});

		// One result of two: stored, nothing runs; the state shows it, still waiting.
		const half = await turn(alice, [resultOf(0, { sky: 'clear' })], paused.state, { extra });
		expect(half.state.messages).toHaveLength(2);
		expect(half.state.messages[1].status).toStrictEqual({ type: 'requires-action', reason: 'tool-calls' });
		expect(half.state.messages[1].content.filter((part) => part.type === 'tool-call').map((call) => call.result)).toStrictEqual([
			{ sky: 'clear' },
			undefined
		]);

		const done = await turn(alice, [resultOf(1, { time: '09:00' })], half.state, { extra });
		const answer = done.state.messages[1];
		expect(answer.id).toBe(paused.state.messages[1].id);
		expect(textOf(answer)).toContain('{"sky":"clear"}');
		expect(textOf(answer)).toContain('{"time":"09:00"}');
		expect(answer.status).toStrictEqual({ type: 'complete', reason: 'stop' });
	});

	it('a call waiting for approval runs after {approved: true}', async () => {
		const paused = await turn(
			alice,
			[addMessage('What is the current time timezone=UTC')],
			{},
			{ extra: { config: { agent: 'tool-demo' } } }
		);
		const call = paused.state.messages[1].content.find((part) => part.type === 'tool-call') as {
			toolCallId: string;
			approval?: { id: string };
		};
		expect(call.approval).toMatchObject({ id: expect.any(String) });
		const approved = await turn(
			alice,
			[{ type: 'add-tool-result', toolCallId: call.toolCallId, toolName: 'current_time', result: { approved: true }, isError: false }],
			paused.state
		);
		expect(textOf(approved.state.messages[1])).toContain('The current_time tool returned');
	});

	it('answers a result for a call that is not waiting with 404, before any stream', async () => {
		const done = await turn(alice, [addMessage('Hi')], {});
		const response = await post(
			alice,
			bodyOf([{ type: 'add-tool-result', toolCallId: 'nope', toolName: 'x', result: 1, isError: false }], done.state)
		);
		expect(response.status).toBe(404);
		expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
	});
});

describe('access and errors', () => {
	it('someone else’s thread, or an unknown one, is 404', async () => {
		const mine = await turn(alice, [addMessage('Private')], {});
		for (const body of [
			bodyOf([addMessage('Let me in')], {}, { threadId: mine.state.taskId }),
			bodyOf([addMessage('Let me in')], { taskId: mine.state.taskId })
		]) {
			const response = await post(bob, body);
			expect(response.status).toBe(404);
			expect((await response.json()).error.code).toBe('not_found');
		}
		const foreign = await post(bob, bodyOf([addMessage('x')], {}, { threadId: mine.state.taskId }));
		expect((await foreign.json()).error.field).toBe('threadId');
		const unknown = await post(alice, bodyOf([addMessage('x')], { taskId: 'no-such-task' }));
		expect(unknown.status).toBe(404);
		expect((await unknown.json()).error).toMatchObject({ code: 'not_found', field: 'state.taskId' });
		expect(await storedMessages(alice, mine.state.taskId)).toHaveLength(2);
	});

	it('a bad body is 400 naming the field', async () => {
		const empty = await post(alice, { commands: [{ type: 'add-message', message: { role: 'user', parts: [] }, parentId: null }] });
		expect(empty.status).toBe(400);
		expect(await empty.json()).toStrictEqual({
			error: { code: 'invalid_input', message: 'commands.0.message.parts: The message is empty.', field: 'commands.0.message.parts' }
		});
		const missing = await post(alice, { state: {} });
		expect(missing.status).toBe(400);
		expect((await missing.json()).error.field).toBe('commands');
		const malformed = await alice.fetch('/assistant', { method: 'POST', body: '{"commands": [' });
		expect(malformed.status).toBe(400);
		expect((await malformed.json()).error.field).toBe('body');
		const protocol = await post(alice, bodyOf([addMessage('x')], {}), { query: '?protocol=websocket' });
		expect(protocol.status).toBe(400);
		expect((await protocol.json()).error.field).toBe('protocol');
	});

	it('anonymous callers may use public agents only, and get an anonymous id back', async () => {
		const refused = await fetch(`${server.baseURL}/assistant?agent=assistant`, {
			method: 'POST',
			body: JSON.stringify(bodyOf([addMessage('Hi')], {}))
		});
		expect(refused.status).toBe(401);
		expect((await refused.json()).error.code).toBe('unauthorized');
		const response = await fetch(`${server.baseURL}/assistant?agent=greeter`, {
			method: 'POST',
			body: JSON.stringify(bodyOf([addMessage('Hi greeter')], {}))
		});
		expect(response.status).toBe(200);
		const anonymousId = response.headers.get('x-anonymous-id');
		expect(anonymousId).toMatch(/^anon_/);
		const { state } = await read(response.body, {});
		expect(textOf(state.messages[1])).toContain('You said: "Hi greeter"');
		// Another anonymous caller cannot continue it.
		const stranger = await fetch(`${server.baseURL}/assistant`, {
			method: 'POST',
			headers: { 'x-anonymous-id': 'anon_someone-else' },
			body: JSON.stringify(bodyOf([addMessage('Hi')], { taskId: state.taskId }))
		});
		expect(stranger.status).toBe(404);
	});
});

describe('disconnects', () => {
	it('a caller that goes away stops its run, which is stored as interrupted', async () => {
		const controller = new AbortController();
		const response = await alice.fetch('/assistant', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(bodyOf([addMessage('Please write a long answer about tides')], {})),
			signal: controller.signal
		});
		expect(response.status).toBe(200);
		const taskId = response.headers.get('x-parley-task-id');
		if (!taskId) throw new Error('No task id header');
		// Five text parts in (data-stream lines `0:"…"`), the caller goes away.
		const reader = textReader(response.body);
		let seen = '';
		let texts: string[] = [];
		while (texts.length < 5) {
			const { value, done } = await reader.read();
			if (done) throw new Error('The answer ended before its fifth text part.');
			seen += value;
			texts = seen
				.split('\n')
				.slice(0, -1)
				.flatMap((line) => (line.startsWith('0:') ? [JSON.parse(line.slice(2)) as string] : []));
		}
		const received = texts.slice(0, 5).join('');
		controller.abort();

		// Wait for the run to end: the chat stream's resume replays it to its end (204 once over).
		const resumed = await alice.fetch(`/api/chat/${taskId}/stream`);
		if (resumed.status === 200) await readRest(textReader(resumed.body));
		else expect(resumed.status).toBe(204);

		const stored = await storedMessages(alice, taskId);
		expect(stored[1].status).toBe('interrupted');
		const text = stored[1].parts.flatMap((part) => (part.type === 'text' ? [part.text ?? ''] : [])).join('');
		expect(received.split(/\s+/).filter(Boolean)).toHaveLength(5);
		expect(text.startsWith(received)).toBe(true);
		expect(text).not.toContain(LONG_ANSWER_END);
	});
});
