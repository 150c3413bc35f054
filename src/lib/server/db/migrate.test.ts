import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import journal from '../../../../drizzle/meta/_journal.json';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { createClient, type Client } from '@libsql/client';
import { drizzle } from 'drizzle-orm/libsql';
import { openDatabase, type Db } from '.';
import { diskMigrations } from './disk-migrations';
import { migrate } from './migrate';
import { indexPendingSearch } from '../services/search-index';
import * as schema from './schema';
import { agents, messages, tasks, users } from './schema';

const EXPECTED_TABLES = [
	'users',
	'sessions',
	'api_keys',
	'teams',
	'agents',
	'tools',
	'agent_tools',
	'prompt_templates',
	'tasks',
	'messages',
	'files',
	'app_meta'
];

let temp: TempDb;
/** Extra connections opened by a test, closed after it. */
let extra: Db[] = [];

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
	extra = [];
});

afterEach(() => {
	for (const db of extra) db.$client.close();
	temp.cleanup();
});

async function tableNames(db: Db): Promise<string[]> {
	const result = await db.$client.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
	return result.rows.map((row) => String(row.name));
}

async function migrationRows(db: Db) {
	const result = await db.$client.execute('SELECT hash, created_at FROM __drizzle_migrations ORDER BY created_at');
	return result.rows.map((row) => ({ hash: String(row.hash), createdAt: Number(row.created_at) }));
}

describe('migrations on a fresh database', () => {
	it('creates every table of the schema', async () => {
		const names = await tableNames(temp.db);
		for (const table of EXPECTED_TABLES) expect(names).toContain(table);
		expect(names).toContain('__drizzle_migrations');
	});

	it('records each journal entry once in __drizzle_migrations', async () => {
		const rows = await migrationRows(temp.db);
		expect(rows).toHaveLength(journal.entries.length);
		expect(rows.map((row) => row.createdAt)).toEqual(journal.entries.map((entry) => entry.when));
		for (const row of rows) expect(row.hash).toMatch(/^[0-9a-f]{64}$/);
	});

	it('creates the unique indexes the schema declares', async () => {
		const result = await temp.db.$client.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'");
		const names = result.rows.map((row) => String(row.name));
		expect(names).toEqual(
			expect.arrayContaining(['users_email_unique', 'agents_slug_unique', 'tools_name_unique', 'messages_task_position_idx'])
		);
	});
});

describe('re-opening the same database', () => {
	it('applies nothing again and keeps the data', async () => {
		await temp.db.insert(users).values({ id: 'u1', email: 'keep@example.com', passwordHash: 'x' });
		const before = await migrationRows(temp.db);

		const again = await openDatabase({ url: temp.url });
		extra.push(again);

		expect(await migrationRows(again)).toEqual(before);
		const kept = await again.select().from(users).where(eq(users.id, 'u1'));
		expect(kept).toHaveLength(1);
		expect(kept[0].email).toBe('keep@example.com');
		expect(await tableNames(again)).toEqual(await tableNames(temp.db));
	});

	it('reports what it applied: everything on a fresh database, nothing on a re-open', async () => {
		const folder = mkdtempSync(join(tmpdir(), 'parley-migrate-report-'));
		try {
			const url = `file:${join(folder, 'report.db')}`;
			const reports: { applied: number; total: number }[] = [];
			extra.push(await openDatabase({ url, onMigrated: (report) => reports.push(report) }));
			extra.push(await openDatabase({ url, onMigrated: (report) => reports.push(report) }));
			const total = journal.entries.length;
			expect(reports).toEqual([
				{ applied: total, total },
				{ applied: 0, total }
			]);
		} finally {
			for (const db of extra.splice(0)) db.$client.close();
			rmSync(folder, { recursive: true, force: true });
		}
	});

	it('can be re-opened several times without failing', async () => {
		for (let i = 0; i < 3; i++) extra.push(await openDatabase({ url: temp.url }));
		expect(await migrationRows(extra[2])).toHaveLength(journal.entries.length);
	});
});

