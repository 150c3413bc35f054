import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { agents, tasks, users } from '../../src/lib/server/db/schema';
import { startServer, type TestServer } from '../support/server';
import { signUp, type SessionClient } from '../support/session';
import { parseSse, readRest, textReader, type SseMessage } from '../support/streams';
import { agentApiTextDelta, LONG_ANSWER_END, readTextDeltas } from '../support/text-deltas';

let server: TestServer;
/** The first account, hence an admin. */
let admin: SessionClient;
let bob: SessionClient;
let db: Db;
let adminKey: string;
let adminId: string;

beforeAll(async () => {
	server = await startServer({ MOCK_TOKEN_DELAY_MS: '5' });
	admin = await signUp(server.baseURL, 'admin@example.com');
	bob = await signUp(server.baseURL, 'bob@example.com');
	db = await openDatabase({ url: server.databaseUrl });
	const [user] = await db.select().from(users).where(eq(users.email, 'admin@example.com'));
	adminId = user.id;
	adminKey = (await createApiKey(db, user.id, 'agent api tests')).key;
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

/** Sends JSON with the admin's API key. */
function withKey(path: string, body: unknown, init: RequestInit = {}): Promise<Response> {
	return fetch(`${server.baseURL}${path}`, {
		method: 'POST',
		...init,
		headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json', ...init.headers },
		body: JSON.stringify(body)
	});
}

/** Posts to a streaming endpoint and reads every event. */
async function stream(path: string, body: unknown): Promise<SseMessage[]> {
	const response = await withKey(path, body);
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toContain('text/event-stream');
	return parseSse(await response.text());
}

const named = (events: SseMessage[], name: string) => events.filter((event) => event.event === name);
const textOf = (events: SseMessage[]) =>
	named(events, 'text_delta')
		.map((event) => event.data.delta)
		.join('');
const doneOf = (events: SseMessage[]) => {
	expect(events.at(-1)?.event).toBe('done');
	return events.at(-1)?.data ?? {};
};

/** A JSON call of the CRUD endpoints by a session client. */
async function call(client: SessionClient, method: string, path: string, body?: unknown) {
	const response = await client.fetch(path, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const text = await response.text();
	return { status: response.status, body: text ? JSON.parse(text) : null };
}

/** The stored messages of a task. */
async function storedMessages(taskId: string): Promise<{ role: string; status: string; parts: { type: string; text?: string }[] }[]> {
	const response = await admin.fetch(`/api/trpc/tasks.get?input=${encodeURIComponent(JSON.stringify({ id: taskId }))}`);
	return (await response.json()).result.data.messages;
}

describe('POST /api/agent/stream/', () => {
	it('streams a run with an API key: openai_event and text_delta events, done last', async () => {
		const events = await stream('/api/agent/stream/', { message: 'Hello agent', agent_id: 'assistant' });
		expect(events[0]).toMatchObject({ event: 'openai_event', data: { type: 'response.created', sequence_number: 0 } });
		const openai = named(events, 'openai_event').map((event) => event.data.type);
		expect(openai).toContain('response.output_text.delta');
		expect(openai.at(-1)).toBe('response.completed');
		expect(textOf(events)).toContain('You said: "Hello agent"');
		const done = doneOf(events);
		expect(done).toMatchObject({ status: 'completed', pending_tool_calls: [] });
		expect(typeof done.session_id).toBe('string');
		expect(named(events, 'done')).toHaveLength(1);

		const stored = await storedMessages(String(done.session_id));
		expect(stored.map((message) => [message.role, message.status])).toEqual([
			['user', 'complete'],
			['assistant', 'complete']
		]);
	});

	it('reports reasoning and cached tokens on response.completed, as the task messages show them', async () => {
		const events = await stream('/api/agent/stream/', { message: 'Think about usage', agent_id: 'assistant' });
		const completed = named(events, 'openai_event').find((event) => event.data.type === 'response.completed');
		const usage = (completed?.data.response as { usage: Record<string, unknown> & { output_tokens_details: { reasoning_tokens: number } } })
			.usage;
		// The offline model reasons first and reports no cache reads.
		expect(usage.input_tokens_details).toEqual({ cached_tokens: 0 });
		expect(usage.output_tokens_details.reasoning_tokens).toBeGreaterThan(0);

		const response = await admin.fetch(
			`/api/trpc/tasks.get?input=${encodeURIComponent(JSON.stringify({ id: String(doneOf(events).session_id) }))}`
		);
		const [, answer] = (await response.json()).result.data.messages;
		expect(answer).toMatchObject({
			inputTokens: usage.input_tokens,
			outputTokens: usage.output_tokens,
			reasoningTokens: usage.output_tokens_details.reasoning_tokens,
			cachedInputTokens: 0
		});
	});

	it('answers without the trailing slash too, and continues a session', async () => {
		const first = doneOf(await stream('/api/agent/stream', { message: 'First', agent_id: 'assistant' }));
		const second = await stream('/api/agent/stream', { message: 'Second', agent_id: 'assistant', session_id: first.session_id });
		expect(doneOf(second)).toMatchObject({ session_id: first.session_id, status: 'completed' });
		expect((await storedMessages(String(first.session_id))).length).toBe(4);
	});

	it('runs server tools when auto_execute_tools is left out', async () => {
		const events = await stream('/api/agent/stream/', { message: 'calculator expression="6*7"', agent_id: 'tool-demo' });
		expect(named(events, 'tool_call')).toEqual([]);
		expect(named(events, 'openai_event').map((event) => event.data.type)).toContain('response.function_call_arguments.done');
		expect(textOf(events)).toContain('42');
		expect(doneOf(events).status).toBe('completed');
	});

	it('hands every call over when auto_execute_tools is false, and the tool output continues the run', async () => {
		const events = await stream('/api/agent/stream/', {
			message: 'calculator expression="6*7"',
			agent_id: 'tool-demo',
			auto_execute_tools: false
		});
		const toolCalls = named(events, 'tool_call');
		expect(toolCalls).toEqual([
			{
				event: 'tool_call',
				data: { call_id: expect.any(String), name: 'calculator', arguments: '{"expression":"6*7"}', requires_approval: false }
			}
		]);
		const done = doneOf(events);
		expect(done).toMatchObject({ status: 'requires_action', pending_tool_calls: [toolCalls[0].data] });

		const continued = await stream('/api/agent/tool-output/', {
			session_id: done.session_id,
			call_id: toolCalls[0].data.call_id,
			output: { result: 42 }
		});
		expect(textOf(continued)).toContain('The calculator tool returned: {"result":42}');
		expect(doneOf(continued)).toMatchObject({
			session_id: done.session_id,
			message_id: done.message_id,
			status: 'completed',
			pending_tool_calls: []
		});
		const stored = await storedMessages(String(done.session_id));
		expect(stored.map((message) => message.role)).toEqual(['user', 'assistant']);
		expect(stored[1].status).toBe('complete');
	});

	it('answers calls one at a time: done alone while others wait, the last answer continues', async () => {
		const events = await stream('/api/agent/stream/', {
			message: 'calculator expression="6*7" and current_time timezone=UTC',
			agent_id: 'tool-demo',
			auto_execute_tools: false
		});
		const [calculator, currentTime] = named(events, 'tool_call').map((event) => event.data);
		expect([calculator.name, currentTime.name]).toEqual(['calculator', 'current_time']);
		const { session_id } = doneOf(events);

		const partial = await stream('/api/agent/tool-output/', { session_id, call_id: calculator.call_id, output: 42 });
		expect(partial.map((event) => event.event)).toEqual(['done']);
		expect(doneOf(partial)).toMatchObject({ status: 'requires_action', pending_tool_calls: [currentTime] });

		const rest = await stream('/api/agent/tool-output/', { session_id, call_id: currentTime.call_id, output: '12:00 UTC' });
		expect(textOf(rest)).toContain('12:00 UTC');
		expect(doneOf(rest).status).toBe('completed');
	});

	it('reads a numeric session id from an old client as text', async () => {
		const [assistant] = await db.select().from(agents).where(eq(agents.slug, 'assistant'));
		await db.insert(tasks).values({ id: '424242', agentId: assistant.id, userId: adminId, title: 'Old session' });
		const events = await stream('/api/agent/stream/', { message: 'Hi again', agent_id: 'assistant', session_id: 424242 });
		expect(doneOf(events)).toMatchObject({ session_id: '424242', status: 'completed' });
	});

	it('answers 404 for an unknown session or someone else’s', async () => {
		const mine = doneOf(await stream('/api/agent/stream/', { message: 'Private', agent_id: 'assistant' }));
		const foreign = await bob.fetch('/api/agent/stream/', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ message: 'Let me in', agent_id: 'assistant', session_id: mine.session_id })
		});
		expect(foreign.status).toBe(404);
		expect(await foreign.json()).toMatchObject({ error: { code: 'not_found', field: 'session_id' } });
		const unknown = await withKey('/api/agent/stream/', { message: 'Hi', agent_id: 'assistant', session_id: 'no-such-session' });
		expect(unknown.status).toBe(404);
		const toolOutput = await bob.fetch('/api/agent/tool-output/', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ session_id: mine.session_id, call_id: 'call_1', output: 1 })
		});
		expect(toolOutput.status).toBe(404);
	});

	it('refuses bad input naming the field, and unknown agents', async () => {
		const missing = await withKey('/api/agent/stream/', { agent_id: 'assistant' });
		expect(missing.status).toBe(400);
		expect(await missing.json()).toMatchObject({ error: { code: 'invalid_input', field: 'message' } });
		const agent = await withKey('/api/agent/stream/', { message: 'Hi', agent_id: 'nobody' });
		expect(agent.status).toBe(404);
		expect(await agent.json()).toMatchObject({ error: { field: 'agent_id' } });
		const noCall = await withKey('/api/agent/tool-output/', { session_id: '424242', call_id: 'call_9', output: 1 });
		expect(noCall.status).toBe(404);
		expect(await noCall.json()).toMatchObject({ error: { field: 'call_id' } });
		const anonymous = await fetch(`${server.baseURL}/api/agent/stream/`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ message: 'Hi', agent_id: 'assistant' })
		});
		expect(anonymous.status).toBe(401);
	});

	it('passes inline and uploaded files to the model', async () => {
		const form = new FormData();
		form.append('file', new File(['Quarterly numbers are up.'], 'report.txt', { type: 'text/plain' }));
		const upload = await fetch(`${server.baseURL}/api/files`, {
			method: 'POST',
			headers: { authorization: `Bearer ${adminKey}` },
			body: form
		});
		expect(upload.status).toBe(201);
		const [uploaded] = (await upload.json()).files;
		const events = await stream('/api/agent/stream/', {
			message: 'What do these say?',
			agent_id: 'assistant',
			files: [uploaded.id, { name: 'notes.txt', mime_type: 'text/plain', base64: Buffer.from('Buy milk.').toString('base64') }]
		});
		expect(textOf(events)).toContain('I received 2 attachments: report.txt (document), notes.txt (document).');

		const unknown = await withKey('/api/agent/stream/', { message: 'Hi', agent_id: 'assistant', files: ['no-such-file'] });
		expect(unknown.status).toBe(404);
		expect(await unknown.json()).toMatchObject({ error: { code: 'not_found', field: 'files.0' } });
	});

	it('stores the answer as interrupted when the caller disconnects mid-stream', async () => {
		const controller = new AbortController();
		const response = await withKey(
			'/api/agent/stream/',
			{ message: 'Please write a long answer about tides', agent_id: 'assistant' },
			{ signal: controller.signal }
		);
		const reader = textReader(response.body);
		// Five deltas in, the caller goes away.
		const { seen, text: received } = await readTextDeltas(reader, 5, agentApiTextDelta);
		const created = parseSse(seen.slice(0, seen.indexOf('\n\n') + 2))[0];
		const sessionId = String((created.data.response as { metadata: { session_id: string } }).metadata.session_id);
		controller.abort();

		// Waits for the run to end: the resume endpoint replays it until then, or answers 204 once it has.
		const resumed = await admin.fetch(`/api/chat/${sessionId}/stream`);
		if (resumed.status === 200) await resumed.text();
		else expect(resumed.status).toBe(204);
		const stored = await storedMessages(sessionId);
		expect(stored[1].status).toBe('interrupted');
		const text = stored[1].parts.flatMap((part) => (part.type === 'text' ? [part.text ?? ''] : [])).join('');
		expect(text.startsWith(received)).toBe(true);
		expect(received.split(/\s+/).filter(Boolean)).toHaveLength(5);
		expect(text).not.toContain(LONG_ANSWER_END);
	});

	it('ends with done interrupted when the run is stopped', async () => {
		const response = await withKey('/api/agent/stream/', { message: 'Please write a long answer about rivers', agent_id: 'assistant' });
		const reader = textReader(response.body);
		// Five deltas in, the run is stopped.
		const { seen, text: received } = await readTextDeltas(reader, 5, agentApiTextDelta);
		const created = parseSse(seen.slice(0, seen.indexOf('\n\n') + 2))[0];
		const sessionId = String((created.data.response as { metadata: { session_id: string } }).metadata.session_id);
		expect((await admin.fetch(`/api/chat/${sessionId}/stop`, { method: 'POST' })).status).toBe(200);
		const events = parseSse(seen + (await readRest(reader)));
		expect(doneOf(events)).toMatchObject({ session_id: sessionId, status: 'interrupted' });
		expect(named(events, 'openai_event').at(-1)?.data.type).toBe('response.incomplete');
		// The stream carried the answer up to the stop, and that is what was kept.
		const streamed = textOf(events);
		expect(streamed.startsWith(received)).toBe(true);
		expect(streamed).not.toContain(LONG_ANSWER_END);
		const stored = await storedMessages(sessionId);
		expect(stored[1].parts.flatMap((part) => (part.type === 'text' ? [part.text ?? ''] : [])).join('')).toBe(streamed);
	});
});

