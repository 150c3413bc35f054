import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { eq, isNotNull } from 'drizzle-orm';
import { openDatabase } from '../../src/lib/server/db';
import { files } from '../../src/lib/server/db/schema';
import { describe, expect, it } from 'vitest';
import { minimalPdf } from '../support/minimal-pdf';
import { startServer } from '../support/server';
import { signUp } from '../support/session';
import { readUntil, textReader } from '../support/streams';

const root = resolve(import.meta.dirname, '../..');

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
