import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFileClient, keepPreparedStatements, rememberDescription } from './file-client';

let folder: string;

beforeEach(() => {
	folder = mkdtempSync(join(tmpdir(), 'parley-file-client-'));
});

afterEach(() => {
	rmSync(folder, { recursive: true, force: true });
});

describe('keepPreparedStatements', () => {
	it('prepares each SQL once, and again only once it has been let go as the least recently used', () => {
		const prepare = vi.fn((sql: string) => ({ sql }));
		const connection = { prepare };
		keepPreparedStatements(connection, 2);
		const first = connection.prepare('select 1');
		expect(connection.prepare('select 1')).toBe(first);
		connection.prepare('select 2');
		// "select 1" was used last before "select 2": "select 2" is the one let go for "select 3".
		connection.prepare('select 1');
		connection.prepare('select 3');
		expect(prepare).toHaveBeenCalledTimes(3);
		expect(connection.prepare('select 1')).toBe(first);
		connection.prepare('select 2');
		expect(prepare.mock.calls.map(([sql]) => sql)).toStrictEqual(['select 1', 'select 2', 'select 3', 'select 2']);
	});
});

describe('rememberDescription', () => {
	/** A statement as libSQL makes one, its answers counted; `rows` says whether it returns rows. */
	function statement(rows: boolean) {
		const notRows = new Error('The raw() method is only for statements that return data');
		return {
			raw: vi.fn((toggle?: boolean) => {
				if (!rows) throw notRows;
				return toggle;
			}),
			safeIntegers: vi.fn((toggle?: boolean) => toggle),
			columns: vi.fn(() => (rows ? [{ name: 'id', type: 'INTEGER' }] : [])),
			notRows
		};
	}

	it('asks a statement that returns rows for its columns and modes once', () => {
		const asked = statement(true);
		const kept = rememberDescription({ ...asked });
		for (let run = 0; run < 3; run++) {
			kept.safeIntegers(true);
			kept.raw(true);
			expect(kept.columns()).toStrictEqual([{ name: 'id', type: 'INTEGER' }]);
		}
		expect(asked.raw).toHaveBeenCalledTimes(1);
		expect(asked.safeIntegers).toHaveBeenCalledTimes(1);
		expect(asked.columns).toHaveBeenCalledTimes(1);
		kept.raw(false);
		expect(asked.raw).toHaveBeenLastCalledWith(false);
	});

	it('refuses raw mode to a statement that returns no rows every time, asking once', () => {
		const asked = statement(false);
		const kept = rememberDescription({ ...asked });
		for (let run = 0; run < 3; run++) expect(() => kept.raw(true)).toThrow(asked.notRows);
		expect(asked.raw).toHaveBeenCalledTimes(1);
	});

	it('asks again after raw mode failed for a statement that has columns', () => {
		const asked = statement(true);
		asked.raw.mockImplementationOnce(() => {
			throw new Error('busy');
		});
		const kept = rememberDescription({ ...asked });
		expect(() => kept.raw(true)).toThrow('busy');
		expect(kept.raw(true)).toBe(kept);
		expect(asked.raw).toHaveBeenCalledTimes(2);
	});
});

describe('createFileClient', () => {
	it('runs the same statements again and again, also after one failed, in and out of transactions', async () => {
		const client = createFileClient({ url: `file:${join(folder, 'kept.db')}` });
		try {
			await client.execute('create table items (id integer primary key, name text not null)');
			const insert = 'insert into items (id, name) values (?, ?)';
			await client.execute({ sql: insert, args: [1, 'one'] });
			await expect(client.execute({ sql: insert, args: [1, 'again'] })).rejects.toMatchObject({ code: 'SQLITE_CONSTRAINT' });
			await client.batch([
				{ sql: insert, args: [2, 'two'] },
				{ sql: insert, args: [3, 'three'] }
			]);
			// A failed batch leaves nothing behind.
			await expect(
				client.batch([
					{ sql: insert, args: [4, 'four'] },
					{ sql: insert, args: [1, 'clash'] }
				])
			).rejects.toThrow();
			const transaction = await client.transaction('write');
			await transaction.execute({ sql: insert, args: [5, 'five'] });
			await transaction.commit();
			const select = 'select id, name from items where id >= ? order by id';
			expect((await client.execute({ sql: select, args: [2] })).rows.map((row) => row.name)).toStrictEqual(['two', 'three', 'five']);
			expect((await client.execute({ sql: select, args: [1] })).rows.map((row) => [row.id, row.name])).toStrictEqual([
				[1, 'one'],
				[2, 'two'],
				[3, 'three'],
				[5, 'five']
			]);
			// A schema change is seen by a statement kept from before it.
			await client.execute('alter table items add column size integer not null default 7');
			expect((await client.execute('select * from items where id = 1')).rows[0]).toMatchObject({ id: 1, size: 7 });
			await client.execute({ sql: insert, args: [6, 'six'] });
			expect((await client.execute({ sql: select, args: [6] })).rows).toHaveLength(1);
		} finally {
			client.close();
		}
	});

	it('refuses what libSQL refuses, with its error', () => {
		expect(() => createFileClient({ url: 'file://example.com/data.db' })).toThrow(/Invalid host/);
	});

	it('gives an in-memory database libSQL’s client as it is', async () => {
		const client = createFileClient({ url: ':memory:' });
		try {
			expect((await client.execute('select 41 + 1 as answer')).rows[0].answer).toBe(42);
		} finally {
			client.close();
		}
	});
});

describe('createFileClient and schema changes', () => {
	it('gives the columns of the schema in force, also for a statement kept from before a change', async () => {
		const client = createFileClient({ url: `file:${join(folder, 'schema.db')}` });
		try {
			await client.execute('create table items (id integer primary key, name text not null)');
			await client.execute("insert into items (id, name) values (1, 'one')");
			expect((await client.execute('select * from items')).columns).toStrictEqual(['id', 'name']);
			await client.execute('alter table items add column note text');
			const after = await client.execute('select * from items');
			expect(after.columns).toStrictEqual(['id', 'name', 'note']);
			expect(after.rows.map((row) => [row.id, row.name, row.note])).toStrictEqual([[1, 'one', null]]);
		} finally {
			client.close();
		}
	});
});