describe('connection settings', () => {
	it('puts a file database in WAL mode', async () => {
		const result = await temp.db.$client.execute('PRAGMA journal_mode');
		expect(String(Object.values(result.rows[0])[0]).toLowerCase()).toBe('wal');
	});

	it('enforces foreign keys: deleting a task deletes its messages', async () => {
		const [agent] = await temp.db.select().from(agents).where(eq(agents.slug, 'assistant'));
		await temp.db.insert(tasks).values({ id: 'task-cascade', agentId: agent.id, anonymousId: 'anon' });
		await temp.db.insert(messages).values([
			{ id: 'm0', taskId: 'task-cascade', position: 0, role: 'user', kind: 'user', parts: [] },
			{ id: 'm1', taskId: 'task-cascade', position: 1, role: 'assistant', kind: 'agent', parts: [] }
		]);
		expect(await temp.db.select().from(messages).where(eq(messages.taskId, 'task-cascade'))).toHaveLength(2);

		await temp.db.delete(tasks).where(eq(tasks.id, 'task-cascade'));

		expect(await temp.db.select().from(messages).where(eq(messages.taskId, 'task-cascade'))).toHaveLength(0);
	});

	it('enforces foreign keys: a message for a missing task is rejected', async () => {
		const error = await temp.db
			.insert(messages)
			.values({ id: 'orphan', taskId: 'no-such-task', position: 0, role: 'user', kind: 'user', parts: [] })
			.then(
				() => null,
				(thrown: unknown) => thrown
			);
		expect(error).toBeInstanceOf(Error);
		// Drizzle wraps the driver's error; the constraint is named in the cause.
		expect(String((error as Error).cause)).toMatch(/FOREIGN KEY/i);
		expect(await temp.db.select().from(messages).where(eq(messages.id, 'orphan'))).toHaveLength(0);
	});
});

describe('openDatabase with a file: URL', () => {
	let folder: string;
	let opened: Db | undefined;

	beforeEach(() => {
		folder = mkdtempSync(join(tmpdir(), 'parley-migrate-test-'));
		opened = undefined;
	});

	afterEach(() => {
		opened?.$client.close();
		rmSync(folder, { recursive: true, force: true });
	});

	it('creates the missing parent folders', async () => {
		const nested = join(folder, 'a', 'b', 'c');
		expect(existsSync(nested)).toBe(false);

		opened = await openDatabase({ url: `file:${join(nested, 'parley.db')}` });

		expect(existsSync(join(nested, 'parley.db'))).toBe(true);
		expect(await tableNames(opened)).toEqual(expect.arrayContaining(EXPECTED_TABLES));
	});
});

/**
 * A database migrated up to just before the migration `tag`, holding a user `u` and an agent 1:
 * what a server that ran an older Parley left. `migrateAll` brings it up to date.
 */
async function olderDatabase(tag: string) {
	const folder = mkdtempSync(join(tmpdir(), 'parley-older-'));
	const client = createClient({ url: `file:${join(folder, 'old.db')}` });
	const all = diskMigrations(join(import.meta.dirname, '../../../../drizzle'));
	await migrate(
		client,
		all.slice(
			0,
			journal.entries.findIndex((entry) => entry.tag === tag)
		)
	);
	await client.batch([
		"INSERT INTO users (id, email, password_hash, role, disabled, created_at, updated_at) VALUES ('u', 'old@example.com', 'x', 'user', 0, 0, 0)",
		"INSERT INTO agents (slug, name, model, created_at, updated_at) VALUES ('old', 'Old', 'mock:offline', 0, 0)"
	]);
	return {
		client,
		migrateAll: () => migrate(client, all),
		/** Applies the migrations up to and including `last`. */
		migrateThrough: (last: string) => migrate(client, all.slice(0, journal.entries.findIndex((entry) => entry.tag === last) + 1)),
		cleanup: () => {
			client.close();
			rmSync(folder, { recursive: true, force: true });
		}
	};
}

/** The search table's documents: task, message ('' for the title) and content, in that order. */
async function searchDocuments(client: Client) {
	const { rows } = await client.execute('SELECT task_id, message_id, content FROM task_search ORDER BY task_id, message_id');
	return rows.map((row) => [row.task_id, row.message_id, row.content]);
}

