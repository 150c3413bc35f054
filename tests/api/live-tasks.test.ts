import { createTRPCClient, httpSubscriptionLink, TRPCClientError } from '@trpc/client';
import { EventSource } from 'eventsource';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TaskEvent } from '../../src/lib/server/live/task-event';
import type { AppRouter } from '../../src/lib/server/trpc/routers/_app';
import { startRedis, type TestRedis } from '../support/redis';
import { startServer, type TestServer } from '../support/server';
import { startServerPair, type ServerPair } from '../support/server-pair';
import { signUp, type SessionClient } from '../support/session';
import { textReader } from '../support/streams';

/** A tracked event as the tRPC client hands it over. */
interface LiveEvent {
	id: string;
	data: TaskEvent;
}

/** A subscription to a task's live events through tRPC's own client, with Node's EventSource ponyfill. */
interface Following {
	events: LiveEvent[];
	/** Resolves once an event matches (or one already has); rejects if the subscription fails first. */
	until(predicate: (event: LiveEvent) => boolean): Promise<LiveEvent>;
	/** Resolves with the error the subscription ended with. */
	failure: Promise<unknown>;
	/** Resolves once the server has accepted the subscription. */
	started: Promise<void>;
	stop(): void;
}

/** Follows a task on a server as the holder of `cookie`, from `lastEventId` when given. */
function follow(baseURL: string, cookie: string, taskId: string, lastEventId?: string | null): Following {
	const client = createTRPCClient<AppRouter>({
		links: [
			httpSubscriptionLink({
				url: `${baseURL}/api/trpc`,
				EventSource: EventSource as unknown as typeof globalThis.EventSource,
				eventSourceOptions: {
					fetch: (input: string | URL, init?: RequestInit) =>
						fetch(input, { ...init, headers: { ...(init?.headers as Record<string, string>), cookie } })
				} as EventSourceInit
			})
		]
	});
	const events: LiveEvent[] = [];
	const waiters = new Set<{ predicate: (event: LiveEvent) => boolean; resolve(event: LiveEvent): void; reject(error: unknown): void }>();
	let failed: ((error: unknown) => void) | undefined;
	const failure = new Promise<unknown>((resolve) => (failed = resolve));
	let onStarted: (() => void) | undefined;
	const started = new Promise<void>((resolve) => (onStarted = resolve));
	const subscription = client.tasks.live.subscribe(
		{ taskId, lastEventId: lastEventId ?? null },
		{
			onStarted: () => onStarted?.(),
			onData(event) {
				const live = event as unknown as LiveEvent;
				events.push(live);
				for (const waiter of waiters) {
					if (waiter.predicate(live)) {
						waiters.delete(waiter);
						waiter.resolve(live);
					}
				}
			},
			onError(error) {
				failed?.(error);
				for (const waiter of waiters) waiter.reject(error);
				waiters.clear();
			}
		}
	);
	return {
		events,
		failure,
		started,
		until(predicate) {
			const found = events.find(predicate);
			if (found) return Promise.resolve(found);
			return new Promise((resolve, reject) => waiters.add({ predicate, resolve, reject }));
		},
		stop: () => subscription.unsubscribe()
	};
}

/** The UI message chunks of an AI SDK UI message stream body, `[DONE]` left out. */
function chunksOf(body: string): unknown[] {
	return body
		.split('\n\n')
		.filter((block) => block.startsWith('data: ') && block !== 'data: [DONE]')
		.map((block) => JSON.parse(block.slice('data: '.length)));
}

const chunksIn = (events: LiveEvent[], messageId: string) =>
	events.flatMap(({ data }) => (data.type === 'chunk' && data.messageId === messageId ? [data.chunk] : []));

const textOfParts = (parts: { type: string; text?: string }[]) =>
	parts.flatMap((part) => (part.type === 'text' ? [part.text ?? ''] : [])).join('');

/** Asks a question in the chat of a task (creating it when new) and reads the whole answer stream. */
async function ask(client: (path: string, init?: RequestInit) => Promise<Response>, taskId: string, text: string): Promise<string> {
	const response = await client('/api/chat', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			id: taskId,
			messages: [{ id: `q_${crypto.randomUUID().slice(0, 8)}`, role: 'user', parts: [{ type: 'text', text }] }]
		})
	});
	expect(response.status).toBe(200);
	return response.text();
}

/** The task as the chat page loads it, with the live event id read with its messages. */
async function load(client: SessionClient | ((path: string) => Promise<Response>), taskId: string) {
	const get = typeof client === 'function' ? client : client.fetch;
	const response = await get(`/api/trpc/tasks.get?input=${encodeURIComponent(JSON.stringify({ id: taskId }))}`);
	expect(response.status).toBe(200);
	return (await response.json()).result.data as {
		liveEventId: string;
		messages: { id: string; role: string; status: string; parts: { type: string; text?: string }[] }[];
	};
}

