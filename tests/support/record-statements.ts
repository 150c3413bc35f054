import { vi } from 'vitest';
import type { Db } from '../../src/lib/server/db';

/** The SQL a database ran, statement by statement and batch by batch. */
export interface RecordedStatements {
	single: string[];
	batches: string[][];
}

/** Records the statements run on a database from now on (restored by `vi.restoreAllMocks()`). */
export function recordStatements(db: Db): RecordedStatements {
	const client = db.$client;
	const recorded: RecordedStatements = { single: [], batches: [] };
	const sqlOf = (statement: unknown) => (typeof statement === 'string' ? statement : (statement as { sql: string }).sql);
	const execute = client.execute.bind(client) as (...args: unknown[]) => unknown;
	const batch = client.batch.bind(client) as (...args: unknown[]) => unknown;
	vi.spyOn(client, 'execute').mockImplementation(((statement: unknown, ...rest: unknown[]) => {
		recorded.single.push(sqlOf(statement));
		return execute(statement, ...rest);
	}) as typeof client.execute);
	vi.spyOn(client, 'batch').mockImplementation(((statements: unknown[], ...rest: unknown[]) => {
		recorded.batches.push(statements.map(sqlOf));
		return batch(statements, ...rest);
	}) as typeof client.batch);
	return recorded;
}

/** Whether a statement inserts into the messages table. */
export const insertsMessages = (sql: string): boolean => /^insert into "messages"/i.test(sql);
