/**
 * The raw server-sent events of the agent API (`api.md` §2) and the team-agent tasks API (§4),
 * read with a real SSE parser (`eventsource-parser`), not with the faces' own framing code.
 * Across the tests, every event each face defines is seen at least once, with its exact shape.
 *
 * A run that fails after its stream has begun needs a model that fails: the offline model never
 * does, so an OpenAI-compatible provider stands in, served by this file on a loopback port. It
 * streams a few words and then an error chunk, as a provider that breaks down mid-answer does.
 */
import type { Server } from 'node:http';
import { deflateSync } from 'node:zlib';
import { eq } from 'drizzle-orm';
import { EventSourceParserStream, type EventSourceMessage } from 'eventsource-parser/stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { agents, agentTools, messages, tools, users } from '../../src/lib/server/db/schema';
import { failingProvider } from '../support/failing-provider';
import { freePort, startServer, type TestServer } from '../support/server';
import { signUp } from '../support/session';

let server: TestServer;
let provider: Server;
let db: Db;
let key: string;

/** What the failing provider says in its error chunk: it must never reach a caller. */
const PROVIDER_SECRET = 'backend shard 7 at 10.0.0.12 exploded';

beforeAll(async () => {
	const providerPort = await freePort();
	provider = failingProvider(PROVIDER_SECRET);
	await new Promise<void>((resolve) => provider.listen(providerPort, '127.0.0.1', resolve));
	server = await startServer({
		MOCK_TOKEN_DELAY_MS: '5',
		OPENAI_COMPATIBLE_BASE_URL: `http://127.0.0.1:${providerPort}/v1`
	});
	await signUp(server.baseURL, 'owner@example.com');
	db = await openDatabase({ url: server.databaseUrl });
	const [owner] = await db.select().from(users).where(eq(users.email, 'owner@example.com'));
	key = (await createApiKey(db, owner.id, 'sse tests')).key;

	// An agent on the failing provider, and one with a client tool (the caller runs it).
	await db.insert(agents).values({ slug: 'flaky', name: 'Flaky', model: 'compatible:flaky' });
	const [askUser] = await db
		.insert(tools)
		.values({
			name: 'ask_user',
			description: 'Asks the person a question; the caller runs it.',
			kind: 'client',
			inputSchema: { type: 'object', properties: { question: { type: 'string' } }, required: ['question'] }
		})
		.returning();
	const [desk] = await db.insert(agents).values({ slug: 'desk', name: 'Desk', model: 'mock:offline' }).returning();
	await db.insert(agentTools).values({ agentId: desk.id, toolId: askUser.id });
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
	await new Promise<void>((resolve) => (provider ? provider.close(() => resolve()) : resolve()));
});

/** Reads a response body as SSE messages, one at a time, recording any framing error. */
class SseReader {
	readonly parseErrors: Error[] = [];
	private readonly reader: ReadableStreamDefaultReader<EventSourceMessage>;

	constructor(body: ReadableStream<Uint8Array> | null) {
		if (!body) throw new Error('The response has no body');
		const decoder = new TextDecoder();
		this.reader = body
			.pipeThrough(
				new TransformStream<Uint8Array, string>({
					transform: (chunk, controller) => controller.enqueue(decoder.decode(chunk, { stream: true }))
				})
			)
			.pipeThrough(new EventSourceParserStream({ onError: (error) => this.parseErrors.push(error) }))
			.getReader();
	}

	/** Reads messages until one matches; returns all read, that one last. Throws when the stream ends first. */
	async until(matches: (message: EventSourceMessage) => boolean): Promise<EventSourceMessage[]> {
		const read: EventSourceMessage[] = [];
		for (;;) {
			const { value, done } = await this.reader.read();
			if (done) throw new Error(`The stream ended without the awaited event; read: ${JSON.stringify(read)}`);
			read.push(value);
			if (matches(value)) return read;
		}
	}

