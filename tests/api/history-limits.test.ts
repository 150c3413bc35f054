import { count, eq } from 'drizzle-orm';
import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { agents, messages, tasks } from '../../src/lib/server/db/schema';
import { signUpWithKey } from '../support/api-user';
import { startServer, type TestServer } from '../support/server';

/**
 * The history limits on every face that accepts a caller's history. `main` runs with the default
 * limits (1000 messages, 1 MB of text) and a JSON body limit raised above them, so that the
 * history limits are what answers; `small` lowers the text limit to 1000 characters to show it on
 * the faces that carry a single message.
 */
let main: TestServer;
let small: TestServer;
let mainDb: Db;
let smallDb: Db;
let openai: OpenAI;

const DEFAULT_MESSAGE_LIMIT = 1000;
const DEFAULT_TEXT_LIMIT = 1024 * 1024;
const SMALL_TEXT_LIMIT = 1000;

/** A public agent, so that anonymous callers may use it. */
const PUBLIC_AGENT = 'open';

beforeAll(async () => {
	const common = { JSON_BODY_LIMIT: String(8 * 1024 * 1024), RATE_LIMIT_PER_MINUTE: '100000' };
	[main, small] = await Promise.all([startServer(common), startServer({ ...common, HISTORY_TEXT_LIMIT: String(SMALL_TEXT_LIMIT) })]);
	mainDb = await openDatabase({ url: main.databaseUrl });
	smallDb = await openDatabase({ url: small.databaseUrl });
	for (const db of [mainDb, smallDb]) {
		await db.insert(agents).values({ slug: PUBLIC_AGENT, name: 'Open', model: 'mock:offline', visibility: 'public' });
	}
	const { key } = await signUpWithKey(main.baseURL, mainDb, 'alice@example.com', 'history limits');
	openai = new OpenAI({ baseURL: `${main.baseURL}/v1`, apiKey: key, maxRetries: 0 });
});

afterAll(async () => {
	mainDb?.$client.close();
	smallDb?.$client.close();
	await Promise.all([main?.stop(), small?.stop()]);
});

/** How many tasks and messages a database holds. */
async function stored(db: Db): Promise<{ tasks: number; messages: number }> {
	const [taskRows] = await db.select({ n: count() }).from(tasks);
	const [messageRows] = await db.select({ n: count() }).from(messages);
	return { tasks: taskRows.n, messages: messageRows.n };
}

/** How many messages a task holds. */
async function messagesOf(db: Db, taskId: string): Promise<number> {
	const [row] = await db.select({ n: count() }).from(messages).where(eq(messages.taskId, taskId));
	return row.n;
}

/** `length` short alternating messages ending with a user question, in OpenAI's form. */
function openAIHistory(length: number): ChatCompletionMessageParam[] {
	return Array.from({ length }, (_, index) => {
		const role = (length - 1 - index) % 2 === 0 ? 'user' : 'assistant';
		return { role, content: `Message number ${index}.` } as ChatCompletionMessageParam;
	});
}

/** Two messages holding more than 1 MB of text between them. */
function oversizedOpenAIHistory(): ChatCompletionMessageParam[] {
	const half = 'x'.repeat(DEFAULT_TEXT_LIMIT / 2 + 1);
	return [
		{ role: 'user', content: half },
		{ role: 'assistant', content: 'Noted.' },
		{ role: 'user', content: half }
	];
}

/** What `call` rejects with (the SDK's `APIError`). */
async function rejection(call: Promise<unknown>): Promise<InstanceType<typeof OpenAI.APIError>> {
	const error = await call.then(
		() => null,
		(thrown: unknown) => thrown
	);
	expect(error).toBeInstanceOf(OpenAI.APIError);
	return error as InstanceType<typeof OpenAI.APIError>;
}

