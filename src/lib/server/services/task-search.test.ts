import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { createAccount } from '../auth/accounts';
import { findAgent } from './agents';
import { appendMessage, updateMessage } from './messages';
import { indexPendingSearch, SEARCH_BATCH_SIZE, startSearchIndexing, stopSearchIndexing } from './search-index';
import { createTask, deleteTask, listTasks, renameTask, setTaskStatus, toSearchQuery } from './tasks';
import type { Viewer } from './viewer';

let temp: TempDb;
let alice: Viewer;
let bob: Viewer;
let agentId: number;

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
	const a = await createAccount(temp.db, { email: 'alice@example.com', password: 'correct horse battery' });
	const b = await createAccount(temp.db, { email: 'bob@example.com', password: 'correct horse battery' });
	alice = { kind: 'user', id: a.id, role: a.role };
	bob = { kind: 'user', id: b.id, role: b.role };
	agentId = (await findAgent(temp.db, 'assistant'))!.id;
});

afterEach(() => {
	stopSearchIndexing();
	temp.cleanup();
});

async function taskWith(viewer: Viewer, title: string, text: string) {
	const task = await createTask(temp.db, { viewer, agentId, title });
	await appendMessage(temp.db, { taskId: task.id, role: 'user', parts: [{ type: 'text', text }] });
	return task;
}

const ids = async (viewer: Viewer, query: string, extra = {}) =>
	(await listTasks(temp.db, viewer, { query, ...extra })).items.map((task) => task.id).sort();

describe('toSearchQuery', () => {
	it('quotes every word as a prefix and drops operators', () => {
		expect(toSearchQuery('Tides OR "moon*"')).toBe('"tides"* "or"* "moon"*');
		expect(toSearchQuery('NEAR( ) - ^')).toBe('"near"*');
		expect(toSearchQuery('  ')).toBeNull();
		expect(toSearchQuery('Größe café')).toBe('"größe"* "café"*');
	});
});

describe('task search', () => {
	it('finds tasks by title and by message text, as prefixes, only the viewer’s own', async () => {
		const tides = await taskWith(alice, 'Ocean questions', 'How do tides work?');
		const rivers = await taskWith(alice, 'Rivers', 'Which river is longest?');
		await taskWith(bob, 'Ocean too', 'tides again');
		expect(await ids(alice, 'ocean')).toEqual([tides.id]);
		expect(await ids(alice, 'tid')).toEqual([tides.id]);
		expect(await ids(alice, 'longest river')).toEqual([rivers.id]);
		expect(await ids(alice, 'tides rivers')).toEqual([]);
		expect(await ids(alice, '"unbalanced OR (')).toEqual([]);
	});

	it('indexes answers once they stop streaming, follows renames and deletes', async () => {
		const task = await taskWith(alice, 'Untitled', 'hello');
		const answer = await appendMessage(temp.db, { taskId: task.id, role: 'assistant', parts: [], status: 'streaming' });
		expect(await ids(alice, 'photosynthesis')).toEqual([]);
		// The saves of a streaming answer are not indexed one by one: its final form is.
		await updateMessage(temp.db, answer.id, { parts: [{ type: 'text', text: 'Photosynthesis turns light into sugar.' }] });
		expect(await ids(alice, 'photosynthesis')).toEqual([]);
		await updateMessage(temp.db, answer.id, { status: 'complete' });
		expect(await ids(alice, 'photosynthesis')).toEqual([task.id]);
		await updateMessage(temp.db, answer.id, { parts: [{ type: 'text', text: 'Chlorophyll absorbs light.' }] });
		expect(await ids(alice, 'photosynthesis')).toEqual([]);
		expect(await ids(alice, 'chlorophyll')).toEqual([task.id]);

		await renameTask(temp.db, alice, task.id, 'Plant biology');
		expect(await ids(alice, 'biology')).toEqual([task.id]);
		expect(await ids(alice, 'untitled')).toEqual([]);

		await deleteTask(temp.db, alice, task.id);
		expect(await ids(alice, 'photosynthesis')).toEqual([]);
	});

	it('filters by status, and only the owner may change a task', async () => {
		const task = await taskWith(alice, 'Old question', 'archived words');
		await setTaskStatus(temp.db, alice, task.id, 'archived');
		expect(await ids(alice, 'archived', { status: 'archived' })).toEqual([task.id]);
		expect(await ids(alice, 'archived', { status: 'active' })).toEqual([]);
		await expect(setTaskStatus(temp.db, bob, task.id, 'active')).rejects.toMatchObject({ code: 'not_found' });
		await expect(renameTask(temp.db, bob, task.id, 'Mine now')).rejects.toMatchObject({ code: 'not_found' });
		await expect(deleteTask(temp.db, bob, task.id)).rejects.toMatchObject({ code: 'not_found' });
	});
});

const pendingCount = async () => (await temp.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM task_search_pending`))[0].n;
const indexedCount = async () => (await temp.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM task_search_rows`))[0].n;

describe('search indexing in batches', () => {
	it('lists what a write changes and indexes it later, every batch until none is left', async () => {
		const before = await indexedCount();
		const count = Math.ceil((SEARCH_BATCH_SIZE * 1.5) / 2);
		for (let index = 0; index < count; index++) await taskWith(alice, `Voyage ${index}`, `cargo number${index}`);
		expect(await pendingCount()).toBe(count * 2);
		expect(await indexedCount()).toBe(before);

		await indexPendingSearch(temp.db);
		expect(await pendingCount()).toBe(0);
		expect(await indexedCount()).toBe(before + count * 2);
		const found = await listTasks(temp.db, alice, { query: `number${count - 1}` });
		expect(found.items.map((task) => task.title)).toEqual([`Voyage ${count - 1}`]);
	});

	it('indexes, when a call returns, what was written before it, even while another indexing runs', async () => {
		await taskWith(alice, 'First', 'anchor');
		const first = indexPendingSearch(temp.db);
		const late = await taskWith(alice, 'Second', 'mooring');
		await Promise.all([first, indexPendingSearch(temp.db)]);
		expect(await pendingCount()).toBe(0);
		expect((await listTasks(temp.db, alice, { query: 'mooring' })).items.map((task) => task.id)).toEqual([late.id]);
	});

	it('a search finds what was written just before it, without waiting for the timer', async () => {
		const task = await taskWith(alice, 'Charts', 'sextant');
		expect(await pendingCount()).toBe(2);
		expect((await listTasks(temp.db, alice, { query: 'sextant' })).items.map((item) => item.id)).toEqual([task.id]);
		expect(await pendingCount()).toBe(0);
	});

	it('indexes what a stop left pending when it starts, then on its timer', async () => {
		await taskWith(alice, 'Left over', 'buoy');
		startSearchIndexing(temp.db);
		await vi.waitFor(async () => expect(await pendingCount()).toBe(0));
		await taskWith(alice, 'Later', 'keel');
		await vi.waitFor(async () => expect(await pendingCount()).toBe(0), { timeout: 5000 });
		expect(await indexedCount()).toBeGreaterThanOrEqual(4);
	});
});
