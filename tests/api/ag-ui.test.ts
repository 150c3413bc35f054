/**
 * The AG-UI face (`/ag-ui/{agent}`) against the built server, with `@ag-ui/client`'s `HttpAgent`
 * as front ends use it; every event it receives is checked against `@ag-ui/core`'s schemas.
 * Replays and cancels read the raw SSE stream, with its event ids.
 */
import { HttpAgent, type AgentSubscriber } from '@ag-ui/client';
import type { BaseEvent, Message } from '@ag-ui/core';
import { EventSchema } from '@ag-ui/core/schemas';
import type { Server } from 'node:http';
import { eq } from 'drizzle-orm';
import { EventSourceParserStream, type EventSourceMessage } from 'eventsource-parser/stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { agents, tools } from '../../src/lib/server/db/schema';
import { listMessages } from '../../src/lib/server/services/messages';
import { findTask } from '../../src/lib/server/services/tasks';
import { signUpWithKey } from '../support/api-user';
import { failingProvider } from '../support/failing-provider';
import { freePort, startServer, type TestServer } from '../support/server';

let server: TestServer;
let provider: Server;
let db: Db;
let aliceKey: string;
let bobKey: string;
let counter = 0;

beforeAll(async () => {
	// A run that fails mid-answer needs a model that fails: an OpenAI-compatible provider stands in.
	const providerPort = await freePort();
	provider = failingProvider();
	await new Promise<void>((resolve) => provider.listen(providerPort, '127.0.0.1', resolve));
	server = await startServer({
		MOCK_TOKEN_DELAY_MS: '2',
		OPENAI_COMPATIBLE_BASE_URL: `http://127.0.0.1:${providerPort}/v1`,
		CORS_ORIGINS: 'https://app.example.com'
	});
	db = await openDatabase({ url: server.databaseUrl });
	await db.insert(agents).values({ slug: 'flaky-agui', name: 'Flaky', model: 'compatible:flaky' });
	aliceKey = (await signUpWithKey(server.baseURL, db, 'alice-agui@example.com', 'ag-ui tests')).key;
	bobKey = (await signUpWithKey(server.baseURL, db, 'bob-agui@example.com', 'ag-ui tests')).key;
	await db.update(tools).set({ requiresApproval: true }).where(eq(tools.name, 'current_time'));
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
	await new Promise<void>((resolve) => (provider ? provider.close(() => resolve()) : resolve()));
});

/** A fresh id, usable as a thread or a run id. */
function newId(prefix: string): string {
	counter += 1;
	return `${prefix}_${Date.now().toString(36)}_${counter}`;
}

/** A front end's agent for `agent`, as the caller with `key`, on `threadId`. */
function agentFor(agent: string, key: string, threadId = newId('thread')): HttpAgent {
	return new HttpAgent({ url: `${server.baseURL}/ag-ui/${agent}`, headers: { authorization: `Bearer ${key}` }, threadId });
}

/** A user message. */
function user(content: string): Message {
	return { id: newId('msg'), role: 'user', content };
}

/** Runs the agent once, collecting every event and checking each against the protocol's schema. */
async function run(agent: HttpAgent, parameters: Parameters<HttpAgent['runAgent']>[0] = {}): Promise<BaseEvent[]> {
	const events: BaseEvent[] = [];
	const subscriber: AgentSubscriber = {
		onEvent: ({ event }) => {
			events.push(event);
		}
	};
	await agent.runAgent({ runId: newId('run'), ...parameters }, subscriber);
	for (const event of events) expect(EventSchema.safeParse(event).error).toBeUndefined();
	return events;
}

/** The types of some events. */
const typesOf = (events: readonly BaseEvent[]): string[] => events.map((event) => String(event.type));

/** The text of the events' text messages. */
const textOf = (events: readonly BaseEvent[]) =>
	events.flatMap((event) => (event.type === 'TEXT_MESSAGE_CONTENT' ? [String(event.delta)] : [])).join('');

/** A raw run: the POST's response. */
function post(agent: string, body: Record<string, unknown>, key = aliceKey, contentType = 'application/json'): Promise<Response> {
	return fetch(`${server.baseURL}/ag-ui/${agent}`, {
		method: 'POST',
		headers: { 'content-type': contentType, accept: 'text/event-stream', authorization: `Bearer ${key}` },
		body: JSON.stringify(body)
	});
}