describe('POST /v1/chat/completions', () => {
	it('refuses 1,001 messages with 413 in OpenAI’s error shape, naming the limit, and stores nothing', async () => {
		const before = await stored(mainDb);
		const error = await rejection(
			openai.chat.completions.create({ model: PUBLIC_AGENT, messages: openAIHistory(DEFAULT_MESSAGE_LIMIT + 1) })
		);
		expect(error.status).toBe(413);
		expect(error.type).toBe('invalid_request_error');
		expect(error.code).toBe('request_too_large');
		expect(error.param).toBe('messages');
		expect(error.message).toContain(`at most ${DEFAULT_MESSAGE_LIMIT}`);
		expect(error.message).toContain('HISTORY_MESSAGE_LIMIT');
		expect(await stored(mainDb)).toEqual(before);
	});

	it('refuses them from an anonymous caller too', async () => {
		const before = await stored(mainDb);
		const response = await fetch(`${main.baseURL}/v1/chat/completions`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ model: PUBLIC_AGENT, messages: openAIHistory(DEFAULT_MESSAGE_LIMIT + 1) })
		});
		expect(response.status).toBe(413);
		expect(await response.json()).toMatchObject({
			error: { type: 'invalid_request_error', code: 'request_too_large', param: 'messages' }
		});
		expect(await stored(mainDb)).toEqual(before);
	});

	it('accepts 1,000 messages and stores exactly them and the answer', async () => {
		const { data, response } = await openai.chat.completions
			.create({ model: PUBLIC_AGENT, messages: openAIHistory(DEFAULT_MESSAGE_LIMIT) })
			.withResponse();
		expect(data.choices[0].message.content).toBeTruthy();
		const taskId = response.headers.get('x-parley-task-id');
		expect(taskId).toBeTruthy();
		expect(await messagesOf(mainDb, taskId!)).toBe(DEFAULT_MESSAGE_LIMIT + 1);
	});

	it('refuses more than 1 MB of text with 413 naming the limit, and stores nothing', async () => {
		const before = await stored(mainDb);
		const error = await rejection(openai.chat.completions.create({ model: PUBLIC_AGENT, messages: oversizedOpenAIHistory() }));
		expect(error.status).toBe(413);
		expect(error.code).toBe('request_too_large');
		expect(error.message).toContain(`at most ${DEFAULT_TEXT_LIMIT}`);
		expect(error.message).toContain('HISTORY_TEXT_LIMIT');
		expect(await stored(mainDb)).toEqual(before);
	});
});

/** `length` short alternating messages ending with a user question, as assistant-ui keeps them in `state.messages`. */
function stateHistory(length: number, text = (index: number) => `Message number ${index}.`) {
	return Array.from({ length }, (_, index) => ({
		id: `m${index}`,
		role: (length - 1 - index) % 2 === 0 ? 'user' : 'assistant',
		content: [{ type: 'text', text: text(index) }]
	}));
}

