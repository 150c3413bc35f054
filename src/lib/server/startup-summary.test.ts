import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTempDb, type TempDb } from '../../../tests/support/temp-db';
import { parseConfig } from './config';
import { agents, users } from './db/schema';
import { announceStartup, collectStartupFacts, describeDatabaseUrl, formatStartupSummary, type StartupFacts } from './startup-summary';

/** The facts of a first start on the defaults. */
const firstStart: StartupFacts = {
	database: 'libSQL file /srv/parley/data/parley.db',
	databaseToken: false,
	migrations: { applied: 8, total: 8 },
	seeded: { created: ['Assistant', 'Tool demo', 'Shop assistant'] },
	agentCount: 5,
	hasUsers: false,
	defaultAgentSlug: 'assistant',
	defaultAgent: { name: 'Assistant', model: 'mock:offline', ready: true },
	configuredProviders: []
};

/** The facts of a later start: nothing to migrate or seed, an account exists. */
const laterStart: StartupFacts = {
	...firstStart,
	migrations: { applied: 0, total: 8 },
	seeded: { created: [] },
	hasUsers: true
};

describe('describeDatabaseUrl', () => {
	it('shows a file database as its absolute path, relative to the working directory', () => {
		expect(describeDatabaseUrl('file:data/parley.db', '/srv/parley')).toBe('libSQL file /srv/parley/data/parley.db');
		expect(describeDatabaseUrl('file:/var/lib/parley.db?mode=rwc', '/srv')).toBe('libSQL file /var/lib/parley.db');
		expect(describeDatabaseUrl('file::memory:')).toBe('in memory (gone when the server stops)');
	});

	it('hides the credentials of a remote database: user, password and query values', () => {
		const shown = describeDatabaseUrl('libsql://alice:s3cret@db.example.turso.io/main?authToken=tok_123&tls=0');
		expect(shown).toBe('libSQL server libsql://***@db.example.turso.io/main?authToken=***&tls=0');
		expect(shown).not.toContain('s3cret');
		expect(shown).not.toContain('alice');
		expect(shown).not.toContain('tok_123');
		expect(describeDatabaseUrl('https://db.example.com')).toBe('libSQL server https://db.example.com');
	});
});

describe('formatStartupSummary', () => {
	it('tells a first start under vite dev everything, with Vite’s address', () => {
		const text = formatStartupSummary(firstStart, { dev: true, devUrl: 'http://localhost:5173/' });
		expect(text).toBe(
			[
				'',
				'Parley is ready',
				'  Database  libSQL file /srv/parley/data/parley.db',
				'  Schema    applied 8 migrations',
				'  Agents    seeded Assistant, Tool demo, Shop assistant; 5 agents in all',
				'  Model     Assistant, the default agent, answers with the offline demo model (mock:offline).',
				'            For a hosted model, set OPENAI_API_KEY, ANTHROPIC_API_KEY or GOOGLE_GENERATIVE_AI_API_KEY',
				'            in .env, restart, and choose the model for the agent at /admin/agents.',
				'  Open      http://localhost:5173/ and sign up: the first account becomes the admin',
				''
			].join('\n')
		);
	});

	it('says a later start found everything up to date and already seeded', () => {
		const text = formatStartupSummary(laterStart, { dev: true, devUrl: 'http://localhost:5173/' });
		expect(text).toContain('  Schema    up to date (8 migrations)\n');
		expect(text).toContain('  Agents    demo agents already there; 5 agents in all\n');
		expect(text).toContain('  Open      http://localhost:5173/\n');
		expect(text).not.toContain('sign up');
	});

	it('counts the migrations an upgrade applied', () => {
		const text = formatStartupSummary({ ...laterStart, migrations: { applied: 1, total: 8 } });
		expect(text).toContain('  Schema    applied 1 migration (8 in all)\n');
	});

	it('under npm start without ORIGIN, gives a browsable address and says to set ORIGIN', () => {
		const text = formatStartupSummary(laterStart, { listening: 'http://0.0.0.0:3000' });
		expect(text).toContain('  Open      http://localhost:3000\n');
		expect(text).toContain('ORIGIN is not set, so forms over plain http are refused: start with ORIGIN=http://localhost:3000');
		expect(formatStartupSummary(laterStart, { listening: 'http://[::]:3000' })).toContain('  Open      http://localhost:3000\n');
	});

	it('under npm start with ORIGIN, sends people to ORIGIN and says where it listens', () => {
		const text = formatStartupSummary({ ...laterStart, origin: 'https://chat.example.com' }, { listening: 'http://0.0.0.0:3000' });
		expect(text).toContain('  Open      https://chat.example.com (listening on http://0.0.0.0:3000)\n');
		expect(text).not.toContain('ORIGIN is not set');
		const same = formatStartupSummary({ ...laterStart, origin: 'http://127.0.0.1:3000/' }, { listening: 'http://127.0.0.1:3000' });
		expect(same).toContain('  Open      http://127.0.0.1:3000/\n');
	});

	it('under node build, which prints its own address next, shows ORIGIN or asks for it', () => {
		expect(formatStartupSummary({ ...laterStart, origin: 'http://127.0.0.1:4000' })).toContain('  Open      http://127.0.0.1:4000\n');
		expect(formatStartupSummary(laterStart)).toContain(
			"  Open      the server's address\n            under node build, set ORIGIN to it: forms are refused without it\n"
		);
	});

	it('with a key set but the default agent still offline, says where to choose a hosted model', () => {
		const text = formatStartupSummary({ ...laterStart, configuredProviders: ['OPENAI_API_KEY'] });
		expect(text).toContain('answers with the offline demo model (mock:offline).\n');
		expect(text).toContain('OPENAI_API_KEY set: choose a hosted model for it at /admin/agents.');
		expect(text).not.toContain('For a hosted model');
	});

	it('names a hosted model, and the missing key when its provider is not configured', () => {
		const ready = formatStartupSummary({
			...laterStart,
			defaultAgent: { name: 'Assistant', model: 'openai:gpt-4.1-mini', ready: true }
		});
		expect(ready).toContain('  Model     Assistant, the default agent, answers with OpenAI · gpt-4.1-mini (openai:gpt-4.1-mini).\n');
		const missing = formatStartupSummary({
			...laterStart,
			defaultAgent: { name: 'Assistant', model: 'anthropic:claude-haiku-4-5', ready: false }
		});
		expect(missing).toContain('but ANTHROPIC_API_KEY is not set: its answers fail until it is.');
	});

	it('says when the default agent is missing', () => {
		const text = formatStartupSummary({ ...laterStart, defaultAgentSlug: 'helper', defaultAgent: null });
		expect(text).toContain('  Model     no agent "helper" (the default): chats open on the first agent a person may use\n');
	});

	it('notes a database auth token without showing it', () => {
		const text = formatStartupSummary({ ...laterStart, database: 'libSQL server libsql://db.example.turso.io', databaseToken: true });
		expect(text).toContain('  Database  libSQL server libsql://db.example.turso.io (with DATABASE_AUTH_TOKEN)\n');
	});
});