/** A reader of a response's SSE events. */
function sseReader(response: Response) {
	return response.body!.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream()).getReader();
}

/** Reads SSE events until `until` says stop (or the stream ends). */
async function readUntil(
	reader: ReadableStreamDefaultReader<EventSourceMessage>,
	until: (event: EventSourceMessage, all: EventSourceMessage[]) => boolean = () => false
): Promise<EventSourceMessage[]> {
	const all: EventSourceMessage[] = [];
	for (;;) {
		const { done, value } = await reader.read();
		if (done) return all;
		all.push(value);
		if (until(value, all)) return all;
	}
}

/** Parses and schema-checks raw events. */
function parsed(events: readonly EventSourceMessage[]): BaseEvent[] {
	return events.map((message) => {
		const event = JSON.parse(message.data) as BaseEvent;
		expect(EventSchema.safeParse(event).error).toBeUndefined();
		return event;
	});
}

describe('POST /ag-ui/{agent}', () => {
	it('streams a text answer between RUN_STARTED and RUN_FINISHED, on a task with the thread’s id', async () => {
		const agent = agentFor('assistant', aliceKey);
		agent.addMessage(user('Hello there'));
		const events = await run(agent);
		const types = typesOf(events);
		expect(types[0]).toBe('RUN_STARTED');
		expect(types.at(-1)).toBe('RUN_FINISHED');
		expect(events[0]).toMatchObject({ threadId: agent.threadId });
		expect(events.at(-1)).toMatchObject({ outcome: { type: 'success' } });
		expect(types).toEqual(expect.arrayContaining(['TEXT_MESSAGE_START', 'TEXT_MESSAGE_CONTENT', 'TEXT_MESSAGE_END']));
		expect(textOf(events).length).toBeGreaterThan(0);
		expect(agent.messages.filter((message) => message.role === 'assistant').length).toBeGreaterThan(0);

		const task = await findTask(db, agent.threadId);
		expect(task).toBeDefined();
		// The next run on the thread continues the task: the server keeps the history.
		agent.addMessage(user('And again'));
		await run(agent);
		expect((await listMessages(db, agent.threadId)).map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
	});

	it('streams the model’s reasoning as reasoning events before the text', async () => {
		const agent = agentFor('assistant', aliceKey);
		agent.addMessage(user('Hello'));
		const types = typesOf(await run(agent));
		const start = types.indexOf('REASONING_START');
		expect(start).toBeGreaterThan(0);
		expect(types.slice(start, start + 3)).toEqual(['REASONING_START', 'REASONING_MESSAGE_START', 'REASONING_MESSAGE_CONTENT']);
		expect(types.indexOf('REASONING_END')).toBeLessThan(types.indexOf('TEXT_MESSAGE_START'));
	});

	it('shows a server tool’s call and its result', async () => {
		const agent = agentFor('tool-demo', aliceKey);
		agent.addMessage(user('Use the calculator expression="2+3"'));
		const events = await run(agent);
		const start = events.find((event) => event.type === 'TOOL_CALL_START');
		expect(start).toMatchObject({ toolCallName: 'calculator' });
		const id = start?.toolCallId;
		expect(typesOf(events.filter((event) => event.toolCallId === id))).toEqual(
			expect.arrayContaining(['TOOL_CALL_START', 'TOOL_CALL_ARGS', 'TOOL_CALL_END', 'TOOL_CALL_RESULT'])
		);
		expect(events.find((event) => event.type === 'TOOL_CALL_RESULT')).toMatchObject({
			toolCallId: id,
			content: expect.stringContaining('5')
		});
		expect(textOf(events)).toContain('The calculator tool returned');
		expect(events.at(-1)).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'success' } });
	});

	it('ends a run on a client tool’s call, and continues the same answer with its result in the next run', async () => {
		const agent = agentFor('assistant', aliceKey);
		agent.addMessage(user('Use get_weather city=Paris'));
		const weather = {
			name: 'get_weather',
			description: 'The weather in a city.',
			parameters: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }
		};
		const first = await run(agent, { tools: [weather] });
		const call = first.find((event) => event.type === 'TOOL_CALL_START');
		expect(call).toMatchObject({ toolCallName: 'get_weather' });
		expect(first.some((event) => event.type === 'TOOL_CALL_RESULT')).toBe(false);
		expect(first.at(-1)).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'success', pendingToolCallIds: [call?.toolCallId] } });
		const args = first.filter((event) => event.type === 'TOOL_CALL_ARGS' && event.toolCallId === call?.toolCallId);
		expect(JSON.parse(args.map((event) => event.delta).join(''))).toMatchObject({ city: expect.any(String) });

		agent.addMessage({ id: newId('msg'), role: 'tool', toolCallId: String(call?.toolCallId), content: '{"temperature":21}' });
		const second = await run(agent, { tools: [weather] });
		expect(textOf(second)).toContain('The get_weather tool returned: {"temperature":21}');
		expect(second.at(-1)).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'success' } });
		// One question, one answer: the answer was continued.
		expect((await listMessages(db, agent.threadId)).map((message) => message.role)).toEqual(['user', 'assistant']);
	});

	it('pauses an approval tool with an interrupt, resumed with the approval', async () => {
		const agent = agentFor('tool-demo', aliceKey);
		agent.addMessage(user('What is the current time?'));
		const first = await run(agent);
		const finished = first.at(-1) as BaseEvent & {
			outcome: { type: string; interrupts: { id: string; toolCallId: string; reason: string }[] };
		};
		expect(finished).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'interrupt' } });
		const [interrupt] = finished.outcome.interrupts;
		expect(interrupt).toMatchObject({ reason: 'tool_approval', toolCallId: expect.any(String) });
		expect(first.find((event) => event.type === 'TOOL_CALL_START')).toMatchObject({
			toolCallId: interrupt.toolCallId,
			toolCallName: 'current_time'
		});

		const second = await run(agent, { resume: [{ interruptId: interrupt.id, status: 'resolved', payload: { approved: true } }] });
		expect(second.find((event) => event.type === 'TOOL_CALL_RESULT')).toMatchObject({ toolCallId: interrupt.toolCallId });
		expect(textOf(second)).toContain('The current_time tool returned');
		expect(second.at(-1)).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'success' } });
	});

	it('takes a denial as a tool message answering the approval’s call', async () => {
		const threadId = newId('thread');
		const question = user('What is the current time?');
		const first = parsed(await readUntil(sseReader(await post('tool-demo', { threadId, runId: newId('run'), messages: [question] }))));
		const interrupt = (first.at(-1) as BaseEvent & { outcome: { interrupts: { toolCallId: string }[] } }).outcome.interrupts[0];
		const denial = { id: newId('msg'), role: 'tool', toolCallId: interrupt.toolCallId, content: '{"approved":false,"reason":"Not now"}' };
		const second = parsed(
			await readUntil(sseReader(await post('tool-demo', { threadId, runId: newId('run'), messages: [question, denial] })))
		);
		expect(second.find((event) => event.type === 'TOOL_CALL_RESULT')).toMatchObject({
			toolCallId: interrupt.toolCallId,
			content: 'The call was denied.'
		});
		expect(second.at(-1)).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'success' } });
	});

	it('puts context entries in the prompt', async () => {
		const usageOf = async (context: { description: string; value: string }[]) => {
			const agent = agentFor('assistant', aliceKey);
			agent.addMessage(user('Hello'));
			const events = await run(agent, { context });
			return (events.at(-1) as BaseEvent & { usage: { inputTokens: number }[] }).usage[0].inputTokens;
		};
		const without = await usageOf([]);
		const withContext = await usageOf([{ description: 'The user’s city', value: 'Lisbon, Portugal, by the sea' }]);
		expect(withContext - without).toBeGreaterThanOrEqual(5);
	});

	it('ends a run whose model fails with RUN_ERROR, keeping the partial answer', async () => {
		const agent = agentFor('flaky-agui', aliceKey);
		agent.addMessage(user('Hello'));
		const events: BaseEvent[] = [];
		await agent
			.runAgent({ runId: newId('run') }, { onEvent: ({ event }) => void events.push(event), onRunFailed: () => ({}) })
			.catch(() => undefined);
		for (const event of events) expect(EventSchema.safeParse(event).error).toBeUndefined();
		expect(events.at(-1)).toMatchObject({ type: 'RUN_ERROR', message: expect.any(String) });
		expect(JSON.stringify(events)).not.toContain('backend exploded');
		expect(textOf(events)).toBe('Partial answer');
		expect((await listMessages(db, agent.threadId)).at(-1)).toMatchObject({ role: 'assistant', status: 'error' });
	});

	it('keeps each caller to its own threads and runs', async () => {
		const agent = agentFor('assistant', aliceKey);
		agent.addMessage(user('Private'));
		const runId = newId('run');
		await run(agent, { runId });
		const intruder = await post('assistant', { threadId: agent.threadId, runId: newId('run'), messages: [user('Hi')] }, bobKey);
		expect(intruder.status).toBe(404);
		expect(await intruder.json()).toMatchObject({ error: { code: 'not_found', field: 'threadId' } });
		const bobHeaders = { authorization: `Bearer ${bobKey}` };
		expect((await fetch(`${server.baseURL}/ag-ui/assistant/runs/${runId}/events`, { headers: bobHeaders })).status).toBe(404);
		expect((await fetch(`${server.baseURL}/ag-ui/assistant/runs/${runId}/cancel`, { method: 'POST', headers: bobHeaders })).status).toBe(
			404
		);
		// The owner reads it, and only under its own agent.
		const aliceHeaders = { authorization: `Bearer ${aliceKey}` };
		expect((await fetch(`${server.baseURL}/ag-ui/assistant/runs/${runId}/events`, { headers: aliceHeaders })).status).toBe(200);
		expect((await fetch(`${server.baseURL}/ag-ui/tool-demo/runs/${runId}/events`, { headers: aliceHeaders })).status).toBe(404);
		// With HttpAgent, the refusal is an error of the run.
		const bobAgent = agentFor('assistant', bobKey, agent.threadId);
		bobAgent.addMessage(user('Hi'));
		await expect(bobAgent.runAgent({ runId: newId('run') })).rejects.toThrow();
	});

	it('replays a run after Last-Event-ID, live, once its front end has gone', async () => {
		const runId = newId('run');
		const response = await post('assistant', {
			threadId: newId('thread'),
			runId,
			messages: [user('Tell me a long answer until I interrupt you')]
		});
		expect(response.headers.get('content-type')).toContain('text/event-stream');
		const reader = sseReader(response);
		const head = await readUntil(reader, (_, all) => all.filter((event) => event.data.includes('TEXT_MESSAGE_CONTENT')).length >= 3);
		head.forEach((event, index) => expect(event.id).toBe(String(index)));
		// The front end goes away: the run goes on.
		await reader.cancel();
		const headers = { authorization: `Bearer ${aliceKey}` };
		const replay = await fetch(`${server.baseURL}/ag-ui/assistant/runs/${runId}/events`, {
			headers: { ...headers, 'last-event-id': head.at(-1)!.id! }
		});
		expect(replay.status).toBe(200);
		const replayReader = sseReader(replay);
		// Live: the next event comes while the run still streams.
		const next = await readUntil(replayReader, () => true);
		expect(next[0].id).toBe(String(head.length));
		const cancelled = await fetch(`${server.baseURL}/ag-ui/assistant/runs/${runId}/cancel`, { method: 'POST', headers });
		expect(await cancelled.json()).toMatchObject({ runId, cancelled: true });
		const tail = [...next, ...(await readUntil(replayReader))];
		const full = await readUntil(sseReader(await fetch(`${server.baseURL}/ag-ui/assistant/runs/${runId}/events`, { headers })));
		expect([...head, ...tail].map((event) => [event.id, event.data])).toEqual(full.map((event) => [event.id, event.data]));
		expect(parsed(full).at(-1)).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'cancelled' } });
	});

	it('cancels a run mid-answer, keeping the partial text', async () => {
		const runId = newId('run');
		const threadId = newId('thread');
		const reader = sseReader(await post('assistant', { threadId, runId, messages: [user('Tell me a long answer until I interrupt you')] }));
		const head = await readUntil(reader, (event) => event.data.includes('TEXT_MESSAGE_CONTENT'));
		// The thread answers one run at a time.
		const busy = await post('assistant', { threadId, runId: newId('run'), messages: [user('Me too')] });
		expect(busy.status).toBe(409);
		expect(await busy.json()).toMatchObject({ error: { code: 'conflict', field: 'threadId' } });
		// Another caller may use the same run id: run ids are each caller's own.
		const bobsRun = await post('assistant', { threadId: newId('thread'), runId, messages: [user('Mine')] }, bobKey);
		expect(bobsRun.status).toBe(200);
		await bobsRun.text();
		const cancelled = await fetch(`${server.baseURL}/ag-ui/assistant/runs/${runId}/cancel`, {
			method: 'POST',
			headers: { authorization: `Bearer ${aliceKey}` }
		});
		expect(await cancelled.json()).toMatchObject({ cancelled: true, threadId });
		const events = parsed([...head, ...(await readUntil(reader))]);
		expect(events.at(-1)).toMatchObject({ type: 'RUN_FINISHED', outcome: { type: 'cancelled' } });
		expect(typesOf(events).filter((type) => type === 'TEXT_MESSAGE_END')).toHaveLength(1);
		const text = textOf(events);
		expect(text.length).toBeGreaterThan(0);
		const answer = (await listMessages(db, threadId)).at(-1);
		expect(answer).toMatchObject({ role: 'assistant', status: 'interrupted' });
		const stored = answer!.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
		expect(stored).toBe(text);
		// Cancelling again says it has ended.
		const again = await fetch(`${server.baseURL}/ag-ui/assistant/runs/${runId}/cancel`, {
			method: 'POST',
			headers: { authorization: `Bearer ${aliceKey}` }
		});
		expect(await again.json()).toMatchObject({ cancelled: false });
	});
});