	/** Reads every message left. */
	async rest(): Promise<EventSourceMessage[]> {
		const read: EventSourceMessage[] = [];
		for (;;) {
			const { value, done } = await this.reader.read();
			if (done) return read;
			read.push(value);
		}
	}

	/** Lets go of the stream after the request was aborted. */
	async cancel(): Promise<void> {
		await this.reader.cancel().catch(() => undefined);
	}
}

// ---------------------------------------------------------------------------------------------
// Agent API
// ---------------------------------------------------------------------------------------------

const agentToolCall = z.strictObject({
	call_id: z.string().min(1),
	name: z.string().min(1),
	arguments: z.string(),
	requires_approval: z.boolean()
});

/** Every named event of the agent API, its data exactly (`api.md` §2). */
const agentEvent = z.discriminatedUnion('event', [
	z.strictObject({
		event: z.literal('openai_event'),
		data: z.looseObject({ type: z.string().min(1), sequence_number: z.number().int().nonnegative() })
	}),
	z.strictObject({ event: z.literal('text_delta'), data: z.strictObject({ delta: z.string() }) }),
	z.strictObject({ event: z.literal('tool_call'), data: agentToolCall }),
	z.strictObject({ event: z.literal('error'), data: z.strictObject({ code: z.string().min(1), message: z.string().min(1) }) }),
	z.strictObject({
		event: z.literal('done'),
		data: z.strictObject({
			session_id: z.string().min(1),
			message_id: z.string().min(1),
			status: z.enum(['completed', 'requires_action', 'interrupted', 'error']),
			pending_tool_calls: z.array(agentToolCall)
		})
	})
]);

/** One agent API event, its data parsed and checked. */
type AgentEvent = z.infer<typeof agentEvent>;
type AgentEventName = AgentEvent['event'];

/** The names of the agent API's events. */
const AGENT_EVENT_NAMES: AgentEventName[] = ['openai_event', 'text_delta', 'tool_call', 'error', 'done'];

/** Agent API event names and `done` statuses seen so far, across the tests. */
const seenAgentEvents = new Set<string>();
const seenDoneStatuses = new Set<string>();

/** Checks one raw SSE message of the agent API: a known event name and data of its exact shape. */
function toAgentEvent(message: EventSourceMessage): AgentEvent {
	const parsed = agentEvent.safeParse({ event: message.event, data: JSON.parse(message.data) });
	if (!parsed.success) throw new Error(`Bad agent API event ${message.event}: ${message.data}: ${parsed.error.message}`);
	const event = parsed.data;
	seenAgentEvents.add(event.event);
	if (event.event === 'done') seenDoneStatuses.add(event.data.status);
	return event;
}

/**
 * Checks a whole agent API stream: known events only, `openai_event` sequence numbers counting
 * up from 0, and exactly one `done`, last.
 */
function checkAgentStream(raw: EventSourceMessage[], reader: SseReader) {
	expect(reader.parseErrors).toEqual([]);
	const events = raw.map(toAgentEvent);
	const sequence = events.flatMap((event) => (event.event === 'openai_event' ? [event.data.sequence_number] : []));
	expect(sequence).toEqual(sequence.map((_, index) => index));
	expect(events.filter((event) => event.event === 'done')).toHaveLength(1);
	const done = events.at(-1);
	if (done?.event !== 'done') throw new Error('The stream did not end with done');
	return { events, done: done.data };
}

/** The events of one name. */
function named<Name extends AgentEventName>(events: AgentEvent[], name: Name) {
	return events.filter((event): event is Extract<AgentEvent, { event: Name }> => event.event === name);
}

/** The text of the `text_delta` events. */
function deltas(events: AgentEvent[]): string {
	return named(events, 'text_delta')
		.map((event) => event.data.delta)
		.join('');
}

/** The `type`s of the `openai_event` events. */
function openaiTypes(events: AgentEvent[]): string[] {
	return named(events, 'openai_event').map((event) => event.data.type);
}

