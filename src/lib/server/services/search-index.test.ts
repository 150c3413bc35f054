import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { createAccount } from '../auth/accounts';
import { findAgent } from './agents';
import { appendMessage } from './messages';
import { indexPendingSearch, SEARCH_BATCH_SIZE, startSearchIndexing, stopSearchIndexing } from './search-index';
import { createTask, listTasks } from './tasks';
import type { Viewer } from './viewer';

let temp: TempDb;
let alice: Viewer;
let agentId: number;

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
	const account = await createAccount(temp.db, { email: 'alice@example.com', password: 'correct horse battery' });
	alice = { kind: 'user', id: account.id, role: account.role };
	agentId = (await findAgent(temp.db, 'assistant'))!.id;
});

afterEach(() => {
	stopSearchIndexing();
	temp.cleanup();
});

const pendingCount = async () => (await temp.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM task_search_pending`))[0].n;
const indexedCount = async () => (await temp.db.all<{ n: number }>(sql`SELECT count(*) AS n FROM task_search_rows`))[0].n;

async function taskWith(title: string, text: string) {
	const task = await createTask(temp.db, { viewer: alice, agentId, title });
	await appendMessage(temp.db, { taskId: task.id, role: 'user', parts: [{ type: 'text', text }] });
	return task;
}

describe('search indexing in batches', () => {
	it('lists what a write changes and indexes it later, every batch until none is left', async () => {
		const before = await indexedCount();
		const count = Math.ceil((SEARCH_BATCH_SIZE * 1.5) / 2);
		for (let index = 0; index < count; index++) await taskWith(`Voyage ${index}`, `cargo number${index}`);
		expect(await pendingCount()).toBe(count * 2);
		expect(await indexedCount()).toBe(before);

		await indexPendingSearch(temp.db);
		expect(await pendingCount()).toBe(0);
		expect(await indexedCount()).toBe(before + count * 2);
		const found = await listTasks(temp.db, alice, { query: `number${count - 1}` });
		expect(found.items.map((task) => task.title)).toEqual([`Voyage ${count - 1}`]);
	});

	it('indexes, when a call returns, what was written before it, even while another indexing runs', async () => {
		await taskWith('First', 'anchor');
		const first = indexPendingSearch(temp.db);
		const late = await taskWith('Second', 'mooring');
		await Promise.all([first, indexPendingSearch(temp.db)]);
		expect(await pendingCount()).toBe(0);
		expect((await listTasks(temp.db, alice, { query: 'mooring' })).items.map((task) => task.id)).toEqual([late.id]);
	});

	it('a search finds what was written just before it, without waiting for the timer', async () => {
		const task = await taskWith('Charts', 'sextant');
		expect(await pendingCount()).toBe(2);
		expect((await listTasks(temp.db, alice, { query: 'sextant' })).items.map((item) => item.id)).toEqual([task.id]);
		expect(await pendingCount()).toBe(0);
	});

	it('indexes what a stop left pending when it starts, then on its timer', async () => {
		await taskWith('Left over', 'buoy');
		startSearchIndexing(temp.db);
		await vi.waitFor(async () => expect(await pendingCount()).toBe(0));
		await taskWith('Later', 'keel');
		await vi.waitFor(async () => expect(await pendingCount()).toBe(0), { timeout: 5000 });
		expect(await indexedCount()).toBeGreaterThanOrEqual(4);
	});
});