describe('message branches (migration 0007)', () => {
	it('chains the messages stored before it in their order, and ends each task at its last', async () => {
		const { client, migrateAll, cleanup } = await olderDatabase('0007_message_branches');
		try {
			await client.batch([
				"INSERT INTO tasks (id, agent_id, user_id, created_at, updated_at) VALUES ('t1', 1, 'u', 0, 0), ('t2', 1, 'u', 0, 0), ('t3', 1, 'u', 0, 0)",
				...[
					['m1', 't1', 0],
					['m3', 't1', 2],
					['m2', 't1', 1],
					['n1', 't2', 0]
				].map(
					([id, task, position]) =>
						`INSERT INTO messages (id, task_id, position, role, kind, parts, created_at, updated_at) VALUES ('${id}', '${task}', ${position}, 'user', 'user', '[]', 0, 0)`
				)
			]);
			await migrateAll();
			const parents = await client.execute('SELECT id, parent_id FROM messages ORDER BY id');
			expect(parents.rows.map((row) => [row.id, row.parent_id])).toEqual([
				['m1', null],
				['m2', 'm1'],
				['m3', 'm2'],
				['n1', null]
			]);
			const leaves = await client.execute('SELECT id, active_leaf_id FROM tasks ORDER BY id');
			expect(leaves.rows.map((row) => [row.id, row.active_leaf_id])).toEqual([
				['t1', 'm3'],
				['t2', 'n1'],
				['t3', null]
			]);
		} finally {
			cleanup();
		}
	});
});

describe('search rows (migration 0012)', () => {
	it('finds the search documents stored before it, and keeps each document found by row id from then on', async () => {
		const { client, migrateThrough, cleanup } = await olderDatabase('0012_task_search_rows');
		const documents = () => searchDocuments(client);
		const mapped = async () =>
			(
				await client.execute(
					'SELECT r.task_id, r.message_id FROM task_search_rows r JOIN task_search s ON s.rowid = r.search_rowid AND s.task_id = r.task_id AND s.message_id = r.message_id ORDER BY 1, 2'
				)
			).rows.map((row) => [row.task_id, row.message_id]);
		try {
			await client.batch([
				"INSERT INTO tasks (id, agent_id, user_id, title, created_at, updated_at) VALUES ('t1', 1, 'u', 'Harbour', 0, 0), ('t2', 1, 'u', 'Lighthouse', 0, 0)",
				`INSERT INTO messages (id, task_id, position, role, kind, parts, created_at, updated_at) VALUES ('m1', 't1', 0, 'user', 'user', '[{"type":"text","text":"gulls"}]', 0, 0)`
			]);
			await migrateThrough('0012_task_search_rows');
			expect(await mapped()).toEqual([
				['t1', ''],
				['t1', 'm1'],
				['t2', '']
			]);

			await client.batch([
				"UPDATE tasks SET title = 'Port' WHERE id = 't1'",
				`UPDATE messages SET parts = '[{"type":"text","text":"terns"}]', status = 'complete' WHERE id = 'm1'`,
				`INSERT INTO messages (id, task_id, position, role, kind, parts, created_at, updated_at) VALUES ('m2', 't2', 0, 'user', 'user', '[{"type":"text","text":"beacon"}]', 0, 0)`
			]);
			expect(await documents()).toEqual([
				['t1', '', 'Port'],
				['t1', 'm1', 'terns'],
				['t2', '', 'Lighthouse'],
				['t2', 'm2', 'beacon']
			]);
			expect(await mapped()).toEqual([
				['t1', ''],
				['t1', 'm1'],
				['t2', ''],
				['t2', 'm2']
			]);

			// A draft answer is indexed once it stops streaming.
			await client.execute(
				`INSERT INTO messages (id, task_id, position, role, kind, parts, status, created_at, updated_at) VALUES ('a2', 't2', 1, 'assistant', 'agent', '[]', 'streaming', 0, 0)`
			);
			expect(await documents()).not.toContainEqual(['t2', 'a2', '']);
			await client.execute(`UPDATE messages SET parts = '[{"type":"text","text":"shines"}]', status = 'complete' WHERE id = 'a2'`);
			expect(await documents()).toContainEqual(['t2', 'a2', 'shines']);
			await client.execute("DELETE FROM messages WHERE id = 'a2'");

			await client.batch(["DELETE FROM messages WHERE id = 'm2'", "DELETE FROM tasks WHERE id = 't1'"]);
			expect(await documents()).toEqual([['t2', '', 'Lighthouse']]);
			expect(await mapped()).toEqual([['t2', '']]);
			expect((await client.execute('SELECT count(*) AS n FROM task_search_rows')).rows[0].n).toBe(1);
		} finally {
			cleanup();
		}
	});
});

