import { createHash } from 'node:crypto';
import type { Client, InStatement } from '@libsql/client';
import journal from '../../../../drizzle/meta/_journal.json';

/**
 * The SQL of every migration, bundled into the server at build time so that migrations apply
 * from any working directory and on hosts (Vercel) that ship no `drizzle/` folder.
 */
const sqlFiles = import.meta.glob<string>('../../../../drizzle/*.sql', {
	query: '?raw',
	import: 'default',
	eager: true
});

const MIGRATIONS_TABLE = '__drizzle_migrations';

interface Migration {
	statements: string[];
	hash: string;
	createdAt: number;
}

/** Reads the bundled migrations in journal order, as drizzle-kit wrote them. */
function bundledMigrations(): Migration[] {
	return journal.entries.map((entry) => {
		const file = Object.entries(sqlFiles).find(([path]) => path.endsWith(`/${entry.tag}.sql`));
		if (!file) throw new Error(`Migration ${entry.tag}.sql is missing from the build`);
		const text = file[1];
		return {
			statements: text.split('--> statement-breakpoint'),
			hash: createHash('sha256').update(text).digest('hex'),
			createdAt: entry.when
		};
	});
}

/**
 * Applies pending migrations in one transaction, keeping the bookkeeping table drizzle-kit uses,
 * so `npm run db:migrate` and start-up agree on what has been applied.
 */
export async function migrate(client: Client): Promise<void> {
	await client.execute(
		`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`
	);
	const last = await client.execute(`SELECT created_at FROM ${MIGRATIONS_TABLE} ORDER BY created_at DESC LIMIT 1`);
	const appliedUntil = last.rows[0] ? Number(last.rows[0].created_at) : -Infinity;
	const pending = bundledMigrations().filter((migration) => migration.createdAt > appliedUntil);
	if (pending.length === 0) return;
	const statements: InStatement[] = pending.flatMap((migration) => [
		...migration.statements.filter((statement) => statement.trim() !== ''),
		{
			sql: `INSERT INTO ${MIGRATIONS_TABLE} ("hash", "created_at") VALUES (?, ?)`,
			args: [migration.hash, migration.createdAt]
		}
	]);
	await client.migrate(statements);
}