describe('collectStartupFacts', () => {
	let temp: TempDb;

	beforeEach(async () => {
		temp = await createTempDb({ seed: true });
	});

	afterEach(() => temp.cleanup());

	const done = { migrations: { applied: 8, total: 8 }, seeded: { created: ['Assistant'] } };

	it('finds the default agent, its model, the agents and whether anyone has signed up', async () => {
		const facts = await collectStartupFacts(temp.db, parseConfig({ DATABASE_URL: 'file:data/x.db' }), done);
		expect(facts).toMatchObject({
			database: `libSQL file ${process.cwd()}/data/x.db`,
			databaseToken: false,
			migrations: done.migrations,
			seeded: done.seeded,
			agentCount: 3,
			hasUsers: false,
			defaultAgentSlug: 'assistant',
			defaultAgent: { name: 'Assistant', model: 'mock:offline', ready: true },
			configuredProviders: []
		});
		await temp.db.insert(users).values({ id: 'u1', email: 'a@example.com', passwordHash: 'x' });
		expect((await collectStartupFacts(temp.db, parseConfig({}), done)).hasUsers).toBe(true);
	});

	it('follows DEFAULT_AGENT and the configured providers', async () => {
		await temp.db.update(agents).set({ model: 'google:gemini-2.5-flash' }).where(eq(agents.slug, 'tool-demo'));
		const facts = await collectStartupFacts(
			temp.db,
			parseConfig({ DEFAULT_AGENT: 'tool-demo', OPENAI_API_KEY: 'sk-test', DATABASE_AUTH_TOKEN: 'secret' }),
			done
		);
		expect(facts.defaultAgent).toEqual({ name: 'Tool demo', model: 'google:gemini-2.5-flash', ready: false });
		expect(facts.configuredProviders).toEqual(['OPENAI_API_KEY']);
		expect(facts.databaseToken).toBe(true);
		expect(JSON.stringify(facts)).not.toContain('secret');
		expect(JSON.stringify(facts)).not.toContain('sk-test');
	});

	it('has no default agent when the slug is missing', async () => {
		const facts = await collectStartupFacts(temp.db, parseConfig({ DEFAULT_AGENT: 'nobody' }), done);
		expect(facts.defaultAgentSlug).toBe('nobody');
		expect(facts.defaultAgent).toBeNull();
	});
});

describe('announceStartup', () => {
	let log: ReturnType<typeof vi.spyOn>;

	beforeEach(() => {
		globalThis.__parleyStartupPrinted = undefined;
		globalThis.__parleyPrintsStartup = undefined;
		globalThis.__parleyStartupSummary = undefined;
		globalThis.__parleyDevUrl = undefined;
		log = vi.spyOn(console, 'log').mockImplementation(() => {});
	});

	afterEach(() => {
		log.mockRestore();
		globalThis.__parleyStartupPrinted = undefined;
		globalThis.__parleyPrintsStartup = undefined;
		globalThis.__parleyStartupSummary = undefined;
		globalThis.__parleyDevUrl = undefined;
	});

	it('prints once per process under vite dev, with Vite’s address', () => {
		globalThis.__parleyDevUrl = 'http://localhost:5174/';
		announceStartup(firstStart, { dev: true });
		announceStartup(laterStart, { dev: true });
		expect(log).toHaveBeenCalledTimes(1);
		expect(String(log.mock.calls[0][0])).toContain('  Open      http://localhost:5174/ and sign up');
	});

	it('under npm start, leaves the printing to the server once it listens', () => {
		globalThis.__parleyPrintsStartup = true;
		announceStartup(laterStart, { dev: false });
		expect(log).not.toHaveBeenCalled();
		globalThis.__parleyStartupSummary?.('http://127.0.0.1:3000');
		globalThis.__parleyStartupSummary?.('http://127.0.0.1:3000');
		expect(log).toHaveBeenCalledTimes(1);
		expect(String(log.mock.calls[0][0])).toContain('  Open      http://127.0.0.1:3000\n');
	});

	it('under node build, prints at once', () => {
		announceStartup({ ...laterStart, origin: 'http://127.0.0.1:4000' }, { dev: false });
		expect(log).toHaveBeenCalledTimes(1);
		expect(String(log.mock.calls[0][0])).toContain('  Open      http://127.0.0.1:4000\n');
	});
});