describe('search in batches (migration 0013)', () => {
	it('keeps what was indexed, lists each change for the next batch, and removes at once', async () => {
		const { client, migrateAll, cleanup } = await olderDatabase('0013_task_search_batches');
		const db = drizzle(client, { schema });
		const documents = () => searchDocuments(client);
		const pending = async () =>
			(await client.execute('SELECT task_id, message_id FROM task_search_pending ORDER BY 1, 2')).rows.map((row) => [
				row.task_id,
				row.message_id
			]);
		const message = (id: string, task: string, position: number, text: string, status = 'complete') =>
			`INSERT INTO messages (id, task_id, position, role, kind, parts, status, created_at, updated_at) VALUES ('${id}', '${task}', ${position}, 'user', 'user', '[{"type":"text","text":"${text}"}]', '${status}', 0, 0)`;
		try {
			await client.batch([
				"INSERT INTO tasks (id, agent_id, user_id, title, created_at, updated_at) VALUES ('t1', 1, 'u', 'Harbour', 0, 0)",
				message('m1', 't1', 0, 'gulls')
			]);
			await migrateAll();
			expect(await documents()).toEqual([
				['t1', '', 'Harbour'],
				['t1', 'm1', 'gulls']
			]);
			expect(await pending()).toEqual([]);

			await client.batch([
				"UPDATE tasks SET title = 'Port' WHERE id = 't1'",
				`UPDATE messages SET parts = '[{"type":"text","text":"terns"}]' WHERE id = 'm1'`,
				"INSERT INTO tasks (id, agent_id, user_id, title, created_at, updated_at) VALUES ('t2', 1, 'u', 'Lighthouse', 0, 0)",
				message('m2', 't2', 0, 'beacon'),
				message('a2', 't2', 1, 'draft', 'streaming'),
				message('m3', 't2', 2, 'fog')
			]);
			// Written, listed, not yet indexed: a draft answer is not listed until it stops streaming.
			expect(await documents()).toEqual([
				['t1', '', 'Harbour'],
				['t1', 'm1', 'gulls']
			]);
			expect(await pending()).toEqual([
				['t1', ''],
				['t1', 'm1'],
				['t2', ''],
				['t2', 'm2'],
				['t2', 'm3']
			]);
			// A removal is immediate, listed or not.
			await client.execute("DELETE FROM messages WHERE id = 'm3'");

			await indexPendingSearch(db);
			expect(await documents()).toEqual([
				['t1', '', 'Port'],
				['t1', 'm1', 'terns'],
				['t2', '', 'Lighthouse'],
				['t2', 'm2', 'beacon']
			]);
			expect(await pending()).toEqual([]);

			await client.execute(`UPDATE messages SET parts = '[{"type":"text","text":"shines"}]', status = 'complete' WHERE id = 'a2'`);
			await indexPendingSearch(db);
			expect(await documents()).toContainEqual(['t2', 'a2', 'shines']);

			await client.execute("DELETE FROM tasks WHERE id = 't1'");
			expect(await documents()).toEqual([
				['t2', '', 'Lighthouse'],
				['t2', 'a2', 'shines'],
				['t2', 'm2', 'beacon']
			]);
			expect((await client.execute('SELECT count(*) AS n FROM task_search_rows')).rows[0].n).toBe(3);
		} finally {
			cleanup();
		}
	});
});
