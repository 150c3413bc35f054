import { eq, sql } from 'drizzle-orm';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import type { Db } from './index';
import { prepared } from './prepared';
import { agents } from './schema';

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
