import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { authenticateApiKey } from '../../src/lib/server/auth/api-keys';
import { checkCredentials } from '../../src/lib/server/auth/accounts';
import { openDatabase } from '../../src/lib/server/db';
import { runCliSync } from '../support/cli';

const root = resolve(import.meta.dirname, '../..');
const folder = mkdtempSync(join(tmpdir(), 'parley-cli-'));
const url = `file:${join(folder, 'parley.db')}`;

afterAll(() => rmSync(folder, { recursive: true, force: true }));

/** Runs the CLI (what `npm run cli -- …` runs) on this file's database. */
const cli = (...args: string[]) => runCliSync(args, { DATABASE_URL: url });

describe('npm run cli', () => {
	it('is the script operators run: npm starts the CLI, which prints its usage', () => {
		// The other CLI tests start what the script names directly (tests/support/cli.ts).
		const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts;
		expect(scripts.cli).toBe('tsx src/lib/server/cli/main.ts');
		const help = spawnSync('npm', ['run', '--silent', 'cli', '--', 'help'], {
			cwd: root,
			env: { PATH: process.env.PATH, HOME: process.env.HOME },
			encoding: 'utf8',
			timeout: 60_000
		});
		expect(help.stderr).toBe('');
		expect(help.status).toBe(0);
		expect(help.stdout).toContain('Usage: npm run cli -- <command> [options]');
		expect(help.stdout).toContain('create-admin --email E --password P');
	});

	it('creates an admin, then an API key printed alone on the last line', async () => {
		const admin = cli('create-admin', '--email', 'Ops@Example.com', '--password', 'a long password');
		expect(admin.status).toBe(0);
		const key = cli('create-key', '--email', 'ops@example.com', '--name', 'deploy');
		expect(key.status).toBe(0);
		const lastLine = key.stdout.trimEnd().split('\n').at(-1) ?? '';
		expect(lastLine).toMatch(/^pk_[a-z2-7]+$/);

		const db = await openDatabase({ url });
		try {
			const user = await checkCredentials(db, { email: 'ops@example.com', password: 'a long password' });
			expect(user.role).toBe('admin');
			expect(await authenticateApiKey(db, lastLine)).toMatchObject({ email: 'ops@example.com' });
		} finally {
			db.$client.close();
		}
	});

	it('fails with a clear message for an unknown account or command, and a missing option', () => {
		const unknown = cli('create-key', '--email', 'nobody@example.com', '--name', 'x');
		expect(unknown.status).toBe(1);
		expect(unknown.stderr).toContain('No account has the email nobody@example.com.');
		const command = cli('frobnicate');
		expect(command.status).toBe(1);
		expect(command.stderr).toContain('Unknown command "frobnicate"');
		const missing = cli('create-key', '--email', 'ops@example.com');
		expect(missing.status).toBe(1);
		expect(missing.stderr).toContain('--name is required.');
	});
});
