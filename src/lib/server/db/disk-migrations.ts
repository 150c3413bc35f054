import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrationsFrom, type Migration, type MigrationJournal } from './migrate';

/** The migrations in a `drizzle/` folder on disk (for the command-line tools, which run outside Vite). */
export function diskMigrations(folder: string): Migration[] {
	const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as MigrationJournal;
	return migrationsFrom(journal, (tag) => {
		const path = join(folder, `${tag}.sql`);
		return existsSync(path) ? readFileSync(path, 'utf8') : undefined;
	});
}
