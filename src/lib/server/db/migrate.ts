import { createHash } from 'node:crypto';
import type { Client, InStatement } from '@libsql/client';

/** One migration as drizzle-kit wrote it: its statements, hash and creation time. */
export interface Migration {
	statements: string[];
	hash: string;
	createdAt: number;
}

/** drizzle-kit's journal of migrations. */
export interface MigrationJournal {
	entries: { tag: string; when: number }[];
}

const MIGRATIONS_TABLE = '__drizzle_migrations';

/** Turns drizzle-kit's journal and SQL files into migrations, in journal order. */
export function migrationsFrom(journal: MigrationJournal, sqlOf: (tag: string) => string | undefined): Migration[] {
	return journal.entries.map((entry) => {
		const text = sqlOf(entry.tag);
		if (text === undefined) throw new Error(`Migration ${entry.tag}.sql is missing`);
		return {
			statements: text.split('--> statement-breakpoint'),
			hash: createHash('sha256').update(text).digest('hex'),
			createdAt: entry.when
		};
	});
}

/** What a start's migration did: how many migrations it applied, of how many the app has. */
export interface MigrationReport {
	applied: number;
	total: number;
}

/**
 * Applies pending migrations in one transaction, keeping the bookkeeping table drizzle-kit uses,
 * so `npm run db:migrate` and start-up agree on what has been applied.
 */
export async function migrate(client: Client, migrations: Migration[]): Promise<MigrationReport> {
	await client.execute(`CREATE TABLE IF NOT EXISTS ${MIGRATIONS_TABLE} (id SERIAL PRIMARY KEY, hash text NOT NULL, created_at numeric)`);
	const last = await client.execute(`SELECT created_at FROM ${MIGRATIONS_TABLE} ORDER BY created_at DESC LIMIT 1`);
	const appliedUntil = last.rows[0] ? Number(last.rows[0].created_at) : -Infinity;
	const pending = migrations.filter((migration) => migration.createdAt > appliedUntil);
	const report = { applied: pending.length, total: migrations.length };
	if (pending.length === 0) return report;
	const statements: InStatement[] = pending.flatMap((migration) => [
		...migration.statements.filter((statement) => statement.trim() !== ''),
		{
			sql: `INSERT INTO ${MIGRATIONS_TABLE} ("hash", "created_at") VALUES (?, ?)`,
			args: [migration.hash, migration.createdAt]
		}
	]);
	await client.migrate(statements);
	return report;
}
