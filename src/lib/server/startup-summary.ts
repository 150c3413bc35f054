import { resolve } from 'node:path';
import { count, eq } from 'drizzle-orm';
import type { Config } from './config';
import type { Db } from './db';
import type { MigrationReport } from './db/migrate';
import type { SeedReport } from './db/seed';
import { agents, users } from './db/schema';
import { isOfflineModel, isProviderConfigured, modelLabel, OFFLINE_MODEL_ID, parseModelId } from './models/catalog';

// What the terminal says once the server has started: where the database is, what migrating and
// seeding did, which model answers and the address to open. One block per process.

/** What a start did and found, gathered by {@link collectStartupFacts}. */
export interface StartupFacts {
	/** `DATABASE_URL` as it may be shown: a file's absolute path, or a URL without its credentials. */
	database: string;
	/** Whether `DATABASE_AUTH_TOKEN` is set (never shown). */
	databaseToken: boolean;
	migrations: MigrationReport;
	seeded: SeedReport;
	/** How many agents the installation has now, code agents included. */
	agentCount: number;
	/** Whether any account exists yet (the first to sign up becomes the admin). */
	hasUsers: boolean;
	/** The slug looked for as the default agent: `DEFAULT_AGENT`, else `assistant`. */
	defaultAgentSlug: string;
	/** The default agent, when it exists; `ready` when its model's provider is configured. */
	defaultAgent: { name: string; model: string; ready: boolean } | null;
	/** Hosted providers with what they need in the configuration, as their variables. */
	configuredProviders: string[];
	/** `ORIGIN`, the public address, when set. */
	origin?: string;
}

/** Where a start's output says to go, as far as the process knows it. */
export interface StartupAddress {
	/** Whether this is the development server (`vite dev`). */
	dev?: boolean;
	/** The development server's own address (Vite's "Local" URL). */
	devUrl?: string;
	/** The address the production server listens on, e.g. `http://0.0.0.0:3000`. */
	listening?: string;
}

/** The variable that enables each hosted provider, by provider id. */
const PROVIDER_VARIABLES = {
	openai: 'OPENAI_API_KEY',
	anthropic: 'ANTHROPIC_API_KEY',
	google: 'GOOGLE_GENERATIVE_AI_API_KEY',
	compatible: 'OPENAI_COMPATIBLE_BASE_URL'
} as const;

/** Query parameters of a database URL that are safe to show; any other's value is hidden. */
const SHOWN_PARAMETERS = new Set(['tls']);

/**
 * A database URL as it may be printed: a `file:` database as its absolute path (relative paths
 * are relative to the working directory, as when it is opened), a remote one without its user
 * name, password or query values (an `authToken` may ride in the query).
 */
export function describeDatabaseUrl(url: string, cwd = process.cwd()): string {
	if (url.startsWith('file:')) {
		const path = url.slice('file:'.length).split('?')[0];
		if (path === ':memory:' || path === '') return 'in memory (gone when the server stops)';
		return `libSQL file ${resolve(cwd, path)}`;
	}
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return `libSQL server ${url.split(':')[0]}:… (not shown: not a readable URL)`;
	}
	const credentials = parsed.username || parsed.password ? '***@' : '';
	const query = [...parsed.searchParams.keys()]
		.map((name) => `${name}=${SHOWN_PARAMETERS.has(name) ? parsed.searchParams.get(name) : '***'}`)
		.join('&');
	const path = parsed.pathname === '/' ? '' : parsed.pathname;
	return `libSQL server ${parsed.protocol}//${credentials}${parsed.host}${path}${query ? `?${query}` : ''}`;
}

