import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import type { Db } from './index';
import { boundQuery, prepared, valuePlaceholder } from './prepared';
import { agents, tools } from './schema';

const temps: TempDb[] = [];

afterEach(() => {
	for (const temp of temps.splice(0)) temp.cleanup();
});

async function seededDb(): Promise<Db> {
	const temp = await createTempDb({ seed: true });
	temps.push(temp);
	return temp.db;
}

const agentNameBySlug = (db: Db) =>
	db
		.select({ name: agents.name })
		.from(agents)
		.where(eq(agents.slug, sql.placeholder('slug')))
		.prepare();

describe('prepared', () => {
	it('builds a query once per database and runs it with each call’s values', async () => {
		const [first, second] = [await seededDb(), await seededDb()];
		await second.update(agents).set({ name: 'Renamed' }).where(eq(agents.slug, 'assistant'));
		const build = vi.fn(agentNameBySlug);

		expect(await prepared(first, build).get({ slug: 'assistant' })).toMatchObject({ name: expect.any(String) });
		expect(await prepared(first, build).get({ slug: 'no-such-agent' })).toBeUndefined();
		expect(await prepared(second, build).get({ slug: 'assistant' })).toStrictEqual({ name: 'Renamed' });
		expect(prepared(first, build)).toBe(prepared(first, build));
		expect(build).toHaveBeenCalledTimes(2);
	});
});

const renameAgent = (db: Db) =>
	db
		.update(agents)
		.set({ name: valuePlaceholder<string>('name'), updatedAt: valuePlaceholder<Date>('now') })
		.where(eq(agents.slug, sql.placeholder('slug')))
		.returning({ name: agents.name, updatedAt: agents.updatedAt })
		.prepare();

const insertTool = (db: Db) =>
	db
		.insert(tools)
		.values({
			name: sql.placeholder('name'),
			kind: 'builtin',
			inputSchema: sql.placeholder('schema'),
			createdAt: sql.placeholder('now'),
			updatedAt: sql.placeholder('now')
		})
		.returning({ id: tools.id, inputSchema: tools.inputSchema, createdAt: tools.createdAt })
		.prepare();

describe('boundQuery', () => {
	it('runs prepared writes in one batch with their own values, each encoded as its column is', async () => {
		const db = await seededDb();
		const now = new Date(Date.UTC(2026, 0, 2, 3, 4, 5, 6));
		const later = new Date(now.getTime() + 1000);
		const schema = { type: 'object', properties: { city: { type: 'string' } } };
		const [renamed, inserted] = await db.batch([
			boundQuery(prepared(db, renameAgent), { slug: 'assistant', name: 'Helper', now }),
			boundQuery(prepared(db, insertTool), { name: 'lookup_city', schema, now: later })
		]);

		expect(renamed).toStrictEqual([{ name: 'Helper', updatedAt: now }]);
		expect(inserted).toStrictEqual([{ id: expect.any(Number), inputSchema: schema, createdAt: later }]);
		const [row] = await db
			.select({ schema: sql<string>`${tools.inputSchema}` })
			.from(tools)
			.where(eq(tools.name, 'lookup_city'));
		expect(JSON.parse(row.schema)).toStrictEqual(schema);
	});

	it('stores nothing of a batch when one of its writes fails', async () => {
		const db = await seededDb();
		const now = new Date();
		const insert = (name: string) => boundQuery(prepared(db, insertTool), { name, schema: {}, now });
		await expect(db.batch([insert('once'), insert('once')])).rejects.toThrow(/UNIQUE/);
		expect(await db.select().from(tools).where(eq(tools.name, 'once'))).toHaveLength(0);
	});
});
