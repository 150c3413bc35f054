import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { seedDemoData } from '../../src/lib/server/db/seed';
import { LocalFileStorage } from '../../src/lib/server/files/local-storage';

/** A fresh, migrated libSQL file database in its own temporary folder. */
export interface TempDb {
	db: Db;
	url: string;
	/** Closes the database and removes its folder. */
	cleanup(): void;
}

/** Opens a fresh database for one test; `seed` adds the demo agents and tools. */
export async function createTempDb(options: { seed?: boolean } = {}): Promise<TempDb> {
	const folder = mkdtempSync(join(tmpdir(), 'parley-test-'));
	const url = `file:${join(folder, 'test.db')}`;
	const db = await openDatabase({ url });
	if (options.seed) await seedDemoData(db, { storage: new LocalFileStorage(join(folder, 'uploads')) });
	return {
		db,
		url,
		cleanup() {
			db.$client.close();
			rmSync(folder, { recursive: true, force: true });
		}
	};
}
