import { ConnectionPool, createClient, Sqlite3Client, type Client, type Config } from '@libsql/client/sqlite3';
// What libSQL's own client reads a URL with (a dependency of @libsql/client, at its version).
import { expandConfig, isInMemoryConfig } from '@libsql/core/config';

/** Prepared statements kept per connection; the least recently used goes first. */
export const STATEMENTS_KEPT = 256;

/** The part of a libSQL connection that prepares statements. */
interface Preparing {
	prepare(sql: string): unknown;
}

/** What libSQL's client asks of a statement before each run of it. */
interface Described {
	raw(toggle?: boolean): unknown;
	safeIntegers(toggle?: boolean): unknown;
	columns(): unknown;
}

/** Whether SQL changes the schema: a statement kept from before may then give other columns. */
const SCHEMA_CHANGE = /^\s*(create|alter|drop)\b/i;

/** Bumped by every schema change through a kept connection: kept statements made before are let go. */
let schemaEpoch = 0;

/**
 * Makes a kept statement answer what libSQL's client asks before every run without asking SQLite
 * again: its columns (read twice a run, about 13 µs each), and whether it returns rows (asked by
 * turning raw mode on, which throws for a statement that returns none: a new error, with its
 * stack, at every write). The answers hold as long as the schema does; a schema change lets the
 * statement go (see {@link keepPreparedStatements}).
 */
export function rememberDescription<T>(statement: T): T {
	if (typeof statement !== 'object' || statement === null || !('columns' in statement)) return statement;
	const described = statement as T & Described;
	const { raw, safeIntegers, columns } = described;
	let rawMode: boolean | undefined;
	let notRows: unknown;
	let integers: boolean | undefined;
	let columnList: unknown;
	described.raw = (toggle = true) => {
		if (notRows !== undefined) throw notRows;
		if (toggle !== rawMode) {
			try {
				raw.call(described, toggle);
			} catch (error) {
				// Only a statement without result columns is refused for good; any other failure is asked again.
				const list = (columnList ??= columns.call(described));
				if (Array.isArray(list) && list.length === 0) notRows = error;
				throw error;
			}
			rawMode = toggle;
		}
		return described;
	};
	described.safeIntegers = (toggle = true) => {
		if (toggle !== integers) {
			safeIntegers.call(described, toggle);
			integers = toggle;
		}
		return described;
	};
	described.columns = () => (columnList ??= columns.call(described));
	return described;
}

/**
 * Makes `connection.prepare` hand back the statement it prepared before for the same SQL, keeping
 * at most `limit` (see {@link rememberDescription}). A libSQL statement can be run again and again
 * (it is reset at each run, also after a failed one), and SQLite prepares it anew by itself when
 * the schema changes; what the statements remember of themselves is let go then, on every
 * connection, as a statement that changes the schema is prepared.
 */
export function keepPreparedStatements(connection: Preparing, limit = STATEMENTS_KEPT): void {
	const prepare = connection.prepare.bind(connection);
	const kept = new Map<string, unknown>();
	let epoch = schemaEpoch;
	connection.prepare = (sql: string) => {
		if (SCHEMA_CHANGE.test(sql)) schemaEpoch++;
		if (epoch !== schemaEpoch) {
			kept.clear();
			epoch = schemaEpoch;
		}
		let statement = kept.get(sql);
		if (statement !== undefined) {
			// Map order is use order: the most recently used goes to the end.
			kept.delete(sql);
		} else {
			statement = rememberDescription(prepare(sql));
			if (kept.size >= limit) kept.delete(kept.keys().next().value as string);
		}
		kept.set(sql, statement);
		return statement;
	};
}

/** libSQL's connection pool, with each connection keeping its prepared statements. */
class StatementKeepingPool extends ConnectionPool {
	private readonly keeping = new WeakSet<object>();

	override acquireSync(forTransaction?: boolean) {
		const connection = super.acquireSync(forTransaction);
		if (!this.keeping.has(connection)) {
			keepPreparedStatements(connection);
			this.keeping.add(connection);
		}
		return connection;
	}
}

/**
 * A libSQL client for a local database file that keeps its prepared statements. libSQL's own
 * SQLite client prepares every statement again at each call — SQLite parses and plans it anew, about
 * 40 µs for each of Parley's queries, a millisecond of every chat request. This is that same
 * client over the same pool of connections, whose connections reuse what they prepared. Anything
 * else (`:memory:`, an embedded replica, an encrypted file) gets libSQL's client as it is.
 */
export function createFileClient(config: Config): Client {
	const expanded = expandConfig(config, true);
	// libSQL's client checks the URL and that the file opens; its connection is let go at once.
	const checked = createClient(config);
	if (expanded.scheme !== 'file' || isInMemoryConfig(expanded) || expanded.syncUrl || expanded.encryptionKey) return checked;
	checked.close();
	const pool = new StatementKeepingPool(expanded.path, { timeout: expanded.timeout }, Math.max(1, expanded.concurrency));
	return new Sqlite3Client(pool, expanded.intMode);
}
