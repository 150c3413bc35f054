import type { Db } from './index';

/** The queries prepared for each database, by the function that builds them. */
const preparedByDb = new WeakMap<Db, Map<(db: Db) => unknown, unknown>>();

/**
 * The query `build` makes for `db`, built once per database and kept: Drizzle then writes its SQL
 * once instead of at every call (about 50 µs for a select of a wide table). `build` makes the
 * query with `sql.placeholder(…)` for what changes between calls and ends with `.prepare()`; it
 * must be a function defined once (its identity is the key), not one made at each call.
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