describe('POST /api/agent/chat/', () => {
	it('answers with one JSON object once the run ends', async () => {
		const response = await withKey('/api/agent/chat/', { message: 'Hello there', agent_id: 'assistant' });
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('application/json');
		const body = await response.json();
		expect(body).toMatchObject({ text: expect.stringContaining('You said: "Hello there"'), tool_calls: [], status: 'completed' });
		expect(Object.keys(body).sort()).toEqual(['message_id', 'session_id', 'status', 'text', 'tool_calls']);
	});

	it('lists the calls to answer when the run needs action', async () => {
		const response = await withKey('/api/agent/chat', {
			message: 'calculator expression="2+2"',
			agent_id: 'tool-demo',
			auto_execute_tools: false
		});
		expect(await response.json()).toMatchObject({
			status: 'requires_action',
			tool_calls: [{ name: 'calculator', arguments: '{"expression":"2+2"}', requires_approval: false }]
		});
	});
});

describe('client tools and approval tools made through the CRUD endpoints', () => {
	let lookupWeatherId: number;
	let healthId: number;

	beforeAll(async () => {
		const lookup = await call(admin, 'POST', '/api/tools/', {
			name: 'lookup_weather',
			kind: 'client',
			description: 'Looks up the weather; the caller runs it.',
			input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }
		});
		expect(lookup.status).toBe(201);
		lookupWeatherId = lookup.body.id;
		const health = await call(admin, 'POST', '/api/tools/', {
			name: 'server_health',
			kind: 'http',
			description: 'Checks the server’s health.',
			config: { url: `${server.baseURL}/health`, allowed_hosts: ['127.0.0.1'] },
			requires_approval: true
		});
		expect(health.status).toBe(201);
		healthId = health.body.id;
		const agent = await call(admin, 'POST', '/api/agents/', {
			slug: 'ops',
			name: 'Ops',
			tools: [lookupWeatherId, healthId]
		});
		expect(agent.status).toBe(201);
		expect(agent.body.tools).toEqual([lookupWeatherId, healthId]);
	});

	it('a client tool is handed to the caller, whose output continues the run', async () => {
		const events = await stream('/api/agent/stream/', { message: 'Please lookup weather city=Paris', agent_id: 'ops' });
		const [toolCall] = named(events, 'tool_call');
		expect(toolCall.data).toMatchObject({ name: 'lookup_weather', arguments: '{"city":"Paris"}', requires_approval: false });
		const done = doneOf(events);
		expect(done.status).toBe('requires_action');
		const continued = await stream('/api/agent/tool-output/', {
			session_id: done.session_id,
			call_id: toolCall.data.call_id,
			output: { temperature: 21 }
		});
		expect(textOf(continued)).toContain('The lookup_weather tool returned: {"temperature":21}');
		expect(doneOf(continued).status).toBe('completed');
	});

	it('an approval tool waits for {approved: true}, then runs on the server', async () => {
		const events = await stream('/api/agent/stream/', { message: 'Check the server health please', agent_id: 'ops' });
		const [toolCall] = named(events, 'tool_call');
		expect(toolCall.data).toMatchObject({ name: 'server_health', arguments: '{}', requires_approval: true });
		const done = doneOf(events);
		expect(done).toMatchObject({ status: 'requires_action', pending_tool_calls: [toolCall.data] });

		const refused = await withKey('/api/agent/tool-output/', {
			session_id: done.session_id,
			call_id: toolCall.data.call_id,
			output: 'yes'
		});
		expect(refused.status).toBe(400);
		expect(await refused.json()).toMatchObject({ error: { field: 'output' } });

		const continued = await stream('/api/agent/tool-output/', {
			session_id: done.session_id,
			call_id: toolCall.data.call_id,
			output: { approved: true }
		});
		expect(textOf(continued)).toContain('The server_health tool returned:');
		expect(textOf(continued)).toContain('healthy');
		expect(doneOf(continued).status).toBe('completed');
	});

	it('an approval tool does not run when denied', async () => {
		const events = await stream('/api/agent/stream/', { message: 'Check the server health', agent_id: 'ops' });
		const [toolCall] = named(events, 'tool_call');
		const continued = await stream('/api/agent/tool-output/', {
			session_id: doneOf(events).session_id,
			call_id: toolCall.data.call_id,
			output: { approved: false, reason: 'not now' }
		});
		expect(textOf(continued)).toContain('The server_health tool was not run');
		expect(doneOf(continued).status).toBe('completed');
	});
});

