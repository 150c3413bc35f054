import { eq, sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { agents, tasks, type StoredParts } from '../db/schema';
import {
	appendMessage,
	appendMessages,
	existingMessageIds,
	insertMessage,
	insertMessagesQuery,
	leafUnder,
	listMessages,
	partsForViewers
} from './messages';
import { createTask, prepareNewTask, touchTaskQuery } from './tasks';
import type { Viewer } from './viewer';

let temp: TempDb;
let taskId: string;

const anon: Viewer = { kind: 'anonymous', anonymousId: 'anon-1' };

/** `count` text messages, alternating user and assistant, numbered from `from`. */
function history(count: number, from = 0) {
	return Array.from({ length: count }, (_, index) => ({
		role: (index % 2 === 0 ? 'user' : 'assistant') as 'user' | 'assistant',
		parts: [{ type: 'text' as const, text: `message ${from + index}` }]
	}));
}

/** The text of a stored message. */
const textOf = (message: { parts: { type: string; text?: string }[] }) => message.parts[0]?.text;

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
	const [{ id: agentId }] = await temp.db.select({ id: agents.id }).from(agents).where(eq(agents.slug, 'assistant'));
	taskId = (await createTask(temp.db, { viewer: anon, agentId })).id;
});

afterEach(() => {
	temp.cleanup();
});

