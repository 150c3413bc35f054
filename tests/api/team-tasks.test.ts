import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { agents, tasks, teams, users } from '../../src/lib/server/db/schema';
import { startServer, type TestServer } from '../support/server';
import { signUp, type SessionClient } from '../support/session';
import { readUntil, textReader } from '../support/streams';

let server: TestServer;
let db: Db;
let aliceKey: string;
let bobKey: string;
let carol: SessionClient;

/** A PNG signature and header: enough for the type to be read from the content. */
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

beforeAll(async () => {
	server = await startServer({ MOCK_TOKEN_DELAY_MS: '5', FILE_SIZE_LIMIT: '1000' });
	await signUp(server.baseURL, 'alice@example.com');
	await signUp(server.baseURL, 'bob@example.com');
	carol = await signUp(server.baseURL, 'carol@example.com');
	db = await openDatabase({ url: server.databaseUrl });
	const keyOf = async (email: string) => {
		const [user] = await db.select().from(users).where(eq(users.email, email));
		return (await createApiKey(db, user.id, 'team tests')).key;
	};
	aliceKey = await keyOf('alice@example.com');
	bobKey = await keyOf('bob@example.com');
	await db.insert(agents).values({ slug: 'helpdesk', name: 'Helpdesk', model: 'mock:offline', visibility: 'public' });
	await db.insert(agents).values({
		slug: 'planner',
		name: 'Planner',
		model: 'mock:offline',
		contextSchema: { type: 'object', required: ['plan'], properties: { plan: { type: 'string', enum: ['free', 'pro'] } } }
	});
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

/** One parsed `data:` line: a JSON object, or the closing `[DONE]`. */
type Line = Record<string, unknown> | '[DONE]';

/** A form from fields; files are `[name, File]` pairs. */
function formOf(fields: Record<string, string | File | File[]>): FormData {
	const form = new FormData();
	for (const [name, value] of Object.entries(fields)) {
		for (const item of Array.isArray(value) ? value : [value]) form.append(name, item);
	}
	return form;
}

/** `POST /api/teams/messages` as a FastAPI-template client sends it. */
function sendMessage(
	fields: Record<string, string | File | File[]>,
	options: { key?: string; accept?: string | null; signal?: AbortSignal } = {}
): Promise<Response> {
	const headers = new Headers({ authorization: `Bearer ${options.key ?? aliceKey}` });
	if (options.accept !== null) headers.set('accept', options.accept ?? 'text/event-stream');
	return fetch(`${server.baseURL}/api/teams/messages`, {
		method: 'POST',
		headers,
		body: formOf(fields),
		signal: options.signal
	});
}

/** The `data:` lines of a whole SSE body, checking that no other field is used. */
function parseLines(body: string): Line[] {
	const events = body.split('\n\n').filter((block) => block.trim() !== '' && !block.startsWith(':'));
	return events.map((block) => {
		expect(block.startsWith('data: ')).toBe(true);
		expect(block).not.toMatch(/^event:/m);
		const data = block.slice('data: '.length);
		return data === '[DONE]' ? '[DONE]' : (JSON.parse(data) as Record<string, unknown>);
	});
}

/** Sends a message and reads the whole answer. */
async function ask(fields: Record<string, string | File | File[]>, key = aliceKey): Promise<Line[]> {
	const response = await sendMessage(fields, { key });
	expect(response.status).toBe(200);
	expect(response.headers.get('content-type')).toMatch(/^text\/event-stream/);
	return parseLines(await response.text());
}

function eventsOf(lines: Line[]): string[] {
	return lines.map((line) => (line === '[DONE]' ? '[DONE]' : String(line.event)));
}

function joined(lines: Line[], event: string): string {
	return lines.flatMap((line) => (line !== '[DONE]' && line.event === event ? [String(line.content)] : [])).join('');
}

function started(lines: Line[]) {
	const first = lines[0];
	if (first === '[DONE]' || first.event !== 'started') throw new Error('The stream did not start with "started"');
	return first as { event: 'started'; id_team_agent: string; id_team: string; id_task: string; created_at: string };
}

/** A JSON request with an API key. */
function api(path: string, init: RequestInit = {}, key = aliceKey): Promise<Response> {
	const headers = new Headers(init.headers);
	headers.set('authorization', `Bearer ${key}`);
	return fetch(`${server.baseURL}${path}`, { ...init, headers });
}

describe('POST /api/teams/messages', () => {
	it('streams a plain answer in the protocol’s order and stores the task in its team', async () => {
		const lines = await ask({ id_team_agent: 'assistant', id_team: 'team-plain', text: 'Hello team' });
		const start = started(lines);
		expect(start).toEqual({
			event: 'started',
			id_team_agent: 'assistant',
			id_team: 'team-plain',
			id_task: expect.any(String),
			created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/)
		});
		const events = eventsOf(lines);
		expect(events.slice(-2)).toEqual(['finished', '[DONE]']);
		expect(events.filter((event) => ['finished', 'error', 'interrupted'].includes(event))).toEqual(['finished']);
		expect(events[1]).toBe('loading');
		const middle = events.slice(1, -2);
		expect(new Set(middle)).toEqual(new Set(['loading', 'reasoning-chunk', 'text-chunk']));
		expect(events.lastIndexOf('reasoning-chunk')).toBeLessThan(events.indexOf('text-chunk'));
		expect(joined(lines, 'text-chunk')).toContain('You said: "Hello team"');
		expect(joined(lines, 'reasoning-chunk').length).toBeGreaterThan(0);

		const [team] = await db.select().from(teams).where(eq(teams.id, 'team-plain'));
		expect(team).toBeDefined();
		const [task] = await db.select().from(tasks).where(eq(tasks.id, start.id_task));
		expect(task).toMatchObject({ teamId: 'team-plain', driver: 'auto', title: 'Hello team' });
	});

	it('reports a tool step between the call and the answer that quotes it', async () => {
		const lines = await ask({ id_team_agent: 'tool-demo', id_team: 'team-tools', text: 'calculator expression="6*7"' });
		const events = eventsOf(lines);
		expect(events[0]).toBe('started');
		expect(events.slice(-2)).toEqual(['finished', '[DONE]']);
		const steps = lines.filter((line) => line !== '[DONE]' && line.event === 'step');
		expect(steps).toEqual([
			{ event: 'step', step: 1, content: 'calculator({"expression":"6*7"}) returned {"expression":"6*7","result":42}' }
		]);
		const stepAt = events.indexOf('step');
		// A loading line while the tool runs, and the quoting text after the step.
		expect(events.slice(0, stepAt)).toContain('loading');
		const after = lines.slice(stepAt + 1);
		expect(joined(after, 'text-chunk')).toContain('42');
	});

	it('continues a task of the caller’s and refuses others’ tasks and unknown agents with 404', async () => {
		const first = started(await ask({ id_team_agent: 'assistant', id_team: 'team-continue', text: 'First question' }));
		const second = await ask({ id_team_agent: 'assistant', id_team: 'team-continue', id_task: first.id_task, text: 'Second question' });
		expect(started(second).id_task).toBe(first.id_task);
		expect(joined(second, 'text-chunk')).toContain('Second question');

		const task = await (await api(`/api/teams/tasks/assistant/${first.id_task}`)).json();
		expect(task.content.map((turn: { request: { text: string } }) => turn.request.text)).toEqual(['First question', 'Second question']);

		const foreign = await sendMessage(
			{ id_team_agent: 'assistant', id_team: 'team-continue', id_task: first.id_task, text: 'Hijack' },
			{ key: bobKey }
		);
		expect(foreign.status).toBe(404);
		expect(await foreign.json()).toMatchObject({ error: { code: 'not_found', field: 'id_task' } });

		const otherAgent = await sendMessage({ id_team_agent: 'tool-demo', id_team: 't', id_task: first.id_task, text: 'x' });
		expect(otherAgent.status).toBe(404);
		const unknownTask = await sendMessage({ id_team_agent: 'assistant', id_team: 't', id_task: 'no-such-task', text: 'x' });
		expect(unknownTask.status).toBe(404);
		const unknownAgent = await sendMessage({ id_team_agent: 'nobody', id_team: 't', text: 'x' });
		expect(unknownAgent.status).toBe(404);
		expect(await unknownAgent.json()).toMatchObject({ error: { field: 'id_team_agent' } });
	});

	it('stores files sent in images and documents, and the model names them by kind', async () => {
		const lines = await ask({
			id_team_agent: 'assistant',
			id_team: 'team-files',
			text: 'What did I send?',
			images: new File([PNG], 'dot.png', { type: 'image/png' }),
			documents: new File(['Quarterly numbers look good'], 'notes.txt', { type: 'text/plain' })
		});
		const text = joined(lines, 'text-chunk');
		expect(text).toContain('dot.png (image)');
		expect(text).toContain('notes.txt (document)');
		expect(eventsOf(lines).slice(-2)).toEqual(['finished', '[DONE]']);

		const task = await (await api(`/api/teams/tasks/assistant/${started(lines).id_task}`)).json();
		const request = task.content[0].request;
		expect(request.images).toEqual([
			{ name: 'dot.png', type: 'image', size: PNG.byteLength, mime_type: 'image/png', url: expect.stringMatching(/^\/api\/files\/\w+$/) }
		]);
		expect(request.documents).toEqual([
			{ name: 'notes.txt', type: 'document', size: 27, mime_type: 'text/plain', url: expect.stringMatching(/^\/api\/files\/\w+$/) }
		]);
		const download = await api(request.images[0].url);
		expect(download.status).toBe(200);
		expect(download.headers.get('content-type')).toBe('image/png');
		expect(new Uint8Array(await download.arrayBuffer())).toEqual(PNG);
		expect((await api(request.images[0].url, {}, bobKey)).status).toBe(404);
	});

	it('406 without Accept: text/event-stream', async () => {
		const response = await sendMessage({ id_team_agent: 'assistant', id_team: 't', text: 'Hi' }, { accept: null });
		expect(response.status).toBe(406);
		expect(await response.json()).toMatchObject({ error: { code: 'not_acceptable' } });
		const json = await sendMessage({ id_team_agent: 'assistant', id_team: 't', text: 'Hi' }, { accept: 'application/json' });
		expect(json.status).toBe(406);
	});

	it('415 for a JSON body', async () => {
		const response = await fetch(`${server.baseURL}/api/teams/messages`, {
			method: 'POST',
			headers: { authorization: `Bearer ${aliceKey}`, accept: 'text/event-stream', 'content-type': 'application/json' },
			body: JSON.stringify({ id_team_agent: 'assistant', id_team: 't', text: 'Hi' })
		});
		expect(response.status).toBe(415);
		expect(await response.json()).toMatchObject({ error: { code: 'unsupported_media_type' } });
	});

	it('413 for a file over FILE_SIZE_LIMIT, naming its field', async () => {
		const response = await sendMessage({
			id_team_agent: 'assistant',
			id_team: 't',
			text: 'Big one',
			documents: new File([new Uint8Array(1500).fill(65)], 'big.txt', { type: 'text/plain' })
		});
		expect(response.status).toBe(413);
		expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large', field: 'documents' } });
	});

	it('400 for a missing field or context that is not JSON; 422 when context misses the agent’s schema', async () => {
		const missing = await sendMessage({ id_team_agent: 'assistant', text: 'Hi' });
		expect(missing.status).toBe(400);
		expect(await missing.json()).toMatchObject({ error: { code: 'invalid_input', field: 'id_team' } });

		const notJson = await sendMessage({ id_team_agent: 'planner', id_team: 't', text: 'Hi', context: '{plan: pro' });
		expect(notJson.status).toBe(400);
		expect(await notJson.json()).toMatchObject({ error: { code: 'invalid_input', field: 'context' } });

		const wrong = await sendMessage({ id_team_agent: 'planner', id_team: 't', text: 'Hi', context: '{"plan":"gold"}' });
		expect(wrong.status).toBe(422);
		expect(await wrong.json()).toMatchObject({ error: { code: 'unprocessable', field: 'context.plan' } });

		const lines = await ask({ id_team_agent: 'planner', id_team: 't', text: 'Hi', context: '{"plan":"pro"}' });
		const [task] = await db
			.select()
			.from(tasks)
			.where(eq(tasks.id, started(lines).id_task));
		expect(task.context).toEqual({ plan: 'pro' });
	});

	it('401 without a key for an agent that is not public', async () => {
		const response = await fetch(`${server.baseURL}/api/teams/messages`, {
			method: 'POST',
			headers: { accept: 'text/event-stream' },
			body: formOf({ id_team_agent: 'assistant', id_team: 't', text: 'Hi' })
		});
		expect(response.status).toBe(401);
	});

	it('serves anonymous callers of public agents, who keep their tasks by X-Anonymous-Id', async () => {
		const fresh = await fetch(`${server.baseURL}/api/teams/messages`, {
			method: 'POST',
			headers: { accept: 'text/event-stream' },
			body: formOf({ id_team_agent: 'helpdesk', id_team: 'visitors', text: 'Hi there' })
		});
		expect(fresh.status).toBe(200);
		const anonymousId = fresh.headers.get('x-anonymous-id');
		expect(anonymousId).toMatch(/^anon_/);
		const taskId = started(parseLines(await fresh.text())).id_task;

		const headers = { 'x-anonymous-id': anonymousId ?? '' };
		const list = await (await fetch(`${server.baseURL}/api/teams/tasks/helpdesk`, { headers })).json();
		expect(list.map((task: { id_task: string }) => task.id_task)).toEqual([taskId]);
		const again = await fetch(`${server.baseURL}/api/teams/messages`, {
			method: 'POST',
			headers: { ...headers, accept: 'text/event-stream' },
			body: formOf({ id_team_agent: 'helpdesk', id_team: 'visitors', id_task: taskId, text: 'Still me' })
		});
		expect(again.status).toBe(200);
		expect(again.headers.get('x-anonymous-id')).toBeNull();
		expect(parseLines(await again.text()).at(-2)).toEqual({ event: 'finished' });

		const stranger = await fetch(`${server.baseURL}/api/teams/tasks/helpdesk/${taskId}`, {
			headers: { 'x-anonymous-id': 'anon_someone-else' }
		});
		expect(stranger.status).toBe(404);
	});

	it('takes a session cookie only with a same-site Origin', async () => {
		const body = () => formOf({ id_team_agent: 'assistant', id_team: 'team-cookie', text: 'From the browser' });
		const sameSite = await carol.fetch('/api/teams/messages', {
			method: 'POST',
			headers: { accept: 'text/event-stream' },
			body: body()
		});
		expect(sameSite.status).toBe(200);
		expect(parseLines(await sameSite.text()).at(-2)).toEqual({ event: 'finished' });
		const crossSite = await carol.fetch('/api/teams/messages', {
			method: 'POST',
			headers: { accept: 'text/event-stream', origin: 'https://evil.example' },
			body: body()
		});
		expect(crossSite.status).toBe(403);
	});

	it('a caller that disconnects mid-stream stops the run, stored as interrupted', async () => {
		const controller = new AbortController();
		const response = await sendMessage(
			{ id_team_agent: 'assistant', id_team: 'team-gone', text: 'Please write a long answer about glaciers' },
			{ signal: controller.signal }
		);
		const reader = textReader(response.body);
		const seen = await readUntil(reader, '"event":"text-chunk"');
		const taskId = started(parseLines(seen.slice(0, seen.indexOf('\n\n') + 2))).id_task;
		controller.abort();
		await reader.cancel().catch(() => undefined);

		// The app's resume stream replays the run until it ends (or answers 204 once it has).
		const resumed = await api(`/api/chat/${taskId}/stream`);
		if (resumed.status === 200) expect(await resumed.text()).toContain('"type":"abort"');
		else expect(resumed.status).toBe(204);

		const task = await (await api(`/api/teams/tasks/assistant/${taskId}`)).json();
		const answer = task.content[0].response;
		expect(answer).toMatchObject({ event: 'interrupted', is_interrupted: true, is_finished: false, error: null });
		expect(answer.reason).toEqual(expect.any(String));
		expect(answer.text.split(/\s+/).length).toBeLessThan(200);
	});
});

describe('/api/teams/tasks', () => {
	it('creates a task without running the agent, lists it first, reads and deletes it', async () => {
		const created = await api('/api/teams/tasks/assistant', {
			method: 'POST',
			body: formOf({ id_team: 'team-manual', text: 'Draft the agenda' })
		});
		expect(created.status).toBe(201);
		const task = await created.json();
		expect(task).toEqual({
			id_task: expect.any(String),
			id_team_agent: 'assistant',
			id_team: 'team-manual',
			title: 'Draft the agenda',
			content: [
				{
					request: {
						id_team_agent: 'assistant',
						id_team: 'team-manual',
						id_task: task.id_task,
						text: 'Draft the agenda',
						images: [],
						videos: [],
						audios: [],
						documents: []
					}
				}
			],
			driver: 'user',
			created_at: expect.any(String),
			updated_at: expect.any(String)
		});

		const list = await api('/api/teams/tasks/assistant');
		expect(list.status).toBe(200);
		const tasksList = await list.json();
		expect(Array.isArray(tasksList)).toBe(true);
		expect(tasksList[0].id_task).toBe(task.id_task);
		const createdTimes = tasksList.map((item: { created_at: string }) => Date.parse(item.created_at));
		expect(createdTimes).toEqual([...createdTimes].sort((a, b) => b - a));
		expect(tasksList.every((item: { id_team_agent: string }) => item.id_team_agent === 'assistant')).toBe(true);

		const read = await api(`/api/teams/tasks/assistant/${task.id_task}`);
		expect(read.status).toBe(200);
		expect(await read.json()).toEqual(task);

		const deleted = await api(`/api/teams/tasks/assistant/${task.id_task}`, { method: 'DELETE' });
		expect(deleted.status).toBe(200);
		expect(await deleted.json()).toEqual({ success: true, id_task: task.id_task });
		expect((await api(`/api/teams/tasks/assistant/${task.id_task}`)).status).toBe(404);
		expect((await api(`/api/teams/tasks/assistant/${task.id_task}`, { method: 'DELETE' })).status).toBe(404);
	});

	it('shows answers written by the stream, with the agent as the caller named it', async () => {
		const [toolDemo] = await db.select().from(agents).where(eq(agents.slug, 'tool-demo'));
		const lines = await ask({ id_team_agent: String(toolDemo.id), id_team: 'team-ids', text: 'calculator expression="2+2"' });
		expect(started(lines).id_team_agent).toBe(String(toolDemo.id));
		const task = await (await api(`/api/teams/tasks/${toolDemo.id}/${started(lines).id_task}`)).json();
		expect(task.id_team_agent).toBe(String(toolDemo.id));
		expect(task.content[0].response).toMatchObject({
			id_team_agent: String(toolDemo.id),
			id_team: 'team-ids',
			id_task: started(lines).id_task,
			event: 'finished',
			is_finished: true,
			is_error: false,
			is_interrupted: false,
			error: null,
			reason: null,
			images: [],
			documents: []
		});
		expect(task.content[0].response.text).toContain('4');
		expect(task.content[0].response.reasoning.length).toBeGreaterThan(0);
	});

	it('lists only the caller’s tasks and hides others’ as 404', async () => {
		const created = await (
			await api('/api/teams/tasks/assistant', { method: 'POST', body: formOf({ id_team: 'team-private', text: 'Mine only' }) })
		).json();
		const bobList = await (await api('/api/teams/tasks/assistant', {}, bobKey)).json();
		expect(bobList.map((item: { id_task: string }) => item.id_task)).not.toContain(created.id_task);
		expect((await api(`/api/teams/tasks/assistant/${created.id_task}`, {}, bobKey)).status).toBe(404);
		expect((await api(`/api/teams/tasks/assistant/${created.id_task}`, { method: 'DELETE' }, bobKey)).status).toBe(404);
		expect((await api(`/api/teams/tasks/tool-demo/${created.id_task}`)).status).toBe(404);
		expect((await api('/api/teams/tasks/nobody')).status).toBe(404);
		expect((await api(`/api/teams/tasks/assistant/${created.id_task}`)).status).toBe(200);
	});

	it('400 without a text; 415 for a JSON body', async () => {
		const missing = await api('/api/teams/tasks/assistant', { method: 'POST', body: formOf({ id_team: 't' }) });
		expect(missing.status).toBe(400);
		expect(await missing.json()).toMatchObject({ error: { field: 'text' } });
		const json = await api('/api/teams/tasks/assistant', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ id_team: 't', text: 'Hi' })
		});
		expect(json.status).toBe(415);
	});
});