describe('anonymous callers of /ag-ui/{agent}', () => {
	it('run public agents only, and replay only their own runs', async () => {
		const as = (anonymousId: string) => ({ 'content-type': 'application/json', 'x-anonymous-id': anonymousId });
		const runId = newId('run');
		const threadId = newId('thread');
		const response = await fetch(`${server.baseURL}/ag-ui/support`, {
			method: 'POST',
			headers: as('anon_agui_one'),
			body: JSON.stringify({ threadId, runId, messages: [user('Hello there, help me')] })
		});
		expect(response.status).toBe(200);
		const events = parsed(await readUntil(sseReader(response)));
		expect(events.at(-1)).toMatchObject({ type: 'RUN_FINISHED', threadId });
		const replay = await fetch(`${server.baseURL}/ag-ui/support/runs/${runId}/events`, { headers: as('anon_agui_one') });
		expect(parsed(await readUntil(sseReader(replay))).map((event) => event.type)).toEqual(events.map((event) => event.type));
		const stranger = await fetch(`${server.baseURL}/ag-ui/support/runs/${runId}/events`, { headers: as('anon_agui_two') });
		expect(stranger.status).toBe(404);
		const privateAgent = await fetch(`${server.baseURL}/ag-ui/assistant`, {
			method: 'POST',
			headers: as('anon_agui_one'),
			body: JSON.stringify({ threadId: newId('thread'), runId: newId('run'), messages: [user('Hi')] })
		});
		expect(privateAgent.status).toBe(401);
		expect(await privateAgent.json()).toMatchObject({ error: { code: 'unauthorized' } });
	});
});