/** `POST /assistant` from an anonymous caller, a new thread of the public agent. */
function postAssistant(body: Record<string, unknown>): Promise<Response> {
	return fetch(`${main.baseURL}/assistant?agent=${PUBLIC_AGENT}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ commands: [], threadId: '__LOCALID_history', ...body })
	});
}

describe('POST /assistant', () => {
	it('refuses 1,001 messages in state.messages with a JSON 413 naming the limit, and stores nothing', async () => {
		const before = await stored(mainDb);
		const response = await postAssistant({ state: { messages: stateHistory(DEFAULT_MESSAGE_LIMIT + 1) } });
		expect(response.status).toBe(413);
		const body = await response.json();
		expect(body).toMatchObject({ error: { code: 'payload_too_large', field: 'state.messages' } });
		expect(body.error.message).toContain('HISTORY_MESSAGE_LIMIT');
		expect(await stored(mainDb)).toEqual(before);
	});

	it('counts a new message with the history it follows', async () => {
		const before = await stored(mainDb);
		const response = await postAssistant({
			state: { messages: stateHistory(DEFAULT_MESSAGE_LIMIT) },
			commands: [{ type: 'add-message', message: { role: 'user', parts: [{ type: 'text', text: 'One more.' }] }, parentId: null }]
		});
		expect(response.status).toBe(413);
		await response.body?.cancel();
		expect(await stored(mainDb)).toEqual(before);
	});

	it('accepts 999 messages and a new one, and stores exactly them and the answer', async () => {
		// 999 messages ending with the assistant's, then the new question: 1,000 in all.
		const history = stateHistory(DEFAULT_MESSAGE_LIMIT).slice(0, -1);
		const response = await postAssistant({
			state: { messages: history },
			commands: [{ type: 'add-message', message: { role: 'user', parts: [{ type: 'text', text: 'And now?' }] }, parentId: null }]
		});
		expect(response.status).toBe(200);
		await response.text();
		const taskId = response.headers.get('x-parley-task-id')!;
		expect(taskId).toBeTruthy();
		expect(await messagesOf(mainDb, taskId)).toBe(DEFAULT_MESSAGE_LIMIT + 1);
	});

	it('refuses more than 1 MB of text with 413 naming the limit', async () => {
		const before = await stored(mainDb);
		const response = await postAssistant({
			state: { messages: stateHistory(3, (index) => (index === 1 ? 'Noted.' : 'x'.repeat(DEFAULT_TEXT_LIMIT / 2 + 1))) }
		});
		expect(response.status).toBe(413);
		const body = await response.json();
		expect(body).toMatchObject({ error: { code: 'payload_too_large', field: 'state.messages' } });
		expect(body.error.message).toContain('HISTORY_TEXT_LIMIT');
		expect(await stored(mainDb)).toEqual(before);
	});
});

/** `length` short alternating UI messages ending with a user question, as `DefaultChatTransport` sends them. */
function uiHistory(length: number, text = (index: number) => `Message number ${index}.`) {
	return Array.from({ length }, (_, index) => ({
		id: `ui${index}`,
		role: (length - 1 - index) % 2 === 0 ? 'user' : 'assistant',
		parts: [{ type: 'text', text: text(index) }]
	}));
}

/** `POST /api/chat` from an anonymous caller, a new task of the public agent. */
function postChat(history: unknown[]): Promise<Response> {
	return fetch(`${main.baseURL}/api/chat`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ id: `t${crypto.randomUUID().slice(0, 12)}`, messages: history, agentId: PUBLIC_AGENT })
	});
}

describe('POST /api/chat', () => {
	it('refuses 1,001 messages with a JSON 413 naming the limit, and stores nothing', async () => {
		const before = await stored(mainDb);
		const response = await postChat(uiHistory(DEFAULT_MESSAGE_LIMIT + 1));
		expect(response.status).toBe(413);
		const body = await response.json();
		expect(body).toMatchObject({ error: { code: 'payload_too_large', field: 'messages' } });
		expect(body.error.message).toContain('HISTORY_MESSAGE_LIMIT');
		expect(await stored(mainDb)).toEqual(before);
	});

	it('accepts 1,000 messages (the server keeps its own history: the question and the answer are stored)', async () => {
		const response = await postChat(uiHistory(DEFAULT_MESSAGE_LIMIT));
		expect(response.status).toBe(200);
		await response.text();
		const [task] = await mainDb.select().from(tasks).where(eq(tasks.title, 'Message number 999.'));
		expect(task).toBeDefined();
		expect(await messagesOf(mainDb, task.id)).toBe(2);
	});

	it('refuses more than 1 MB of text with 413 naming the limit', async () => {
		const before = await stored(mainDb);
		const response = await postChat(uiHistory(3, (index) => (index === 1 ? 'Noted.' : 'x'.repeat(DEFAULT_TEXT_LIMIT / 2 + 1))));
		expect(response.status).toBe(413);
		expect((await response.json()).error.message).toContain('HISTORY_TEXT_LIMIT');
		expect(await stored(mainDb)).toEqual(before);
	});
});

/** Sends JSON to the small server as an anonymous caller. */
function postSmall(path: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
	return fetch(`${small.baseURL}${path}`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(body)
	});
}

describe('faces that carry one message (HISTORY_TEXT_LIMIT lowered to 1000)', () => {
	it('the agent API refuses a longer message with 413 naming the limit and stores nothing; the limit itself passes', async () => {
		for (const path of ['/api/agent/stream/', '/api/agent/chat/']) {
			const before = await stored(smallDb);
			const refused = await postSmall(path, { agent_id: PUBLIC_AGENT, message: 'x'.repeat(SMALL_TEXT_LIMIT + 1) });
			expect(refused.status).toBe(413);
			const body = await refused.json();
			expect(body).toMatchObject({ error: { code: 'payload_too_large', field: 'message' } });
			expect(body.error.message).toContain(`at most ${SMALL_TEXT_LIMIT}`);
			expect(body.error.message).toContain('HISTORY_TEXT_LIMIT');
			expect(await stored(smallDb)).toEqual(before);

			const accepted = await postSmall(path, { agent_id: PUBLIC_AGENT, message: 'y'.repeat(SMALL_TEXT_LIMIT) });
			expect(accepted.status).toBe(200);
			await accepted.text();
			expect((await stored(smallDb)).tasks).toBe(before.tasks + 1);
		}
	});

	it('team tasks refuse a longer text with 413 naming the limit and store nothing', async () => {
		const send = (path: string, fields: Record<string, string>) => {
			const form = new FormData();
			for (const [name, value] of Object.entries(fields)) form.set(name, value);
			return fetch(`${small.baseURL}${path}`, { method: 'POST', headers: { accept: 'text/event-stream' }, body: form });
		};
		const before = await stored(smallDb);
		const long = 'x'.repeat(SMALL_TEXT_LIMIT + 1);
		for (const refused of [
			await send('/api/teams/messages', { id_team_agent: PUBLIC_AGENT, id_team: 'team', text: long }),
			await send(`/api/teams/tasks/${PUBLIC_AGENT}`, { id_team: 'team', text: long })
		]) {
			expect(refused.status).toBe(413);
			const body = await refused.json();
			expect(body).toMatchObject({ error: { code: 'payload_too_large', field: 'text' } });
			expect(body.error.message).toContain('HISTORY_TEXT_LIMIT');
		}
		expect(await stored(smallDb)).toEqual(before);

		const created = await send(`/api/teams/tasks/${PUBLIC_AGENT}`, { id_team: 'team', text: 'z'.repeat(SMALL_TEXT_LIMIT) });
		expect(created.status).toBe(201);
	});

	it('the OpenAI face counts text across messages against the same setting', async () => {
		const before = await stored(smallDb);
		const response = await postSmall('/v1/chat/completions', {
			model: PUBLIC_AGENT,
			messages: [
				{ role: 'user', content: 'a'.repeat(600) },
				{ role: 'assistant', content: 'b'.repeat(10) },
				{ role: 'user', content: 'c'.repeat(600) }
			]
		});
		expect(response.status).toBe(413);
		expect(await response.json()).toMatchObject({ error: { code: 'request_too_large', param: 'messages' } });
		expect(await stored(smallDb)).toEqual(before);
	});
});