/** A JSON POST with the API key. */
function postJson(path: string, body: unknown, signal?: AbortSignal): Promise<Response> {
	return fetch(`${server.baseURL}${path}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
		body: JSON.stringify(body),
		signal
	});
}

/** Posts to an agent API streaming endpoint and reads the whole stream. */
async function agentStream(path: string, body: unknown) {
	const response = await postJson(path, body);
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
	const reader = new SseReader(response.body);
	return checkAgentStream(await reader.rest(), reader);
}

/** Waits for the run on a task to end: the app's resume stream replays it to its end, or answers 204. */
async function runEnded(taskId: string): Promise<void> {
	const resumed = await fetch(`${server.baseURL}/api/chat/${taskId}/stream`, { headers: { authorization: `Bearer ${key}` } });
	if (resumed.status === 200) await resumed.text();
	else expect(resumed.status).toBe(204);
}

/** The stored answer (status, error) of a message. */
async function storedMessage(messageId: string) {
	const [row] = await db.select().from(messages).where(eq(messages.id, messageId));
	return row;
}

describe('agent API events, parsed as SSE', () => {
	it('openai_event, text_delta and done (completed)', async () => {
		const { events, done } = await agentStream('/api/agent/stream/', { message: 'Hello parser', agent_id: 'assistant' });
		expect(events[0]).toMatchObject({ event: 'openai_event', data: { type: 'response.created', sequence_number: 0 } });
		expect(openaiTypes(events)).toEqual(expect.arrayContaining(['response.in_progress', 'response.output_text.delta']));
		expect(openaiTypes(events).at(-1)).toBe('response.completed');
		expect(deltas(events)).toContain('You said: "Hello parser"');
		expect(done).toMatchObject({ status: 'completed', pending_tool_calls: [] });
		expect((await storedMessage(done.message_id)).status).toBe('complete');
	});

	it('tool_call and done (requires_action); POST /api/agent/tool-output/ continues the run', async () => {
		const first = await agentStream('/api/agent/stream/', {
			message: 'calculator expression="6*7"',
			agent_id: 'tool-demo',
			auto_execute_tools: false
		});
		const calls = named(first.events, 'tool_call').map((event) => event.data);
		expect(calls).toEqual([
			{ call_id: expect.any(String), name: 'calculator', arguments: '{"expression":"6*7"}', requires_approval: false }
		]);
		expect(JSON.parse(calls[0].arguments)).toEqual({ expression: '6*7' });
		expect(first.done).toMatchObject({ status: 'requires_action', pending_tool_calls: calls });
		// The calls come after the model asked for them, before done.
		const callAt = first.events.findIndex((event) => event.event === 'tool_call');
		expect(openaiTypes(first.events.slice(0, callAt))).toContain('response.function_call_arguments.done');

		const continued = await agentStream('/api/agent/tool-output/', {
			session_id: first.done.session_id,
			call_id: calls[0].call_id,
			output: { result: 42 }
		});
		expect(continued.events[0]).toMatchObject({ event: 'openai_event', data: { type: 'response.created', sequence_number: 0 } });
		expect(deltas(continued.events)).toContain('The calculator tool returned: {"result":42}');
		expect(named(continued.events, 'tool_call')).toEqual([]);
		expect(continued.done).toEqual({
			session_id: first.done.session_id,
			message_id: first.done.message_id,
			status: 'completed',
			pending_tool_calls: []
		});
	});

	it('error and done (error) when the model fails mid-answer, without the provider’s words', async () => {
		const { events, done } = await agentStream('/api/agent/stream/', { message: 'Hello', agent_id: 'flaky' });
		expect(deltas(events)).toBe('Partial answer');
		const errors = named(events, 'error').map((event) => event.data);
		expect(errors).toEqual([{ code: 'upstream', message: expect.any(String) }]);
		// The error comes after the partial text, and the stream then ends cleanly with done.
		expect(events.findIndex((event) => event.event === 'error')).toBeGreaterThan(events.findIndex((event) => event.event === 'text_delta'));
		expect(openaiTypes(events).at(-1)).toBe('response.failed');
		expect(done).toMatchObject({ status: 'error', pending_tool_calls: [] });
		const wire = JSON.stringify(events);
		expect(wire).not.toContain(PROVIDER_SECRET);
		// The provider's error code is named, its text never.
		expect(errors[0].message).toBe('OpenAI-compatible is overloaded (overloaded) and stopped the answer. Try again shortly.');

		const stored = await storedMessage(done.message_id);
		expect(stored.status).toBe('error');
		expect(stored.error).toBe(errors[0].message);
	});

	it('done (interrupted) when the run is stopped mid-stream', async () => {
		const response = await postJson('/api/agent/stream/', { message: 'Please write a long answer about tides', agent_id: 'assistant' });
		const reader = new SseReader(response.body);
		const head = await reader.until((message) => message.event === 'text_delta');
		const created = toAgentEvent(head[0]);
		if (created.event !== 'openai_event') throw new Error('The stream did not start with an openai_event');
		const sessionId = z.object({ response: z.object({ metadata: z.object({ session_id: z.string() }) }) }).parse(created.data).response
			.metadata.session_id;

		const stop = await fetch(`${server.baseURL}/api/chat/${sessionId}/stop`, {
			method: 'POST',
			headers: { authorization: `Bearer ${key}` }
		});
		expect(stop.status).toBe(200);
		const { events, done } = checkAgentStream([...head, ...(await reader.rest())], reader);
		expect(done).toMatchObject({ session_id: sessionId, status: 'interrupted', pending_tool_calls: [] });
		expect(openaiTypes(events).at(-1)).toBe('response.incomplete');
		expect(deltas(events).split(/\s+/).length).toBeLessThan(200);
		expect((await storedMessage(done.message_id)).status).toBe('interrupted');
	});

	it('a caller that disconnects mid-stream stops its run, stored as interrupted', async () => {
		const controller = new AbortController();
		const response = await postJson(
			'/api/agent/stream/',
			{ message: 'Please write a long answer about estuaries', agent_id: 'assistant' },
			controller.signal
		);
		const reader = new SseReader(response.body);
		const head = (await reader.until((message) => message.event === 'text_delta')).map(toAgentEvent);
		const created = head[0];
		if (created.event !== 'openai_event') throw new Error('The stream did not start with an openai_event');
		const { session_id, message_id } = z
			.object({ response: z.object({ metadata: z.object({ session_id: z.string(), message_id: z.string() }) }) })
			.parse(created.data).response.metadata;
		controller.abort();
		await reader.cancel();

		await runEnded(session_id);
		const stored = await storedMessage(message_id);
		expect(stored.status).toBe('interrupted');
		const text = stored.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
		expect(text.length).toBeGreaterThan(0);
		expect(text.split(/\s+/).length).toBeLessThan(200);
	});
});

// ---------------------------------------------------------------------------------------------
// Team-agent tasks API
// ---------------------------------------------------------------------------------------------

const media = (event: 'image-chunk' | 'video-chunk' | 'audio-chunk' | 'document-chunk') =>
	z.strictObject({
		event: z.literal(event),
		name: z.string(),
		is_base64: z.boolean(),
		is_url: z.boolean(),
		mime_type: z.string(),
		content: z.string()
	});

/** Every line of the team-agent tasks stream, exactly (`api.md` §4). */
const teamLine = z.discriminatedUnion('event', [
	z.strictObject({
		event: z.literal('started'),
		id_team_agent: z.string().min(1),
		id_team: z.string().min(1),
		id_task: z.string().min(1),
		created_at: z.iso.datetime()
	}),
	z.strictObject({ event: z.literal('text-chunk'), content: z.string().min(1) }),
	z.strictObject({ event: z.literal('reasoning-chunk'), content: z.string().min(1) }),
	media('image-chunk'),
	media('video-chunk'),
	media('audio-chunk'),
	media('document-chunk'),
	z.strictObject({ event: z.literal('step'), step: z.number().int().positive(), content: z.string().min(1) }),
	z.strictObject({ event: z.literal('loading'), progress: z.number().optional() }),
	z.strictObject({ event: z.literal('finished') }),
	z.strictObject({ event: z.literal('error'), error: z.string().min(1) }),
	z.strictObject({ event: z.literal('interrupted'), reason: z.string().min(1) })
]);

type TeamLine = z.infer<typeof teamLine>;

/** The closing lines: exactly one of them ends every stream, just before `[DONE]`. */
const CLOSING = ['finished', 'error', 'interrupted'];

/** Team line events seen so far, across the tests (`[DONE]` included). */
const seenTeamEvents = new Set<string>();

/** Checks one raw SSE message of the team API: `data:` only, JSON of a known line (or `[DONE]`). */
function toTeamLine(message: EventSourceMessage): TeamLine | '[DONE]' {
	expect(message.event).toBeUndefined();
	expect(message.id).toBeUndefined();
	if (message.data === '[DONE]') {
		seenTeamEvents.add('[DONE]');
		return '[DONE]';
	}
	const parsed = teamLine.safeParse(JSON.parse(message.data));
	if (!parsed.success) throw new Error(`Bad team line ${message.data}: ${parsed.error.message}`);
	seenTeamEvents.add(parsed.data.event);
	return parsed.data;
}

/**
 * Checks a whole team stream: `started` first, then the answer, exactly one closing line, and
 * `data: [DONE]` last. Returns the lines before `[DONE]`.
 */
function checkTeamStream(raw: EventSourceMessage[], reader: SseReader): TeamLine[] {
	expect(reader.parseErrors).toEqual([]);
	const all = raw.map(toTeamLine);
	expect(all.at(-1)).toBe('[DONE]');
	expect(all.filter((line) => line === '[DONE]')).toHaveLength(1);
	const lines = all.slice(0, -1).filter((line): line is TeamLine => line !== '[DONE]');
	expect(lines[0]?.event).toBe('started');
	expect(lines.filter((line) => line.event === 'started')).toHaveLength(1);
	expect(lines.filter((line) => CLOSING.includes(line.event))).toHaveLength(1);
	expect(CLOSING).toContain(lines.at(-1)?.event);
	return lines;
}

/** The joined content of the lines of one event. */
function contentOf(lines: TeamLine[], event: 'text-chunk' | 'reasoning-chunk'): string {
	return lines.flatMap((line) => (line.event === event ? [line.content] : [])).join('');
}

/** `POST /api/teams/messages` with the API key, as multipart. */
function postTeamMessage(fields: Record<string, string | File>, signal?: AbortSignal): Promise<Response> {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) form.append(name, value);
	return fetch(`${server.baseURL}/api/teams/messages`, {
		method: 'POST',
		headers: { authorization: `Bearer ${key}`, accept: 'text/event-stream' },
		body: form,
		signal
	});
}

/** Sends a team message and reads the whole stream. */
async function teamStream(fields: Record<string, string | File>): Promise<TeamLine[]> {
	const response = await postTeamMessage(fields);
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
	const reader = new SseReader(response.body);
	return checkTeamStream(await reader.rest(), reader);
}

/** The `started` line of a stream. */
function startedOf(lines: TeamLine[]) {
	const first = lines[0];
	if (first?.event !== 'started') throw new Error('The stream did not start with started');
	return first;
}

/** CRC-32 as PNG chunks use it. */
function crc32(bytes: Uint8Array): number {
	let crc = 0xffffffff;
	for (const byte of bytes) {
		crc ^= byte;
		for (let bit = 0; bit < 8; bit++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
	}
	return (crc ^ 0xffffffff) >>> 0;
}

/** One PNG chunk: length, type, data, CRC of type and data. */
function pngChunk(type: string, data: Uint8Array): Uint8Array {
	const body = new Uint8Array([...new TextEncoder().encode(type), ...data]);
	const chunk = new Uint8Array(8 + data.length + 4);
	const view = new DataView(chunk.buffer);
	view.setUint32(0, data.length);
	chunk.set(body, 4);
	view.setUint32(8 + data.length, crc32(body));
	return chunk;
}

/** A valid 1×1 PNG (one opaque red RGBA pixel), built byte by byte. */
function tinyPng(): Uint8Array<ArrayBuffer> {
	const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
	// Width 1, height 1, 8 bits per sample, colour type 6 (RGBA), deflate, no filter, no interlace.
	const header = new Uint8Array([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0]);
	// One scanline: filter type 0, then R G B A.
	const pixels = new Uint8Array(deflateSync(new Uint8Array([0, 255, 0, 0, 255])));
	return new Uint8Array([...signature, ...pngChunk('IHDR', header), ...pngChunk('IDAT', pixels), ...pngChunk('IEND', new Uint8Array())]);
}

describe('team-agent tasks events, parsed as SSE', () => {
	it('started, loading, reasoning-chunk, text-chunk, finished and [DONE] for a question with an uploaded image', async () => {
		const png = tinyPng();
		const lines = await teamStream({
			id_team_agent: 'assistant',
			id_team: 'sse-team',
			text: 'What is in this picture?',
			images: new File([png], 'pixel.png', { type: 'image/png' })
		});
		expect(startedOf(lines)).toMatchObject({ id_team_agent: 'assistant', id_team: 'sse-team' });
		const events = lines.map((line) => line.event);
		expect(events[1]).toBe('loading');
		expect(events.at(-1)).toBe('finished');
		expect(events.lastIndexOf('reasoning-chunk')).toBeLessThan(events.indexOf('text-chunk'));
		expect(contentOf(lines, 'reasoning-chunk').length).toBeGreaterThan(0);
		const text = contentOf(lines, 'text-chunk');
		expect(text).toContain('pixel.png (image)');

		// The image was stored as sent, and the task shows it as an image of the request.
		const task = await fetch(`${server.baseURL}/api/teams/tasks/assistant/${startedOf(lines).id_task}`, {
			headers: { authorization: `Bearer ${key}` }
		});
		const [turn] = (await task.json()).content;
		expect(turn.request.images).toEqual([
			{ name: 'pixel.png', type: 'image', size: png.byteLength, mime_type: 'image/png', url: expect.stringMatching(/^\/api\/files\//) }
		]);
		const download = await fetch(`${server.baseURL}${turn.request.images[0].url}`, { headers: { authorization: `Bearer ${key}` } });
		expect(new Uint8Array(await download.arrayBuffer())).toEqual(png);
	});

	it('loading while a server tool runs, then a numbered step', async () => {
		const lines = await teamStream({ id_team_agent: 'tool-demo', id_team: 'sse-team', text: 'calculator expression="6*7"' });
		const steps = lines.filter((line) => line.event === 'step');
		expect(steps).toEqual([
			{ event: 'step', step: 1, content: 'calculator({"expression":"6*7"}) returned {"expression":"6*7","result":42}' }
		]);
		const stepAt = lines.findIndex((line) => line.event === 'step');
		expect(lines.slice(1, stepAt).map((line) => line.event)).toContain('loading');
		expect(contentOf(lines.slice(stepAt), 'text-chunk')).toContain('42');
		expect(lines.at(-1)).toEqual({ event: 'finished' });
	});

	it('interrupted, naming the tool, when the run waits for a client tool', async () => {
		const lines = await teamStream({ id_team_agent: 'desk', id_team: 'sse-team', text: 'ask_user question="Which colour?"' });
		const last = lines.at(-1);
		expect(last?.event).toBe('interrupted');
		if (last?.event !== 'interrupted') return;
		expect(last.reason).toContain('ask_user');
		expect(lines.some((line) => line.event === 'step')).toBe(false);
	});

	it('interrupted when the run is stopped mid-stream', async () => {
		const response = await postTeamMessage({
			id_team_agent: 'assistant',
			id_team: 'sse-team',
			text: 'Please write a long answer about lighthouses'
		});
		const reader = new SseReader(response.body);
		const head = await reader.until((message) => message.data.includes('"event":"text-chunk"'));
		const started = toTeamLine(head[0]);
		if (started === '[DONE]' || started.event !== 'started') throw new Error('The stream did not start with started');
		const stop = await fetch(`${server.baseURL}/api/chat/${started.id_task}/stop`, {
			method: 'POST',
			headers: { authorization: `Bearer ${key}` }
		});
		expect(stop.status).toBe(200);
		const lines = checkTeamStream([...head, ...(await reader.rest())], reader);
		expect(lines.at(-1)).toEqual({ event: 'interrupted', reason: expect.any(String) });
		expect(contentOf(lines, 'text-chunk').split(/\s+/).length).toBeLessThan(200);
	});

	it('a caller that disconnects mid-stream stops its run, stored as interrupted', async () => {
		const controller = new AbortController();
		const response = await postTeamMessage(
			{ id_team_agent: 'assistant', id_team: 'sse-team', text: 'Please write a long answer about canals' },
			controller.signal
		);
		const reader = new SseReader(response.body);
		const head = await reader.until((message) => message.data.includes('"event":"text-chunk"'));
		const started = toTeamLine(head[0]);
		if (started === '[DONE]' || started.event !== 'started') throw new Error('The stream did not start with started');
		controller.abort();
		await reader.cancel();

		await runEnded(started.id_task);
		const task = await fetch(`${server.baseURL}/api/teams/tasks/assistant/${started.id_task}`, {
			headers: { authorization: `Bearer ${key}` }
		});
		const answer = (await task.json()).content[0].response;
		expect(answer).toMatchObject({ event: 'interrupted', is_interrupted: true, is_finished: false, is_error: false });
		expect(answer.text.split(/\s+/).length).toBeLessThan(200);
	});

	it('error, then [DONE], when the model fails mid-answer, without the provider’s words', async () => {
		const lines = await teamStream({ id_team_agent: 'flaky', id_team: 'sse-team', text: 'Hello' });
		expect(contentOf(lines, 'text-chunk')).toBe('Partial answer');
		const last = lines.at(-1);
		expect(last).toEqual({ event: 'error', error: expect.any(String) });
		expect(JSON.stringify(lines)).not.toContain(PROVIDER_SECRET);

		const task = await fetch(`${server.baseURL}/api/teams/tasks/flaky/${startedOf(lines).id_task}`, {
			headers: { authorization: `Bearer ${key}` }
		});
		const answer = (await task.json()).content[0].response;
		expect(answer).toMatchObject({ event: 'error', is_error: true, text: 'Partial answer' });
		if (last?.event === 'error') expect(answer.error).toBe(last.error);
	});
});

describe('coverage of the event types', () => {
	it('saw every agent API event and every done status the offline model can reach', () => {
		expect([...seenAgentEvents].sort()).toEqual([...AGENT_EVENT_NAMES].sort());
		expect([...seenDoneStatuses].sort()).toEqual(['completed', 'error', 'interrupted', 'requires_action']);
	});

	it('saw every team-agent line the runtime produces, and [DONE]', () => {
		// The media lines (image-chunk, …) are for files an agent produces; the runtime has no such event yet.
		expect([...seenTeamEvents].sort()).toEqual(
			['started', 'text-chunk', 'reasoning-chunk', 'step', 'loading', 'finished', 'interrupted', 'error', '[DONE]'].sort()
		);
	});
});