const newTaskId = () => `task_${crypto.randomUUID().slice(0, 8)}`;

/** Deletes a task through tRPC's `tasks.delete`, as a signed-in client. */
async function deleteTask(client: (path: string, init?: RequestInit) => Promise<Response>, id: string): Promise<void> {
	const response = await client('/api/trpc/tasks.delete', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ id })
	});
	expect(response.status).toBe(200);
}

/** Asks the first question of a new chat with a chosen id, as the UI does; the response as it is. */
function startChat(client: (path: string, init?: RequestInit) => Promise<Response>, taskId: string, text: string) {
	return client('/api/chat', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({
			id: taskId,
			messages: [{ id: `q_${crypto.randomUUID().slice(0, 8)}`, role: 'user', parts: [{ type: 'text', text }] }]
		})
	});
}

/** The texts of every stored message a subscription was shown. */
const textsShown = (events: LiveEvent[]) =>
	events.flatMap(({ data }) => (data.type === 'messages' ? data.messages.map((message) => textOfParts(message.parts as never)) : []));

/**
 * The end of a new run: not one of the answers the page loaded. (The feed may still be telling
 * the end of the run that made the page's last answer, when it read the page before that end.)
 */
const newRunEnd =
	(page: { messages: { id: string }[] }) =>
	({ data }: LiveEvent) =>
		data.type === 'run-end' && !page.messages.some((message) => message.id === data.messageId);

/** The events of the run that asked `question`: from its `messages` event to its end. */
function runOf(events: LiveEvent[], question: string): LiveEvent[] {
	const start = events.findIndex(
		({ data }) =>
			data.type === 'messages' &&
			data.messages.some((message) => message.role === 'user' && textOfParts(message.parts as never) === question)
	);
	expect(start).toBeGreaterThanOrEqual(0);
	const end = events.findIndex((event, index) => index > start && event.data.type === 'run-end');
	return events.slice(start, end + 1);
}