/** Reads what the summary needs from the database and the configuration. */
export async function collectStartupFacts(
	db: Db,
	config: Config,
	done: { migrations: MigrationReport; seeded: SeedReport }
): Promise<StartupFacts> {
	const defaultAgentSlug = config.DEFAULT_AGENT ?? 'assistant';
	const [agent] = await db.select({ name: agents.name, model: agents.model }).from(agents).where(eq(agents.slug, defaultAgentSlug));
	const [agentRows] = await db.select({ n: count() }).from(agents);
	const [userRows] = await db.select({ n: count() }).from(users);
	return {
		database: describeDatabaseUrl(config.DATABASE_URL),
		databaseToken: Boolean(config.DATABASE_AUTH_TOKEN),
		migrations: done.migrations,
		seeded: done.seeded,
		agentCount: agentRows?.n ?? 0,
		hasUsers: (userRows?.n ?? 0) > 0,
		defaultAgentSlug,
		defaultAgent: agent ? { ...agent, ready: isProviderConfigured(config, parseModelId(agent.model).provider) } : null,
		configuredProviders: Object.entries(PROVIDER_VARIABLES).flatMap(([provider, variable]) =>
			isProviderConfigured(config, provider) ? [variable] : []
		),
		origin: config.ORIGIN
	};
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A browsable form of a listening address: a wildcard host becomes `localhost`. */
function browsable(listening: string): string {
	return listening.replace(/^(https?:\/\/)(0\.0\.0\.0|\[::\]|::)(?=[:/]|$)/, '$1localhost');
}

/** The model lines: who answers with what, and what to do for a hosted model. */
function modelLines(facts: StartupFacts): string[] {
	const agent = facts.defaultAgent;
	if (!agent) {
		return [`no agent "${facts.defaultAgentSlug}" (the default): chats open on the first agent a person may use`];
	}
	const who = `${agent.name}, the default agent, answers with`;
	const keys = 'OPENAI_API_KEY, ANTHROPIC_API_KEY or GOOGLE_GENERATIVE_AI_API_KEY';
	if (isOfflineModel(agent.model)) {
		if (facts.configuredProviders.length > 0) {
			return [
				`${who} the offline demo model (${OFFLINE_MODEL_ID}).`,
				`${facts.configuredProviders.join(', ')} set: choose a hosted model for it at /admin/agents.`
			];
		}
		return [
			`${who} the offline demo model (${OFFLINE_MODEL_ID}).`,
			`For a hosted model, set ${keys}`,
			'in .env, restart, and choose the model for the agent at /admin/agents.'
		];
	}
	const line = `${who} ${modelLabel(agent.model)} (${agent.model})`;
	if (agent.ready) return [`${line}.`];
	const variable = PROVIDER_VARIABLES[parseModelId(agent.model).provider as keyof typeof PROVIDER_VARIABLES];
	return [`${line},`, variable ? `but ${variable} is not set: its answers fail until it is.` : 'whose provider Parley does not know.'];
}

/** The address lines: where to go, and what `npm start` needs to serve forms. */
function addressLines(facts: StartupFacts, address: StartupAddress): string[] {
	const welcome = facts.hasUsers ? '' : ' and sign up: the first account becomes the admin';
	if (address.dev) return [`${address.devUrl ?? 'the Local address above'}${welcome}`];
	if (facts.origin) {
		const elsewhere = address.listening && new URL(facts.origin).origin !== address.listening;
		const listening = elsewhere ? ` (listening on ${address.listening})` : '';
		return [`${facts.origin}${listening}${welcome}`];
	}
	if (address.listening && !/^https?:/.test(address.listening)) {
		return [`the socket ${address.listening}: set ORIGIN to the address people use (forms are refused without it)`];
	}
	if (address.listening) {
		const url = browsable(address.listening);
		return [`${url}${welcome}`, `ORIGIN is not set, so forms over plain http are refused: start with ORIGIN=${url}`];
	}
	return [`the server's address${welcome}`, 'under node build, set ORIGIN to it: forms are refused without it'];
}

/** The start-up summary: a short block of labelled lines, ending with a newline. */
export function formatStartupSummary(facts: StartupFacts, address: StartupAddress = {}): string {
	const { applied, total } = facts.migrations;
	const schema =
		applied === 0
			? `up to date (${plural(total, 'migration')})`
			: `applied ${plural(applied, 'migration')}${applied < total ? ` (${total} in all)` : ''}`;
	const seeded = facts.seeded.created;
	const agentsLine =
		seeded.length > 0
			? `seeded ${seeded.join(', ')}; ${plural(facts.agentCount, 'agent')} in all`
			: `demo agents already there; ${plural(facts.agentCount, 'agent')} in all`;
	const database = `${facts.database}${facts.databaseToken ? ' (with DATABASE_AUTH_TOKEN)' : ''}`;
	const rows: [string, string[]][] = [
		['Database', [database]],
		['Schema', [schema]],
		['Agents', [agentsLine]],
		['Model', modelLines(facts)],
		['Open', addressLines(facts, address)]
	];
	const lines = rows.flatMap(([label, [first, ...rest]]) => [
		`  ${label.padEnd(9)} ${first}`,
		...rest.map((line) => `  ${' '.repeat(9)} ${line}`)
	]);
	return `\nParley is ready\n${lines.join('\n')}\n`;
}

declare global {
	/** The development server's "Local" URL, set by the Vite plugin in vite.config.ts. */
	var __parleyDevUrl: string | undefined;
	/** Set by `src/node/serve.mjs` before the app starts: it prints the summary once listening. */
	var __parleyPrintsStartup: boolean | undefined;
	/** Prints the summary with the address `src/node/serve.mjs` listens on. */
	var __parleyStartupSummary: ((listening: string) => void) | undefined;
	/** Whether this process has printed its summary (a restarted dev server runs `init` again). */
	var __parleyStartupPrinted: boolean | undefined;
}

/** Prints the summary once per process. */
function printOnce(text: string): void {
	if (globalThis.__parleyStartupPrinted) return;
	globalThis.__parleyStartupPrinted = true;
	console.log(text);
}

/**
 * Prints the summary now, with the development server's address (under `vite dev`) or `ORIGIN`
 * (under `node build`, whose own line "Listening on …" follows); under `npm start` it is left to
 * `src/node/serve.mjs`, which knows the address once it listens.
 */
export function announceStartup(facts: StartupFacts, options: { dev: boolean }): void {
	if (!options.dev && globalThis.__parleyPrintsStartup) {
		globalThis.__parleyStartupSummary = (listening) => printOnce(formatStartupSummary(facts, { listening }));
		return;
	}
	printOnce(formatStartupSummary(facts, options.dev ? { dev: true, devUrl: globalThis.__parleyDevUrl } : {}));
}