describe('/api/agents/ and /api/tools/', () => {
	it('list what the caller may use, as bare arrays', async () => {
		const list = await call(bob, 'GET', '/api/agents/');
		expect(list.status).toBe(200);
		expect(Array.isArray(list.body)).toBe(true);
		const demo = list.body.find((agent: { slug: string }) => agent.slug === 'tool-demo');
		expect(Object.keys(demo).sort()).toEqual(
			[
				'id',
				'slug',
				'name',
				'description',
				'system_prompt',
				'model',
				'temperature',
				'max_steps',
				'reasoning',
				'tools',
				'mcp_servers',
				'prompt_template_id',
				'context_schema',
				'visibility',
				'source',
				'created_at',
				'updated_at'
			].sort()
		);
		expect(demo).toMatchObject({ model: 'mock:offline', source: 'database', visibility: 'users' });
		expect((await call(bob, 'GET', `/api/agents/${demo.id}`)).body).toEqual(demo);
		expect((await call(bob, 'GET', '/api/agents/tool-demo/')).body).toEqual(demo);

		const toolsList = await call(bob, 'GET', '/api/tools');
		expect(toolsList.status).toBe(200);
		expect(toolsList.body.map((tool: { name: string }) => tool.name)).toEqual(expect.arrayContaining(['calculator', 'current_time']));
		expect(toolsList.body[0]).toMatchObject({ kind: 'builtin', requires_approval: expect.any(Boolean) });

		const anonymous = await fetch(`${server.baseURL}/api/agents/`);
		expect(anonymous.status).toBe(401);
	});

	it('create, read, update and delete an agent as an admin', async () => {
		const created = await call(admin, 'POST', '/api/agents/', {
			slug: 'faq',
			name: 'FAQ',
			system_prompt: 'Answer from the FAQ.',
			context_schema: { type: 'object', properties: { plan: { enum: ['free', 'pro'] } }, required: ['plan'] }
		});
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({ slug: 'faq', model: 'mock:offline', visibility: 'users', source: 'database', tools: [] });

		const patched = await call(admin, 'PATCH', '/api/agents/faq/', { visibility: 'public', temperature: 0.3 });
		expect(patched.body).toMatchObject({ slug: 'faq', system_prompt: 'Answer from the FAQ.', visibility: 'public', temperature: 0.3 });

		// Reasoning is off unless asked for, and only the known levels are taken.
		expect(created.body.reasoning).toBe('off');
		expect((await call(admin, 'PATCH', '/api/agents/faq/', { reasoning: 'high' })).body).toMatchObject({ reasoning: 'high' });
		const badLevel = await call(admin, 'PATCH', '/api/agents/faq/', { reasoning: 'extreme' });
		expect(badLevel.status).toBe(400);
		expect(badLevel.body.error).toMatchObject({ code: 'invalid_input', field: 'reasoning' });
		expect((await call(admin, 'GET', '/api/agents/faq/')).body.reasoning).toBe('high');

		// A public agent serves anonymous callers, who get an id back; its context is checked.
		const badContext = await fetch(`${server.baseURL}/api/agent/stream/`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ message: 'Hi', agent_id: 'faq', context: { plan: 'gold' } })
		});
		expect(badContext.status).toBe(422);
		expect(await badContext.json()).toMatchObject({ error: { code: 'unprocessable', field: 'context.plan' } });
		const anonymous = await fetch(`${server.baseURL}/api/agent/stream/`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ message: 'Hi', agent_id: 'faq', context: { plan: 'pro' } })
		});
		expect(anonymous.status).toBe(200);
		expect(anonymous.headers.get('x-anonymous-id')).toMatch(/^anon_/);
		expect(doneOf(parseSse(await anonymous.text())).status).toBe('completed');

		// Now it has a task, so it stays.
		const kept = await call(admin, 'DELETE', '/api/agents/faq/');
		expect(kept.status).toBe(409);
		expect(kept.body.error.message).toContain('task');

		const replaced = await call(admin, 'PUT', `/api/agents/${created.body.id}/`, { slug: 'faq2', name: 'FAQ 2' });
		expect(replaced.body).toMatchObject({ slug: 'faq2', system_prompt: '', visibility: 'users', context_schema: null });

		const empty = await call(admin, 'POST', '/api/agents', { slug: 'empty', name: 'Empty' });
		expect((await call(admin, 'DELETE', `/api/agents/${empty.body.id}`)).status).toBe(204);
		expect((await call(admin, 'GET', '/api/agents/empty/')).status).toBe(404);
	});

	it('refuse writes by non-admins, slug clashes and bad fields', async () => {
		const forbidden = await call(bob, 'POST', '/api/agents/', { slug: 'mine', name: 'Mine' });
		expect(forbidden.status).toBe(403);
		expect(forbidden.body.error.code).toBe('forbidden');
		expect((await call(bob, 'PATCH', '/api/agents/assistant/', { name: 'Hacked' })).status).toBe(403);
		expect((await call(bob, 'DELETE', '/api/agents/assistant/')).status).toBe(403);
		expect((await call(bob, 'POST', '/api/tools/', { name: 'x', kind: 'client' })).status).toBe(403);

		const clash = await call(admin, 'POST', '/api/agents/', { slug: 'assistant', name: 'Another' });
		expect(clash.status).toBe(409);
		expect(clash.body.error).toMatchObject({ code: 'conflict', field: 'slug' });

		for (const [body, field] of [
			[{ slug: 'Bad Slug', name: 'X' }, 'slug'],
			[{ slug: '123', name: 'X' }, 'slug'],
			[{ slug: 'x' }, 'name'],
			[{ slug: 'x', name: 'X', model: 'nowhere:model' }, 'model'],
			[{ slug: 'x', name: 'X', temperature: 'hot' }, 'temperature'],
			[{ slug: 'x', name: 'X', tools: [99999] }, 'tools'],
			[{ slug: 'x', name: 'X', context_schema: { type: 'nonsense' } }, 'context_schema']
		] as const) {
			const response = await call(admin, 'POST', '/api/agents/', body);
			expect(response.status, JSON.stringify(body)).toBe(400);
			expect(response.body.error, JSON.stringify(body)).toMatchObject({ code: 'invalid_input', field });
		}

		const badTool = await call(admin, 'POST', '/api/tools/', { name: 'weather', kind: 'http', config: { url: 'not a url' } });
		expect(badTool.status).toBe(400);
		expect(badTool.body.error.field).toBe('config');
		const unknownBuiltin = await call(admin, 'POST', '/api/tools/', { name: 'shell', kind: 'builtin' });
		expect(unknownBuiltin.body.error).toMatchObject({ code: 'invalid_input', field: 'name' });
		const toolClash = await call(admin, 'POST', '/api/tools/', { name: 'calculator', kind: 'client' });
		expect(toolClash.status).toBe(409);
	});

	it('create, update and delete a tool as an admin', async () => {
		const created = await call(admin, 'POST', '/api/tools/', { name: 'ask_user', kind: 'client', description: 'Asks the user.' });
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({
			name: 'ask_user',
			kind: 'client',
			input_schema: { type: 'object', properties: {} },
			config: {},
			requires_approval: false
		});
		const patched = await call(admin, 'PATCH', `/api/tools/${created.body.id}/`, { requires_approval: true });
		expect(patched.body).toMatchObject({ name: 'ask_user', description: 'Asks the user.', requires_approval: true });
		const replaced = await call(admin, 'PUT', `/api/tools/${created.body.id}`, { name: 'ask_person', kind: 'client' });
		expect(replaced.body).toMatchObject({ name: 'ask_person', description: '', requires_approval: false });
		expect((await call(admin, 'GET', `/api/tools/${created.body.id}/`)).body).toEqual(replaced.body);
		expect((await call(admin, 'DELETE', `/api/tools/${created.body.id}/`)).status).toBe(204);
		expect((await call(admin, 'GET', `/api/tools/${created.body.id}/`)).status).toBe(404);
	});

	it('refuse writes to agents defined in code', async () => {
		// `support` is defined in src/agents/support.ts.
		expect((await call(admin, 'GET', '/api/agents/support/')).body).toMatchObject({ source: 'code' });
		const response = await call(admin, 'PATCH', '/api/agents/support/', { name: 'Changed' });
		expect(response.status).toBe(409);
		expect((await call(admin, 'DELETE', '/api/agents/support/')).status).toBe(409);
	});
});