describe('tasks.live on one server', () => {
	let server: TestServer;
	let alice: SessionClient;
	let mallory: SessionClient;

	beforeAll(async () => {
		server = await startServer({ MOCK_TOKEN_DELAY_MS: '2' });
		alice = await signUp(server.baseURL, 'alice@example.com');
		mallory = await signUp(server.baseURL, 'mallory@example.com');
	});

	afterAll(async () => {
		await server?.stop();
	});

	it('shows a viewer the question, the streamed answer (the same chunks as the asker’s own stream) and the stored answer', async () => {
		const taskId = newTaskId();
		await ask(alice.fetch, taskId, 'First question');
		const page = await load(alice, taskId);
		const viewer = follow(server.baseURL, alice.cookie, taskId, page.liveEventId);
		try {
			// Another tab asks; its own response carries the answer stream.
			const own = await ask(alice.fetch, taskId, 'Tell me about tides');
			const end = await viewer.until(newRunEnd(page));
			if (end.data.type !== 'run-end') throw new Error('not the end');
			expect(end.data.status).toBe('complete');

			const run = runOf(viewer.events, 'Tell me about tides');
			expect(run.at(-1)).toBe(end);
			const [first] = run;
			expect(first.data.type).toBe('messages');
			if (first.data.type !== 'messages') return;
			const [question, draft] = first.data.messages;
			expect(question).toMatchObject({ role: 'user', status: 'complete', parts: [{ type: 'text', text: 'Tell me about tides' }] });
			expect(draft).toMatchObject({ id: end.data.messageId, role: 'assistant', status: 'streaming' });
			expect(first.data.order).toStrictEqual([...page.messages.map((message) => message.id), question.id, draft.id]);

			// The viewer got exactly the chunks the asker's own stream had.
			expect(chunksIn(run, draft.id)).toStrictEqual(chunksOf(own));

			const stored = run.at(-2)!.data;
			expect(stored.type).toBe('messages');
			if (stored.type !== 'messages') return;
			expect(stored.messages).toMatchObject([{ id: draft.id, status: 'complete' }]);
			expect(textOfParts(stored.messages[0].parts as { type: string; text?: string }[])).toContain('You said: "Tell me about tides"');

			// Ids are tracked and grow one by one: nothing missed, nothing twice.
			const seqs = viewer.events.map((event) => Number(event.id.split('-')[1]));
			expect(seqs[0]).toBe(Number(page.liveEventId.split('-')[1]) + 1);
			expect(seqs).toStrictEqual(seqs.map((_, index) => seqs[0] + index));
		} finally {
			viewer.stop();
		}
	});

	it('resumes after lastEventId with what was missed and nothing twice; over SSE with Last-Event-ID too', async () => {
		const taskId = newTaskId();
		await ask(alice.fetch, taskId, 'Hello');
		const page = await load(alice, taskId);
		const whole = follow(server.baseURL, alice.cookie, taskId, page.liveEventId);
		await ask(alice.fetch, taskId, 'Write a long answer about rain');
		await whole.until(newRunEnd(page));
		whole.stop();
		const all = whole.events;
		expect(all.length).toBeGreaterThan(10);

		// A client that dropped after the fifth event reconnects with its id.
		const resumed = follow(server.baseURL, alice.cookie, taskId, all[4].id);
		try {
			await resumed.until(newRunEnd(page));
			expect(resumed.events).toStrictEqual(all.slice(5));
		} finally {
			resumed.stop();
		}

		// An EventSource reconnecting sends the header; the wire is plain tRPC SSE with ids.
		const input = encodeURIComponent(JSON.stringify({ taskId }));
		const response = await alice.fetch(`/api/trpc/tasks.live?input=${input}`, {
			headers: { accept: 'text/event-stream', 'last-event-id': all.at(-3)!.id }
		});
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toContain('text/event-stream');
		const reader = textReader(response.body);
		let text = '';
		while (!text.includes('"run-end"')) {
			const { value, done } = await reader.read();
			if (done) break;
			text += value;
		}
		await reader.cancel();
		expect(text.startsWith('event: connected\n')).toBe(true);
		const ids = [...text.matchAll(/^id: (.+)$/gm)].map((match) => match[1]);
		expect(ids).toStrictEqual(all.slice(-2).map((event) => event.id));
	});

	it('tells a client whose events are no longer kept to reload', async () => {
		const taskId = newTaskId();
		await ask(alice.fetch, taskId, 'Hello');
		const { liveEventId } = await load(alice, taskId);
		const [epoch] = liveEventId.split('-');
		// An id from another life of the feed (a restart) cannot be resumed.
		const stale = follow(server.baseURL, alice.cookie, taskId, 'aaaaaaaa-7');
		try {
			const reset = await stale.until(() => true);
			expect(reset.data).toStrictEqual({ type: 'reset' });
			expect(reset.id).toBe(liveEventId);
			expect(reset.id.startsWith(`${epoch}-`)).toBe(true);
		} finally {
			stale.stop();
		}
	});

	it('shows runs started by other faces too (the agent API)', async () => {
		const taskId = newTaskId();
		await ask(alice.fetch, taskId, 'Hello');
		const page = await load(alice, taskId);
		const viewer = follow(server.baseURL, alice.cookie, taskId, page.liveEventId);
		try {
			const response = await alice.fetch('/api/agent/stream/', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ message: 'From a program', agent_id: 'assistant', session_id: taskId })
			});
			expect(response.status).toBe(200);
			await response.text();
			const end = await viewer.until(newRunEnd(page));
			const run = runOf(viewer.events, 'From a program');
			expect(run.at(-1)).toBe(end);
			if (end.data.type !== 'run-end') return;
			expect(chunksIn(run, end.data.messageId).map((chunk) => (chunk as { type: string }).type)).toContain('text-delta');
		} finally {
			viewer.stop();
		}
	});

	it('refuses someone else’s task as not found, and a visitor who is not signed in', async () => {
		const taskId = newTaskId();
		await ask(alice.fetch, taskId, 'Private');
		const snooping = follow(server.baseURL, mallory.cookie, taskId);
		const error = await snooping.failure;
		snooping.stop();
		expect(error).toBeInstanceOf(TRPCClientError);
		expect((error as TRPCClientError<AppRouter>).data?.code).toBe('NOT_FOUND');

		const visitor = follow(server.baseURL, '', taskId);
		const refused = await visitor.failure;
		visitor.stop();
		expect((refused as TRPCClientError<AppRouter>).data?.code).toBe('UNAUTHORIZED');
	});

	it('deleting a task ends its subscriptions as not found, and its id is refused to anyone after (409)', async () => {
		const taskId = newTaskId();
		await ask(alice.fetch, taskId, 'Hello');
		const page = await load(alice, taskId);
		const viewer = follow(server.baseURL, alice.cookie, taskId, page.liveEventId);
		await viewer.started;
		try {
			await deleteTask(alice.fetch, taskId);
			const error = await viewer.failure;
			expect(error).toBeInstanceOf(TRPCClientError);
			expect((error as TRPCClientError<AppRouter>).data?.code).toBe('NOT_FOUND');

			// Someone else proposing the id gets a clear refusal, not the old task's place.
			const taken = await startChat(mallory.fetch, taskId, 'Mallory’s secret');
			expect(taken.status).toBe(409);
			expect(await taken.text()).toContain('deleted task');
			// Nor does its former owner get it back.
			expect((await startChat(alice.fetch, taskId, 'Again')).status).toBe(409);
			expect(textsShown(viewer.events)).not.toContain('Mallory’s secret');

			// A new subscription to the id is refused as not found.
			const late = follow(server.baseURL, alice.cookie, taskId);
			expect(((await late.failure) as TRPCClientError<AppRouter>).data?.code).toBe('NOT_FOUND');
			late.stop();
		} finally {
			viewer.stop();
		}
	});

	it('refuses to take over someone else’s task by proposing its id (404)', async () => {
		const taskId = newTaskId();
		await ask(alice.fetch, taskId, 'Mine');
		const response = await startChat(mallory.fetch, taskId, 'Let me in');
		expect(response.status).toBe(404);
		expect((await load(alice, taskId)).messages.map((message) => textOfParts(message.parts))).not.toContain('Let me in');
	});

	// Last: it stops the server.
	it('a stopping server ends its subscriptions at once with a retryable error, so that clients reconnect elsewhere', async () => {
		const taskId = newTaskId();
		await ask(alice.fetch, taskId, 'Hello');
		const input = encodeURIComponent(JSON.stringify({ taskId }));
		const response = await alice.fetch(`/api/trpc/tasks.live?input=${input}`);
		const reader = textReader(response.body);
		expect(await reader.read()).toMatchObject({ value: expect.stringContaining('event: connected') });
		const rest = (async () => {
			let text = '';
			for (let part = await reader.read(); !part.done; part = await reader.read()) text += part.value;
			return text;
		})();
		await server.stop();
		const text = await rest;
		expect(text).toContain('event: serialized-error');
		expect(text).toContain('"code":"SERVICE_UNAVAILABLE"');
	});
});

