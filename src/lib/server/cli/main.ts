/**
 * Parley's command line for operators: `npm run cli -- <command> [options]`.
 * The account commands open the database from `DATABASE_URL` (applying migrations) like the
 * server does. Each command loads only the modules it needs, so that help, a bad option or a
 * command without a database answers in a fraction of a second.
 */
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, getConfig } from '../config';
import { AppError } from '../errors';
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

/** The commands that work on accounts in the database (`./accounts.ts`). */
const ACCOUNT_COMMANDS = ['create-admin', 'create-key'];

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
		const { checkProviders, parseTimeout } = await import('./check-providers');
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
	if (!ACCOUNT_COMMANDS.includes(command)) {
		console.error(`Unknown command "${command}".\n\n${USAGE}`);
		return 1;
	}
	const { values } = parseArgs({
		args: rest,
		options: { email: { type: 'string' }, password: { type: 'string' }, name: { type: 'string' } },
		strict: true
	});
	const { runAccountCommand } = await import('./accounts');
	await runAccountCommand(getConfig(), command, values);
	return 0;
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
