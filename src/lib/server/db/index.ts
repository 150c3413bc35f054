import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createClient, type Client } from '@libsql/client';
import { drizzle, type LibSQLDatabase } from 'drizzle-orm/libsql';
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
	const client = createClient({
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
