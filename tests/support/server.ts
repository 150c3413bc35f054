import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { copyTemplate } from './db-templates';

/** A built Parley server running on its own port with its own database. */
export interface TestServer {
	baseURL: string;
	databaseUrl: string;
	/** Everything the server printed so far. */
	output(): string;
	/** Stops the server (SIGTERM) and removes its data unless `keepData`; then call `cleanup`. */
	stop(options?: { keepData?: boolean }): Promise<void>;
	/** Removes the server's data folder. */
	cleanup(): void;
	/** Kills the server at once (SIGKILL), as a crash would, and keeps its data; then call `cleanup`. */
	kill(): Promise<void>;
}

const root = resolve(import.meta.dirname, '../..');

/**
 * How long a server may take to answer `/health`. A start takes about a second, but on a busy
 * machine (two cores running test workers, a browser and other servers) it can take many times
 * that; a test file's hooks allow a minute (vite.config.ts `hookTimeout`).
 */
export const START_TIMEOUT_MS = 45_000;

/** A free TCP port on the loopback interface. */
export function freePort(): Promise<number> {
	return new Promise((resolvePort, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject()));
		});
	});
}

/** An environment without the variables whose value is `undefined`. */
function withoutUnset(env: Record<string, string | undefined>): Record<string, string> {
	return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/**
 * Starts `node build` (run `npm run build` first) on a fresh database and waits until `/health`
 * answers. Unless `env` names the database or where files go, that database is a copy of the
 * demo database seeded once for the test run (tests/support/db-templates.ts), so the server's
 * start-up finds nothing to migrate or seed. `env` adds or overrides environment variables
 * (`undefined` leaves one out); `cwd` is where it starts from; `entry: 'ws'` starts
 * `src/node/serve.mjs` (what `npm start` runs, with the WebSocket chat) instead.
 */
export async function startServer(
	env: Record<string, string | undefined> = {},
	options: { cwd?: string; entry?: 'build' | 'ws' } = {}
): Promise<TestServer> {
	if (!existsSync(join(root, 'build', 'index.js'))) {
		throw new Error('No build found: run `npm run build` before the API tests (npm test does).');
	}
	const folder = mkdtempSync(join(tmpdir(), 'parley-server-'));
	const port = await freePort();
	const baseURL = `http://127.0.0.1:${port}`;
	const databasePath = join(folder, 'parley.db');
	const databaseUrl = `file:${databasePath}`;
	// A database of its own that keeps its files beside it starts as a copy of the demo database
	// the run seeded once: the first start's migrations and seeding are already done.
	if (!('DATABASE_URL' in env) && !('UPLOADS_DIR' in env) && (env.STORAGE_DRIVER ?? 'local') === 'local') {
		copyTemplate('seeded', databasePath, join(folder, 'uploads'));
	}
	let output = '';
	const entry = options.entry === 'ws' ? join(root, 'src', 'node', 'serve.mjs') : join(root, 'build');
	const child: ChildProcess = spawn(process.execPath, [entry], {
		cwd: options.cwd ?? root,
		env: withoutUnset({
			PATH: process.env.PATH,
			HOME: process.env.HOME,
			NODE_ENV: 'production',
			HOST: '127.0.0.1',
			PORT: String(port),
			ORIGIN: baseURL,
			DATABASE_URL: databaseUrl,
			MOCK_TOKEN_DELAY_MS: '1',
			BODY_SIZE_LIMIT: '100M',
			...env
		}),
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (chunk) => (output += chunk));
	child.stderr?.on('data', (chunk) => (output += chunk));
	const exited = new Promise<void>((resolveExit) => child.once('exit', () => resolveExit()));

	const deadline = Date.now() + START_TIMEOUT_MS;
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null) {
			rmSync(folder, { recursive: true, force: true });
			throw new Error(`The server (${entry}) exited early (${child.signalCode ?? `code ${child.exitCode}`}); it printed:\n${output}`);
		}
		try {
			const response = await fetch(`${baseURL}/health`, { signal: AbortSignal.timeout(5_000) });
			await response.body?.cancel();
			if (response.ok) break;
		} catch {
			// not listening yet, or too busy to answer in time
		}
		if (Date.now() > deadline) {
			child.kill('SIGKILL');
			await exited;
			rmSync(folder, { recursive: true, force: true });
			throw new Error(
				`The server (${entry}) did not answer ${baseURL}/health within ${START_TIMEOUT_MS / 1000} s; it printed:\n${output || '(nothing)'}`
			);
		}
		await new Promise((wake) => setTimeout(wake, 50));
	}

	return {
		baseURL,
		databaseUrl,
		output: () => output,
		async stop(options = {}) {
			if (child.exitCode === null) {
				child.kill('SIGTERM');
				// A server that does not stop within 10 s is killed: a hung shutdown must not hang the tests.
				const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
				await exited;
				clearTimeout(killer);
			}
			if (!options.keepData) rmSync(folder, { recursive: true, force: true });
		},
		cleanup() {
			rmSync(folder, { recursive: true, force: true });
		},
		async kill() {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGKILL');
				await exited;
			}
		}
	};
}
