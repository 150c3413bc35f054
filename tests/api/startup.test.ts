import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eq, isNotNull } from 'drizzle-orm';
import journal from '../../drizzle/meta/_journal.json';
import { openDatabase } from '../../src/lib/server/db';
import { files } from '../../src/lib/server/db/schema';
import { describe, expect, it } from 'vitest';
import { minimalPdf } from '../support/minimal-pdf';
import { startServer, type TestServer } from '../support/server';
import { signUp } from '../support/session';
import { readUntil, textReader } from '../support/streams';

const root = resolve(import.meta.dirname, '../..');

/**
 * The server's start-up summary: its heading and the indented lines after it (printed in one
 * write, so whole once its "Open" line is there).
 */
async function startupSummary(server: TestServer): Promise<string> {
	for (let attempt = 0; attempt < 200 && !/\n {2}Open {6}.*\n/.test(server.output()); attempt++) {
		await new Promise((wake) => setTimeout(wake, 20));
	}
	const lines = server.output().split('\n');
	const start = lines.indexOf('Parley is ready');
	expect(start).toBeGreaterThanOrEqual(0);
	const end = lines.findIndex((line, index) => index > start && !line.startsWith('  '));
	return `${lines.slice(start, end).join('\n')}\n`;
}

describe('start-up', () => {
	it('stops with a message naming a bad environment variable', () => {
		const result = spawnSync(process.execPath, ['build'], {
			cwd: root,
			env: { PATH: process.env.PATH, PORT: '0', DATABASE_URL: 'postgres://nope', MOCK_TOKEN_DELAY_MS: 'soon' },
			encoding: 'utf8',
			timeout: 20_000
		});
		expect(result.status).not.toBe(0);
		expect(result.stderr).toContain('DATABASE_URL');
		expect(result.stderr).toContain('MOCK_TOKEN_DELAY_MS');
		expect(result.stderr).not.toMatch(/\n\s+at /);
	});

	it('creates a missing database folder, migrates and seeds on first start, from any directory', async () => {
		const folder = mkdtempSync(join(tmpdir(), 'parley-fresh-'));
		const url = `file:${join(folder, 'nested', 'deeper', 'parley.db')}`;
		// Started from an unrelated folder: migrations must not depend on the working directory.
		const server = await startServer({ DATABASE_URL: url }, { cwd: folder });
		try {
			expect((await fetch(`${server.baseURL}/health`)).status).toBe(200);
			const db = await openDatabase({ url });
			const agents = await db.query.agents.findMany();
			db.$client.close();
			expect(agents.map((agent) => agent.slug).sort()).toEqual(['appointment', 'assistant', 'shop', 'support', 'tool-demo']);
		} finally {
			await server.stop();
			rmSync(folder, { recursive: true, force: true });
		}
	});

	it('npm start says where the database is, what it migrated and seeded, which model answers and where to go', async () => {
		const folder = mkdtempSync(join(tmpdir(), 'parley-summary-'));
		const path = join(folder, 'parley.db');
		const total = journal.entries.length;
		const first = await startServer({ DATABASE_URL: `file:${path}` }, { entry: 'ws' });
		try {
			const summary = await startupSummary(first);
			expect(summary).toBe(
				[
					'Parley is ready',
					`  Database  libSQL file ${path}`,
					`  Schema    applied ${total} migrations`,
					'  Agents    seeded Assistant, Tool demo, Shop assistant; 5 agents in all',
					'  Model     Assistant, the default agent, answers with the offline demo model (mock:offline).',
					'            For a hosted model, set OPENAI_API_KEY, ANTHROPIC_API_KEY or GOOGLE_GENERATIVE_AI_API_KEY',
					'            in .env, restart, and choose the model for the agent at /admin/agents.',
					`  Open      ${first.baseURL} and sign up: the first account becomes the admin`,
					''
				].join('\n')
			);
			// Once per process: requests and sign-ups print nothing more.
			await signUp(first.baseURL, 'alice@example.com');
			expect(first.output().split('Parley is ready')).toHaveLength(2);
			expect(first.output()).not.toContain('Listening on');
		} finally {
			await first.stop({ keepData: true });
		}

		// Started again on the same database, without ORIGIN: nothing to do, and what ORIGIN is for.
		const second = await startServer({ DATABASE_URL: `file:${path}`, ORIGIN: undefined }, { entry: 'ws' });
		try {
			const summary = await startupSummary(second);
			expect(summary).toContain(`  Schema    up to date (${total} migrations)\n`);
			expect(summary).toContain('  Agents    demo agents already there; 5 agents in all\n');
			expect(summary).toContain(`  Open      ${second.baseURL}\n`);
			expect(summary).toContain(`ORIGIN is not set, so forms over plain http are refused: start with ORIGIN=${second.baseURL}\n`);
			expect(summary).not.toContain('sign up');
		} finally {
			await second.stop();
			rmSync(folder, { recursive: true, force: true });
		}
	});

	it('node build prints the same summary before its own "Listening on" line', async () => {
		const server = await startServer();
		try {
			const summary = await startupSummary(server);
			expect(summary).toContain(`  Database  libSQL file ${server.databaseUrl.slice('file:'.length)}\n`);
			expect(summary).toContain('answers with the offline demo model (mock:offline).');
			expect(summary).toContain(`  Open      ${server.baseURL} and sign up: the first account becomes the admin\n`);
			const output = server.output();
			expect(output.indexOf('Listening on')).toBeGreaterThan(output.indexOf('Parley is ready'));
			expect(output.split('Parley is ready')).toHaveLength(2);
		} finally {
			await server.stop();
		}
	});

	it('a server stop stores the answer in progress as interrupted, with its partial text', async () => {
		const server = await startServer({ MOCK_TOKEN_DELAY_MS: '20' });
		const alice = await signUp(server.baseURL, 'alice@example.com');
		const response = await alice.fetch('/api/chat', {
			method: 'POST',
			body: JSON.stringify({
				id: 'task_shutdown',
				messages: [{ role: 'user', parts: [{ type: 'text', text: 'Write a long answer about snow' }] }]
			})
		});
		const reader = textReader(response.body);
		await readUntil(reader, '"text-delta"');
		// The browser goes away first (the run goes on without it), then the server is stopped.
		await reader.cancel();
		const url = server.databaseUrl;
		await server.stop({ keepData: true });

		const db = await openDatabase({ url });
		try {
			const answers = await db.query.messages.findMany({ where: (messages, { eq }) => eq(messages.role, 'assistant') });
			expect(answers).toHaveLength(1);
			expect(answers[0].status).toBe('interrupted');
			const text = answers[0].parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
			expect(text.length).toBeGreaterThan(0);
			expect(text.split(/\s+/).length).toBeLessThan(200);
		} finally {
			db.$client.close();
			server.cleanup();
		}
	});

	it('reads again, at the next start, the text of files a stop left unread', async () => {
		const first = await startServer();
		const alice = await signUp(first.baseURL, 'alice@example.com');
		const form = new FormData();
		form.append('file', new File([minimalPdf(['Read after a restart.'])], 'restart.pdf'));
		form.append('file', new File(['Also read again.'], 'notes.txt'));
		const response = await alice.fetch('/api/files', { method: 'POST', body: form });
		expect(response.status).toBe(201);
		const url = first.databaseUrl;
		await first.stop({ keepData: true });

		// As a stop mid-extraction leaves them: one queued, one being read.
		let db = await openDatabase({ url });
		// The user's files, not the demo shop's pictures and catalogue.
		const uploaded = isNotNull(files.userId);
		const rows = await db.select().from(files).where(uploaded);
		expect(rows).toHaveLength(2);
		await db.update(files).set({ extractionStatus: 'pending', extractedText: null }).where(eq(files.name, 'restart.pdf'));
		await db.update(files).set({ extractionStatus: 'extracting', extractedText: null }).where(eq(files.name, 'notes.txt'));
		db.$client.close();

		const second = await startServer({ DATABASE_URL: url });
		db = await openDatabase({ url });
		try {
			let read: (typeof rows)[number][] = [];
			for (let attempt = 0; attempt < 200; attempt++) {
				read = await db.select().from(files).where(uploaded).orderBy(files.name);
				if (read.every((row) => row.extractionStatus === 'ready')) break;
				await new Promise((wake) => setTimeout(wake, 50));
			}
			expect(read.map((row) => [row.name, row.extractionStatus])).toEqual([
				['notes.txt', 'ready'],
				['restart.pdf', 'ready']
			]);
			expect(read[0].extractedText).toBe('Also read again.');
			expect(read[1].extractedText).toContain('Read after a restart.');
		} finally {
			db.$client.close();
			await second.stop();
			first.cleanup();
		}
	});
});
