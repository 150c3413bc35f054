/**
 * Parley's command line for operators: `npm run cli -- <command> [options]`.
 * It opens the database from `DATABASE_URL` (applying migrations) like the server does.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { createApiKey } from '../auth/api-keys';
import { createAccount } from '../auth/accounts';
import { ConfigError, getConfig } from '../config';
import { openDatabase, type Db } from '../db';
import { diskMigrations } from '../db/disk-migrations';
import { seedDemoData } from '../db/seed';
import { users } from '../db/schema';
import { AppError } from '../errors';
import { checkProviders, parseTimeout } from './check-providers';
import { parseMcpClientArgs, probeMcpServer, UsageError } from './mcp-client';

const USAGE = `Usage: npm run cli -- <command> [options]

Commands:
  create-admin --email E --password P [--name N]   create an admin account (or make an existing one admin)
  create-key --email E --name N                     create an API key for an account; the key is printed alone on the last line
  check-providers [--timeout S]                     send one tiny request per check (text, tools, reasoning, usage) to each
                                                    configured model provider, S seconds at most each (30); exits 1 when one
                                                    cannot answer text
  mcp-client <url> [--header 'Name: value']... [--allow-host H]... [--call NAME [--args JSON]]
             [--oauth [--client-id ID [--client-secret SECRET]] [--client-metadata-url URL] [--scope SCOPES]
                      [--oauth-port P] [--oauth-timeout SECONDS] [--oauth-auto-approve]]
                                                    connect to an MCP server (Streamable HTTP) the way runs do, print its
                                                    tools with their input schemas, or call one and print its result;
                                                    private addresses only for hosts in HTTP_TOOL_ALLOWED_HOSTS or
                                                    --allow-host. --oauth signs in when the server asks: open the printed
                                                    address; the browser comes back to http://127.0.0.1:P/callback (P any
                                                    free port unless --oauth-port) within SECONDS (300). --client-id and
                                                    --client-secret give a pre-registered client (else it registers
                                                    itself), --scope the scopes to ask for when the server names none;
                                                    --oauth-auto-approve takes the code from the authorization endpoint's
                                                    redirect (servers that approve at once, e.g. test servers). Exits 1
                                                    on a failure or an error result, 2 on bad options
  help                                              show this text`;

/** Reads one required option. */
function required(values: Record<string, string | boolean | undefined>, name: string): string {
	const value = values[name];
	if (typeof value !== 'string' || value.trim() === '') throw new AppError('invalid_input', `--${name} is required.`);
	return value.trim();
}

async function createAdmin(db: Db, values: Record<string, string | boolean | undefined>) {
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

async function createKey(db: Db, values: Record<string, string | boolean | undefined>) {
	const email = required(values, 'email').toLowerCase();
	const name = required(values, 'name');
	const [user] = await db.select().from(users).where(eq(users.email, email));
	if (!user) throw new AppError('not_found', `No account has the email ${email}.`);
	const created = await createApiKey(db, user.id, name);
	console.log(`Created the API key "${name}" for ${email}. It is shown only once:`);
	console.log(created.key);
}

async function main(argv: string[]): Promise<number> {
	// Like `npm start`, read a .env file in the working directory; the environment wins.
	if (existsSync('.env')) process.loadEnvFile('.env');
	const [command, ...rest] = argv;
	if (!command || command === 'help' || command === '--help') {
		console.log(USAGE);
		return command ? 0 : 1;
	}
	if (command === 'check-providers') {
		// Needs no database: only the provider settings.
		const { values } = parseArgs({ args: rest, options: { timeout: { type: 'string' } }, strict: true });
		const timeoutMs = parseTimeout(values.timeout);
		return checkProviders(getConfig(), { timeoutMs, print: (text) => console.log(text) });
	}
	if (command === 'mcp-client') {
		// Needs no database either: the server is given on the command line.
		let options;
		try {
			options = parseMcpClientArgs(rest);
		} catch (error) {
			if (!(error instanceof UsageError)) throw error;
			console.error(`${error.message}\n\nSee \`npm run cli -- help\` for the options.`);
			return 2;
		}
		return probeMcpServer(
			getConfig(),
			options,
			(text) => console.log(text),
			(text) => console.error(text)
		);
	}
	const commands: Record<string, (db: Db, values: Record<string, string | boolean | undefined>) => Promise<void>> = {
		'create-admin': createAdmin,
		'create-key': createKey
	};
	const run = commands[command];
	if (!run) {
		console.error(`Unknown command "${command}".\n\n${USAGE}`);
		return 1;
	}
	const { values } = parseArgs({
		args: rest,
		options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
		strict: true
	});
	const config = getConfig();
	const db = await openDatabase({
		url: config.DATABASE_URL,
		authToken: config.DATABASE_AUTH_TOKEN,
		migrations: diskMigrations(resolve(import.meta.dirname, '../../../../drizzle'))
	});
	try {
		await seedDemoData(db);
		await run(db, values);
		return 0;
	} finally {
		db.$client.close();
	}
}

main(process.argv.slice(2)).then(
	(code) => process.exit(code),
	(error: unknown) => {
		if (error instanceof AppError || error instanceof ConfigError) console.error(error.message);
		else if (error instanceof TypeError && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')) {
			console.error(`${error.message}\n\n${USAGE}`);
		} else console.error('The command failed:', error);
		process.exit(1);
	}
);