describe('appendMessages', () => {
	it('chains a history to the end of the task, each message after the one before, the last its end', async () => {
		const first = await appendMessage(temp.db, { taskId, role: 'user', parts: [{ type: 'text', text: 'first' }] });
		await appendMessages(temp.db, taskId, history(3, 1));
		const stored = await listMessages(temp.db, taskId);
		expect(stored.map(textOf)).toEqual(['first', 'message 1', 'message 2', 'message 3']);
		expect(stored.map((message) => message.parentId)).toEqual([null, first.id, stored[1].id, stored[2].id]);
		const [task] = await temp.db.select().from(tasks).where(eq(tasks.id, taskId));
		expect(task.activeLeafId).toBe(stored[3].id);
	});

	it('starts a history at the parent its first message names, as a new branch', async () => {
		await appendMessages(temp.db, taskId, history(2));
		const [question] = await listMessages(temp.db, taskId);
		await appendMessages(temp.db, taskId, [{ ...history(1, 7)[0], role: 'assistant', parentId: question.id }]);
		expect((await listMessages(temp.db, taskId)).map(textOf)).toEqual(['message 0', 'message 7']);
		await appendMessages(temp.db, taskId, [{ ...history(1, 9)[0], parentId: null }]);
		expect((await listMessages(temp.db, taskId)).map(textOf)).toEqual(['message 9']);
	});

	it('stores a long history in one statement, in order, positions from 0 without gaps', async () => {
		const messages = history(450);
		const query = insertMessagesQuery(temp.db, taskId, messages);
		expect(query).not.toBeNull();
		expect(query!.getQuery().params.length).toBeLessThan(10);

		await appendMessages(temp.db, taskId, messages);
		const stored = await listMessages(temp.db, taskId);
		expect(stored.map((message) => message.position)).toEqual(messages.map((_, index) => index));
		expect(stored.map(textOf)).toEqual(messages.map((message) => message.parts[0].text));
		expect(stored[1]).toMatchObject({ role: 'assistant', kind: 'agent', status: 'complete' });
		expect(stored[0]).toMatchObject({ role: 'user', kind: 'user' });
	});

	it('continues after the messages a task already holds', async () => {
		await appendMessage(temp.db, { taskId, role: 'user', parts: [{ type: 'text', text: 'message 0' }] });
		await appendMessage(temp.db, { taskId, role: 'assistant', parts: [{ type: 'text', text: 'message 1' }] });
		await appendMessages(temp.db, taskId, history(201, 2));
		await appendMessages(temp.db, taskId, history(3, 203));
		const stored = await listMessages(temp.db, taskId);
		expect(stored.map((message) => message.position)).toEqual(Array.from({ length: 206 }, (_, index) => index));
		expect(stored.map(textOf)).toEqual(Array.from({ length: 206 }, (_, index) => `message ${index}`));
	});

	it('keeps given ids, and runs what comes with it in the same transaction', async () => {
		await appendMessages(
			temp.db,
			taskId,
			[{ role: 'user', parts: [{ type: 'text', text: 'hi' }], id: 'client-id-1' }],
			[touchTaskQuery(temp.db, taskId, 'A title')]
		);
		expect((await listMessages(temp.db, taskId))[0].id).toBe('client-id-1');
		const [task] = await temp.db.select().from(tasks).where(eq(tasks.id, taskId));
		expect(task.title).toBe('A title');
	});

	it('stores all or nothing: a failing row undoes the others', async () => {
		await appendMessage(temp.db, { taskId, role: 'user', parts: [{ type: 'text', text: 'kept' }], id: 'taken' });
		const messages = [...history(300), { role: 'user' as const, parts: [{ type: 'text' as const, text: 'x' }], id: 'taken' }];
		await expect(appendMessages(temp.db, taskId, messages)).rejects.toThrow();
		expect((await listMessages(temp.db, taskId)).map(textOf)).toEqual(['kept']);
	});

	it('keeps what drizzle would store: JSON parts and metadata, model, status, kind, times', async () => {
		const parts = [
			{ type: 'text' as const, text: 'Ünïcödé “quotes” \\ back\nslash 😀 \u2028' },
			// eslint-disable-next-line no-loss-of-precision -- a number past 2^53, as a model may send one
			{ type: 'tool-lookup', toolCallId: 'c1', state: 'output-available', input: { n: 12345678901234567890, f: 0.1 }, output: [null, true] }
		] as unknown as StoredParts;
		const before = Date.now();
		await appendMessages(temp.db, taskId, [
			{ role: 'assistant', parts, model: 'mock:offline', status: 'interrupted', metadata: { a: [1, 'b'] } },
			{ role: 'system', parts: [{ type: 'text', text: 'Be brief.' }], kind: 'widget' }
		]);
		const [first, second] = await listMessages(temp.db, taskId);
		expect(first).toMatchObject({
			role: 'assistant',
			kind: 'agent',
			model: 'mock:offline',
			status: 'interrupted',
			metadata: { a: [1, 'b'] }
		});
		expect(first.parts).toEqual(JSON.parse(JSON.stringify(parts)));
		expect(first.createdAt.getTime()).toBeGreaterThanOrEqual(before);
		expect(first.updatedAt.getTime()).toBe(first.createdAt.getTime());
		expect(second).toMatchObject({ role: 'system', kind: 'widget', model: null, status: 'complete', metadata: null, error: null });
		const [raw] = (await temp.db.$client.execute({ sql: 'SELECT parts FROM messages WHERE id = ?', args: [first.id] })).rows;
		expect(raw.parts).toBe(JSON.stringify(parts));
	});

	it('does nothing for no messages', async () => {
		expect(insertMessagesQuery(temp.db, taskId, [])).toBeNull();
		await appendMessages(temp.db, taskId, []);
		expect(await listMessages(temp.db, taskId)).toEqual([]);
	});
});

describe('existingMessageIds', () => {
	it('finds the used ids among many', async () => {
		await appendMessages(temp.db, taskId, [
			{ role: 'user', parts: [{ type: 'text', text: 'a' }], id: 'used-1' },
			{ role: 'user', parts: [{ type: 'text', text: 'b' }], id: 'used-399' }
		]);
		const ids = Array.from({ length: 450 }, (_, index) => `used-${index}`);
		expect(await existingMessageIds(temp.db, ids)).toEqual(new Set(['used-1', 'used-399']));
		expect(await existingMessageIds(temp.db, [])).toEqual(new Set());
	});
});

describe('leafUnder', () => {
	const nodes = [
		{ id: 'q1', parentId: null, position: 0 },
		{ id: 'a1', parentId: 'q1', position: 1 },
		{ id: 'q1b', parentId: null, position: 2 },
		{ id: 'a1b', parentId: 'q1b', position: 3 },
		{ id: 'a1c', parentId: 'q1b', position: 4 }
	];

	it('goes down from a version along the newest children', () => {
		expect(leafUnder(nodes, 'q1b')).toBe('a1c');
		expect(leafUnder(nodes, 'q1')).toBe('a1');
		expect(leafUnder(nodes, 'a1b')).toBe('a1b');
		expect(leafUnder(nodes, 'nope')).toBeNull();
	});
});

