import journal from '../../../../drizzle/meta/_journal.json';
import { migrationsFrom, type Migration } from './migrate';

/**
 * The SQL of every migration, bundled into the server at build time so that migrations apply
 * from any working directory and on hosts (Vercel) that ship no `drizzle/` folder.
 */
const sqlFiles = import.meta.glob<string>('../../../../drizzle/*.sql', {
	query: '?raw',
	import: 'default',
	eager: true
});

/** The migrations built into the app. */
export function bundledMigrations(): Migration[] {
	return migrationsFrom(journal, (tag) => Object.entries(sqlFiles).find(([path]) => path.endsWith(`/${tag}.sql`))?.[1]);
}
