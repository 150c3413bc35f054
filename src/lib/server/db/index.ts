import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { Client, Config } from '@libsql/client';
import type { LibSQLDatabase } from 'drizzle-orm/libsql';
// The variant of Drizzle's libSQL driver that does not load libSQL's remote protocols; it takes
// any libSQL client, remote ones included.
import { drizzle } from 'drizzle-orm/libsql/sqlite3';
import { getConfig } from '../config';
import { migrate, type Migration, type MigrationReport } from './migrate';
import * as schema from './schema';

/** The Drizzle database Parley works with. */
export type Db = LibSQLDatabase<typeof schema> & { $client: Client };

/** Where a database lives. */
export interface DatabaseOptions {
	url: string;
	authToken?: string;
	/** The migrations to apply; by default those built into the app. */
	migrations?: Migration[];
	/** Told what the migration did, once it is done. */
	onMigrated?: (report: MigrationReport) => void;
}

/** Milliseconds a writer waits for a lock on a file database before failing. */
const BUSY_TIMEOUT_MS = 5000;

/**
 * Opens a database, creating the folder of a `file:` database when missing, switching it to WAL,
 * and applying every pending migration.
 */
export async function openDatabase({ url, authToken, migrations, onMigrated }: DatabaseOptions): Promise<Db> {
	const isFile = url.startsWith('file:');
	if (isFile) {
		const path = url.slice('file:'.length).split('?')[0];
		if (path && path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
	}
	// A local file is worked on synchronously on this thread, so one connection loses nothing, and
	// per-connection settings (synchronous) then hold for every statement.
	const client = await createClient({
		url,
		authToken,
		...(isFile ? { timeout: BUSY_TIMEOUT_MS, concurrency: 1 } : {})
	});
	if (isFile) {
		await client.execute('PRAGMA journal_mode = WAL');
		// In WAL mode NORMAL is safe from corruption and spares a disk sync on every commit.
		await client.execute('PRAGMA synchronous = NORMAL');
	}
	// Loaded only when needed: the bundled list exists in Vite builds, not in the command-line tools.
	const report = await migrate(client, migrations ?? (await import('./bundled-migrations')).bundledMigrations());
	onMigrated?.(report);
	return drizzle(client, { schema });
}

/**
 * A libSQL client for `config.url`. A file (or `:memory:`) needs only libSQL's SQLite client, a
 * file's keeping its prepared statements (see {@link createFileClient}); its HTTP and WebSocket
 * protocols (about 50 modules) are loaded for a remote database alone.
 */
async function createClient(config: Config): Promise<Client> {
	if (config.url.startsWith('file:') || config.url === ':memory:') return (await import('./file-client')).createFileClient(config);
	return (await import('@libsql/client')).createClient(config);
}

let shared: Promise<Db> | undefined;
let sharedMigration: MigrationReport | undefined;

/** The process's database, opened (and migrated) on first use from `DATABASE_URL`. */
export function getDb(): Promise<Db> {
	if (!shared) {
		const config = getConfig();
		shared = openDatabase({
			url: config.DATABASE_URL,
			authToken: config.DATABASE_AUTH_TOKEN,
			onMigrated: (report) => (sharedMigration = report)
		});
		// A failed open must not be cached forever: the next caller tries again.
		shared.catch(() => (shared = undefined));
	}
	return shared;
}

/** What migrating the process's database did when {@link getDb} opened it; undefined until then. */
export function getDbMigrationReport(): MigrationReport | undefined {
	return sharedMigration;
}
