import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { seedDemoData } from '../../src/lib/server/db/seed';
import { LocalFileStorage } from '../../src/lib/server/files/local-storage';
import { copyTemplate } from './db-templates';

/** A fresh, migrated libSQL file database in its own temporary folder. */
export interface TempDb {
	db: Db;
	url: string;
	/** Closes the database and removes its folder. */
	cleanup(): void;
}

/**
 * Opens a fresh database for one test; `seed` adds the demo agents and tools (and the shop's
 * files, in `uploads/` beside the database). In a vitest run it is a copy of a database migrated
 * (and seeded) once for the run.
 */
export async function createTempDb(options: { seed?: boolean } = {}): Promise<TempDb> {
	const folder = mkdtempSync(join(tmpdir(), 'parley-test-'));
	const path = join(folder, 'test.db');
	const uploads = join(folder, 'uploads');
	const copied = copyTemplate(options.seed ? 'seeded' : 'migrated', path, uploads);
	const url = `file:${path}`;
	const db = await openDatabase({ url });
	if (options.seed && !copied) await seedDemoData(db, { storage: new LocalFileStorage(uploads) });
	return {
		db,
		url,
		cleanup() {
			db.$client.close();
			rmSync(folder, { recursive: true, force: true });
		}
	};
}