describe('front ends on another site', () => {
	it('may call /ag-ui when listed in CORS_ORIGINS, with Last-Event-ID allowed', async () => {
		const origin = 'https://app.example.com';
		const preflight = await fetch(`${server.baseURL}/ag-ui/assistant/runs/some-run/events`, {
			method: 'OPTIONS',
			headers: { origin, 'access-control-request-method': 'GET', 'access-control-request-headers': 'authorization, last-event-id' }
		});
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get('access-control-allow-origin')).toBe(origin);
		expect(preflight.headers.get('access-control-allow-headers')).toContain('last-event-id');
		const response = await fetch(`${server.baseURL}/ag-ui/assistant`, {
			method: 'POST',
			headers: { origin, 'content-type': 'application/json', authorization: `Bearer ${aliceKey}` },
			body: JSON.stringify({ threadId: newId('thread'), runId: newId('run'), messages: [user('Hi')] })
		});
		expect(response.headers.get('access-control-allow-origin')).toBe(origin);
		expect(response.headers.get('access-control-expose-headers')).toContain('x-parley-task-id');
		await response.text();
		const other = await fetch(`${server.baseURL}/ag-ui/assistant`, {
			method: 'OPTIONS',
			headers: { origin: 'https://evil.example.com', 'access-control-request-method': 'POST' }
		});
		expect(other.headers.get('access-control-allow-origin')).toBeNull();
	});
});