describe('partsForViewers', () => {
	it('leaves out what providers attached for themselves, and nothing else', () => {
		const parts = [
			{ type: 'reasoning', text: 'Thinking.', state: 'done', providerMetadata: { anthropic: { signature: 'sig' } } },
			{ type: 'text', text: 'Hi', state: 'done' },
			{
				type: 'tool-calculator',
				toolCallId: 'call_1',
				state: 'output-available',
				input: { expression: '1+1' },
				output: 2,
				callProviderMetadata: { google: { thoughtSignature: 'sig' } }
			}
		] as StoredParts;
		expect(partsForViewers(parts)).toStrictEqual([
			{ type: 'reasoning', text: 'Thinking.', state: 'done' },
			{ type: 'text', text: 'Hi', state: 'done' },
			{ type: 'tool-calculator', toolCallId: 'call_1', state: 'output-available', input: { expression: '1+1' }, output: 2 }
		]);
		// Parley's own metadata (a file part's file id) is kept; a provider's beside it is not.
		const file = [
			{ type: 'file', mediaType: 'image/png', url: '/api/files/f1', providerMetadata: { parley: { fileId: 'f1' } } },
			{
				type: 'file',
				mediaType: 'image/png',
				url: '/api/files/f2',
				providerMetadata: { parley: { fileId: 'f2' }, openai: { itemId: 'x' } }
			}
		] as StoredParts;
		expect(partsForViewers(file)).toStrictEqual([
			{ type: 'file', mediaType: 'image/png', url: '/api/files/f1', providerMetadata: { parley: { fileId: 'f1' } } },
			{ type: 'file', mediaType: 'image/png', url: '/api/files/f2', providerMetadata: { parley: { fileId: 'f2' } } }
		]);
		expect(partsForViewers([file[0]])).toStrictEqual([file[0]]);
		// The stored parts are untouched; parts without metadata are passed as they are.
		expect(parts[0]).toHaveProperty('providerMetadata');
		const plain = [{ type: 'text', text: 'Hi' }] as StoredParts;
		expect(partsForViewers(plain)).toBe(plain);
	});
});

describe('prepared writes of a turn', () => {
	/** What the database holds in a message's or task's JSON columns, as SQL sees it. */
	const stored = async (query: ReturnType<typeof sql>) => (await temp.db.all<Record<string, string | null>>(query))[0];

	it('store a missing JSON value as NULL, and a given one as its JSON text', async () => {
		const [{ id: agentId }] = await temp.db.select({ id: agents.id }).from(agents).where(eq(agents.slug, 'assistant'));
		const { task, insert } = await prepareNewTask(temp.db, { viewer: anon, agentId, context: { tier: 'gold' } });
		const plain = await prepareNewTask(temp.db, { viewer: anon, agentId });
		const [, [noted], [bare]] = await temp.db.batch([
			insert,
			insertMessage(temp.db, { taskId: task.id, role: 'user', parts: [{ type: 'text', text: 'hi' }], metadata: { source: 'test' } }),
			insertMessage(temp.db, { taskId: task.id, role: 'user', parts: [{ type: 'text', text: 'again' }] }),
			plain.insert
		]);
		expect(noted).toMatchObject({ metadata: { source: 'test' }, parentId: null, position: 0 });
		expect(bare).toMatchObject({ metadata: null, parentId: noted.id, position: 1 });
		expect(await stored(sql`SELECT metadata FROM messages WHERE id = ${bare.id}`)).toEqual({ metadata: null });
		expect(await stored(sql`SELECT metadata FROM messages WHERE id = ${noted.id}`)).toEqual({ metadata: '{"source":"test"}' });
		expect(await stored(sql`SELECT context, run_options FROM tasks WHERE id = ${task.id}`)).toEqual({
			context: '{"tier":"gold"}',
			run_options: null
		});
		expect(await stored(sql`SELECT context FROM tasks WHERE id = ${plain.task.id}`)).toEqual({ context: null });
	});
});
