/**
 * The CLI's account commands (`create-admin`, `create-key`): they open the database as the server
 * does, migrating and seeding it first. Loaded by `main.ts` only when one of them runs.
 */
import { resolve } from 'node:path';
import { eq } from 'drizzle-orm';
import { createApiKey } from '../auth/api-keys';
import { createAccount } from '../auth/accounts';
import type { Config } from '../config';
import { openDatabase, type Db } from '../db';
import { diskMigrations } from '../db/disk-migrations';
import { seedDemoData } from '../db/seed';
import { users } from '../db/schema';
import { AppError } from '../errors';

type Values = Record<string, string | boolean | undefined>;

/** Reads one required option. */
function required(values: Values, name: string): string {
	const value = values[name];
	if (typeof value !== 'string' || value.trim() === '') throw new AppError('invalid_input', `--${name} is required.`);
	return value.trim();
}

async function createAdmin(db: Db, values: Values) {
	const email = required(values, 'email').toLowerCase();
	const [existing] = await db.select().from(users).where(eq(users.email, email));
	if (existing) {
		await db.update(users).set({ role: 'admin', disabled: false }).where(eq(users.id, existing.id));
		console.log(`${email} is now an admin.`);
		return;
	}
	const password = required(values, 'password');
	const name = typeof values.name === 'string' ? values.name : null;
	await createAccount(db, { email, password, name, role: 'admin' });
	console.log(`Created the admin account ${email}.`);
}

async function createKey(db: Db, values: Values) {
	const email = required(values, 'email').toLowerCase();
	const name = required(values, 'name');
	const [user] = await db.select().from(users).where(eq(users.email, email));
	if (!user) throw new AppError('not_found', `No account has the email ${email}.`);
	const created = await createApiKey(db, user.id, name);
	console.log(`Created the API key "${name}" for ${email}. It is shown only once:`);
	console.log(created.key);
}

const COMMANDS: Record<string, (db: Db, values: Values) => Promise<void>> = {
	'create-admin': createAdmin,
	'create-key': createKey
};

/** Runs one account command on the configured database, closing it after. */
export async function runAccountCommand(config: Config, command: string, values: Values): Promise<void> {
	const run = COMMANDS[command];
	if (!run) throw new AppError('invalid_input', `Unknown command "${command}".`);
	const db = await openDatabase({
		url: config.DATABASE_URL,
		authToken: config.DATABASE_AUTH_TOKEN,
		migrations: diskMigrations(resolve(import.meta.dirname, '../../../../drizzle'))
	});
	try {
		await seedDemoData(db);
		await run(db, values);
	} finally {
		db.$client.close();
	}
}