const redis: TestRedis = await startRedis();
if ('reason' in redis) console.log(`Skipping the two-process live tests: ${redis.reason}.`);

describe.skipIf(!redis.url)('tasks.live across two server processes sharing Redis', () => {
	let pair: ServerPair;
	let first: TestServer;
	let second: TestServer;
	let alice: SessionClient;

	beforeAll(async () => {
		pair = await startServerPair(redis.url ?? '', { first: { MOCK_TOKEN_DELAY_MS: '2' }, second: { MOCK_TOKEN_DELAY_MS: '2' } });
		({ first, second, alice } = pair);
	});

	afterAll(async () => {
		await pair?.stop();
		if ('stop' in redis) await redis.stop();
	});

	/** Alice's session, sent to the second server. */
	const onSecond = (path: string, init: RequestInit = {}) => pair.onSecond(path, init);

	it('a viewer on one process sees, live, a run on the other; a reconnect to either resumes', async () => {
		const taskId = newTaskId();
		await ask(alice.fetch, taskId, 'Hello');
		const page = await load(alice, taskId);
		const onFirst = follow(first.baseURL, alice.cookie, taskId, page.liveEventId);
		try {
			const own = await ask(onSecond, taskId, 'Asked on the second server');
			const end = await onFirst.until(newRunEnd(page));
			if (end.data.type !== 'run-end') return;
			expect(end.data.status).toBe('complete');
			const run = runOf(onFirst.events, 'Asked on the second server');
			expect(run.at(-1)).toBe(end);
			expect(chunksIn(run, end.data.messageId)).toStrictEqual(chunksOf(own));

			// The second process replays from Redis what a client of the first missed.
			const resumed = follow(second.baseURL, alice.cookie, taskId, onFirst.events[2].id);
			try {
				await resumed.until(newRunEnd(page));
				expect(resumed.events).toStrictEqual(onFirst.events.slice(3));
			} finally {
				resumed.stop();
			}
			// Both processes give the same place to follow from.
			expect((await load(onSecond, taskId)).liveEventId).toBe(end.id);
		} finally {
			onFirst.stop();
		}
	});

	it('a task deleted on one process ends its subscriptions on the other', async () => {
		const taskId = newTaskId();
		await ask(alice.fetch, taskId, 'Hello');
		const page = await load(alice, taskId);
		const onFirst = follow(first.baseURL, alice.cookie, taskId, page.liveEventId);
		await onFirst.started;
		try {
			await deleteTask(onSecond, taskId);
			const error = await onFirst.failure;
			expect((error as TRPCClientError<AppRouter>).data?.code).toBe('NOT_FOUND');
			expect((await startChat(onSecond, taskId, 'Reused')).status).toBe(409);
		} finally {
			onFirst.stop();
		}
	});
});