describe('bad input to /ag-ui/{agent}', () => {
	const valid = () => ({ threadId: newId('thread'), runId: newId('run'), messages: [user('Hi')] });

	it('answers each with a JSON 4xx naming the problem', async () => {
		const cases: [string, Record<string, unknown>, number, string][] = [
			['assistant', { ...valid(), messages: 'Hi' }, 400, 'messages'],
			['assistant', { ...valid(), threadId: 'short' }, 400, 'threadId'],
			['assistant', { ...valid(), runId: '' }, 400, 'runId'],
			['assistant', { ...valid(), messages: [{ id: 'm1', role: 'wizard', content: 'Hi' }] }, 400, 'messages.0.role'],
			['assistant', { ...valid(), tools: [{ name: 'bad name!', description: 'x' }] }, 400, 'tools.0.name'],
			['assistant', { ...valid(), messages: [{ id: 'm1', role: 'assistant', content: 'Hi' }] }, 400, 'messages.0.role'],
			['assistant', { ...valid(), messages: [] }, 400, 'messages'],
			[
				'assistant',
				{
					...valid(),
					tools: [
						{ name: 'calculator', description: 'x' },
						{ name: 'calculator', description: 'y' }
					]
				},
				400,
				'tools.1.name'
			],
			['assistant', { ...valid(), resume: [{ interruptId: 'nope', status: 'resolved' }] }, 404, 'resume.0.interruptId'],
			['assistant', { ...valid(), messages: Array.from({ length: 1001 }, () => user('x')) }, 413, 'messages'],
			['no-such-agent', valid(), 404, 'agent']
		];
		for (const [agent, body, status, field] of cases) {
			const response = await post(agent, body);
			expect({ field, status: response.status }).toEqual({ field, status });
			expect(response.headers.get('content-type')).toContain('application/json');
			const json = (await response.json()) as { error: { field?: string; message: string } };
			expect(json.error.field).toBe(field);
			expect(json.error.message.length).toBeGreaterThan(0);
		}
	});

	it('refuses another content type, an oversized or too deep body, and a run id in use', async () => {
		const unknownKey = await post('assistant', valid(), 'pk_not_a_key');
		expect(unknownKey.status).toBe(401);
		expect(await unknownKey.json()).toMatchObject({ error: { code: 'unauthorized' } });

		const wrongType = await post('assistant', valid(), aliceKey, 'text/plain');
		expect(wrongType.status).toBe(415);
		expect(await wrongType.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });

		const big = await post('assistant', { ...valid(), forwardedProps: { blob: 'x'.repeat(2 * 1024 * 1024) } });
		expect(big.status).toBe(413);
		expect(await big.json()).toMatchObject({ error: { code: 'payload_too_large' } });

		let deep: unknown = 'bottom';
		for (let level = 0; level < 100; level++) deep = { deep };
		const tooDeep = await post('assistant', { ...valid(), state: deep });
		expect(tooDeep.status).toBe(400);
		expect(await tooDeep.json()).toMatchObject({ error: { code: 'invalid_input' } });

		const body = valid();
		const first = await post('assistant', body);
		await first.text();
		const again = await post('assistant', { ...body, messages: [user('Again')] });
		expect(again.status).toBe(409);
		expect(await again.json()).toMatchObject({ error: { code: 'conflict', field: 'runId' } });
	});

	it('refuses a replay of an unknown run and a Last-Event-ID that is no event id', async () => {
		const headers = { authorization: `Bearer ${aliceKey}` };
		const unknown = await fetch(`${server.baseURL}/ag-ui/assistant/runs/no-such-run/events`, { headers });
		expect(unknown.status).toBe(404);
		expect(await unknown.json()).toMatchObject({ error: { code: 'not_found', field: 'runId' } });
		const body = valid();
		await (await post('assistant', body)).text();
		const bad = await fetch(`${server.baseURL}/ag-ui/assistant/runs/${body.runId}/events`, {
			headers: { ...headers, 'last-event-id': 'x' }
		});
		expect(bad.status).toBe(400);
		expect(await bad.json()).toMatchObject({ error: { field: 'Last-Event-ID' } });
	});
});
