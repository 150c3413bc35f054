import { fillPlaceholders, sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from './index';

/** The queries prepared for each database, by the function that builds them. */
const preparedByDb = new WeakMap<Db, Map<(db: Db) => unknown, unknown>>();

/**
 * The query `build` makes for `db`, built once per database and kept: Drizzle then writes its SQL
 * once instead of at every call (about 50 µs for a select of a wide table, or an insert). `build`
 * makes the query with `sql.placeholder(…)` for what changes between calls and ends with
 * `.prepare()`; it must be a function defined once (its identity is the key), not one made at each
 * call. A write must give every column it sets, stamps included: a default Drizzle fills in
 * (`$defaultFn`, `$onUpdateFn`) would be filled once, when the query is built.
 */
export function prepared<T>(db: Db, build: (db: Db) => T): T {
	let queries = preparedByDb.get(db);
	if (!queries) {
		queries = new Map();
		preparedByDb.set(db, queries);
	}
	let query = queries.get(build) as T | undefined;
	if (query === undefined) {
		query = build(db);
		queries.set(build, query);
	}
	return query;
}

/** What `db.batch` uses of a prepared query: its SQL and parameters, and the reading of its result. */
interface PreparedQuery {
	getQuery(): { sql: string; params: unknown[] };
	mapResult(response: unknown, isFromBatch?: boolean): unknown;
}

/**
 * A prepared query (see {@link prepared}) with its placeholders' values, as an item of `db.batch`,
 * which runs it in one transaction with the others and reads its result as the query would. Each
 * value goes through its column's encoding (JSON, timestamps) as in a call of the query.
 */
export function boundQuery(query: PreparedQuery, values: Record<string, unknown>): BatchItem<'sqlite'> {
	const item = {
		_prepare: () => ({
			getQuery: () => {
				const built = query.getQuery();
				return { sql: built.sql, params: fillPlaceholders(built.params, values) };
			},
			mapResult: (response: unknown, isFromBatch?: boolean) => query.mapResult(response, isFromBatch)
		})
	};
	return item as unknown as BatchItem<'sqlite'>;
}

/**
 * A placeholder for a column's value in an update's `set` (typed as the value): the update then
 * encodes what is given for it as the column does (Drizzle's types only allow it in inserts).
 */
export function valuePlaceholder<T>(name: string): T {
	return sql.placeholder(name) satisfies Placeholder as unknown as T;
}

/**
 * A placeholder for a nullable JSON column of a prepared write, its value given through
 * {@link jsonOrNull}. A plain placeholder would not do: Drizzle encodes what is given for it
 * as its column does, and a JSON column encodes null as the text `null`, not as NULL.
 */
export function nullableJsonPlaceholder(name: string): SQL {
	return sql`${sql.placeholder(name)}`;
}

/** The value of a {@link nullableJsonPlaceholder}: the JSON text, or NULL for null and undefined. */
export function jsonOrNull(value: unknown): string | null {
	return value === null || value === undefined ? null : JSON.stringify(value);
}
