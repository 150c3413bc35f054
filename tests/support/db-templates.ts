import { copyFileSync, cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase } from '../../src/lib/server/db';
import { seedDemoData } from '../../src/lib/server/db/seed';
import { LocalFileStorage } from '../../src/lib/server/files/local-storage';

/**
 * Databases made once and copied for each test: migrating and seeding the demo data (the shop's
 * pictures above all) takes about half a second, copying a file a millisecond.
 *
 * `migrated` holds `parley.db` with every migration applied; `seeded` holds `parley.db` seeded
 * as a first start seeds it, and its `uploads/` folder (where the server keeps files beside a
 * `file:` database) with the shop's pictures and catalogue.
 */
export type TemplateKind = 'migrated' | 'seeded';

/** The environment variable naming the folder of templates a test run made once for all workers. */
export const TEMPLATES_ENV = 'PARLEY_TEST_DB_TEMPLATES';

const DB_FILE = 'parley.db';
const READY_FILE = 'ready';

/** Makes both templates in `root`, an empty folder. */
export async function makeTemplates(root: string): Promise<void> {
	for (const kind of ['migrated', 'seeded'] as const) {
		const folder = join(root, kind);
		mkdirSync(folder, { recursive: true });
		const db = await openDatabase({ url: `file:${join(folder, DB_FILE)}` });
		try {
			if (kind === 'seeded') await seedDemoData(db, { storage: new LocalFileStorage(join(folder, 'uploads')) });
			// Everything into the main file, so that the file alone is the whole database.
			await db.$client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
		} finally {
			db.$client.close();
		}
		for (const suffix of ['-wal', '-shm']) rmSync(join(folder, `${DB_FILE}${suffix}`), { force: true });
	}
	writeFileSync(join(root, READY_FILE), '');
}

/**
 * Copies a template database to `databasePath` (its folder must exist) and, for `seeded`, the
 * shop's files to `uploadsFolder`. Returns false, copying nothing, outside a vitest run that made
 * the templates (tests/support/db-templates-setup.ts).
 */
export function copyTemplate(kind: TemplateKind, databasePath: string, uploadsFolder: string): boolean {
	const root = process.env[TEMPLATES_ENV];
	if (!root || !existsSync(join(root, READY_FILE))) return false;
	copyFileSync(join(root, kind, DB_FILE), databasePath);
	if (kind === 'seeded') cpSync(join(root, kind, 'uploads'), uploadsFolder, { recursive: true });
	return true;
}
