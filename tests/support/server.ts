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
 * Waits until a starting server answers `/health` (true), or exits, or the start time is up
 * (false; the caller tells the two apart).
 */
async function answersHealth(child: ChildProcess, baseURL: string, exited: Promise<void>): Promise<boolean> {
	const deadline = Date.now() + START_TIMEOUT_MS;
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null) return false;
		try {
			const response = await fetch(`${baseURL}/health`, { signal: AbortSignal.timeout(5_000) });
			await response.body?.cancel();
			// A server that could not listen has exited by now, most likely: its port answers for another.
			if (response.ok && child.exitCode === null) return true;
		} catch {
			// not listening yet, or too busy to answer in time
		}
		if (Date.now() > deadline) return false;
		await Promise.race([exited, new Promise((wake) => setTimeout(wake, 50))]);
	}
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
	const databasePath = join(folder, 'parley.db');
	const databaseUrl = `file:${databasePath}`;
	// A database of its own that keeps its files beside it starts as a copy of the demo database
	// the run seeded once: the first start's migrations and seeding are already done.
	if (!('DATABASE_URL' in env) && !('UPLOADS_DIR' in env) && (env.STORAGE_DRIVER ?? 'local') === 'local') {
		copyTemplate('seeded', databasePath, join(folder, 'uploads'));
	}
	const entry = options.entry === 'ws' ? join(root, 'src', 'node', 'serve.mjs') : join(root, 'build');
	let baseURL: string;
	let output = '';
	let child: ChildProcess | undefined;
	let exited: Promise<void> = Promise.resolve();
	// A free port can be taken by another test's server before this one listens on it: then the
	// server exits at once (EADDRINUSE) and starts again on another port.
	for (let attempt = 1; ; attempt++) {
		const port = await freePort();
		baseURL = `http://127.0.0.1:${port}`;
		output = '';
		const started: ChildProcess = spawn(process.execPath, [entry], {
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
		child = started;
		started.stdout?.on('data', (chunk) => (output += chunk));
		started.stderr?.on('data', (chunk) => (output += chunk));
		exited = new Promise<void>((resolveExit) => started.once('exit', () => resolveExit()));
		if (await answersHealth(started, baseURL, exited)) break;
		if (attempt < 3 && output.includes('EADDRINUSE')) continue;
		if (started.exitCode === null && started.signalCode === null) {
			started.kill('SIGKILL');
			await exited;
			rmSync(folder, { recursive: true, force: true });
			throw new Error(
				`The server (${entry}) did not answer ${baseURL}/health within ${START_TIMEOUT_MS / 1000} s; it printed:\n${output || '(nothing)'}`
			);
		}
		rmSync(folder, { recursive: true, force: true });
		throw new Error(`The server (${entry}) exited early (${started.signalCode ?? `code ${started.exitCode}`}); it printed:\n${output}`);
	}
	const server = child;

	return {
		baseURL,
		databaseUrl,
		output: () => output,
		async stop(options = {}) {
			if (server.exitCode === null) {
				server.kill('SIGTERM');
				// A server that does not stop within 10 s is killed: a hung shutdown must not hang the tests.
				const killer = setTimeout(() => server.kill('SIGKILL'), 10_000);
				await exited;
				clearTimeout(killer);
			}
			if (!options.keepData) rmSync(folder, { recursive: true, force: true });
		},
		cleanup() {
			rmSync(folder, { recursive: true, force: true });
		},
		async kill() {
			if (server.exitCode === null && server.signalCode === null) {
				server.kill('SIGKILL');
				await exited;
			}
		}
	};
}
