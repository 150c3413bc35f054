// Starting and stopping the two servers the bench compares: Parley (`node build`) and the bare
// baseline (`node --import tsx bench/baseline-server.ts`). Each start gets a fresh temporary
// folder (Parley's database lives there), unless it is handed the folder of an earlier start,
// and is tracked so that Ctrl-C stops it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { cpuMs, ROOT, sleep } from './util.mjs';

/** The event-loop delay probe a server loads with `--import` when started with `loopDelay`. */
const LOOP_DELAY_PROBE = pathToFileURL(join(ROOT, 'bench', 'lib', 'loop-delay-probe.mjs')).href;

/** Every server started and not yet stopped. */
export const liveServers = new Set();

/** A free TCP port on the loopback interface. */
export function freePort() {
	return new Promise((resolvePort, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
		});
	});
}

function getStatus(url) {
	return new Promise((resolveStatus) => {
		const request = http.get(url, { agent: false, timeout: 2000 }, (response) => {
			response.resume();
			resolveStatus(response.statusCode);
		});
		request.on('error', () => resolveStatus(0));
		request.on('timeout', () => request.destroy());
	});
}

/**
 * Spawns a server and waits until `GET /health` answers 200, polling every `pollMs`.
 * `kind` is 'parley' or 'baseline'; `delayMs` becomes MOCK_TOKEN_DELAY_MS; `env` adds variables
 * (figure 5 raises Parley's RATE_LIMIT_PER_MINUTE); `folder` starts the server in the folder of
 * an earlier start, which that start's `stop({ keepFolder: true })` left (Parley reopens its
 * database). The server's `startup` tells when it was spawned and when /health first answered
 * (performance.now), and the CPU it had spent by then (utime + stime, `ticks` a second). With
 * `loopDelay`, the server loads bench/lib/loop-delay-probe.mjs (see `loopDelaySnapshot`).
 */
export async function startServer(
	kind,
	{ delayMs, nodeArgs = [], env: extraEnv = {}, folder: reused, pollMs = 100, ticks = 100, loopDelay = false }
) {
	const folder = reused ?? mkdtempSync(join(tmpdir(), `parley-bench-${kind}-`));
	const loopDelayFile = loopDelay ? join(folder, 'loop-delay.json') : undefined;
	const port = await freePort();
	const baseURL = `http://127.0.0.1:${port}`;
	const dbPath = join(folder, 'bench.db');
	// A minimal environment: no API keys from the caller's shell can swap the offline model out.
	const env = {
		PATH: process.env.PATH,
		HOME: process.env.HOME,
		NODE_ENV: 'production',
		HOST: '127.0.0.1',
		PORT: String(port),
		MOCK_TOKEN_DELAY_MS: String(delayMs),
		...(loopDelayFile ? { BENCH_LOOP_DELAY_FILE: loopDelayFile } : {}),
		...extraEnv
	};
	const probe = loopDelayFile ? ['--import', LOOP_DELAY_PROBE] : [];
	let args;
	if (kind === 'parley') {
		Object.assign(env, { ORIGIN: baseURL, DATABASE_URL: `file:${dbPath}`, BODY_SIZE_LIMIT: '100M' });
		args = [...probe, ...nodeArgs, join(ROOT, 'build')];
	} else {
		args = [...probe, ...nodeArgs, '--import', 'tsx', join(ROOT, 'bench', 'baseline-server.ts')];
	}
	let output = '';
	const spawnedAt = performance.now();
	const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
	child.stdout.on('data', (chunk) => (output += chunk));
	child.stderr.on('data', (chunk) => (output += chunk));
	const exited = new Promise((resolveExit) => child.once('exit', () => resolveExit()));

	const server = {
		kind,
		baseURL,
		port,
		pid: child.pid,
		dbPath: kind === 'parley' ? dbPath : undefined,
		folder,
		loopDelayFile,
		child,
		output: () => output,
		/** Filled in once /health answers 200: times in ms (performance.now), CPU in ms. */
		startup: { spawnedAt, healthAt: NaN, healthMs: NaN, cpuAtHealthMs: NaN },
		/**
		 * Stops the server (SIGTERM, then SIGKILL after 5 s) and removes its folder, unless
		 * `keepFolder` (a later start reuses it; that start's stop removes it).
		 */
		async stop({ keepFolder = false } = {}) {
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
				await exited;
				clearTimeout(timer);
			}
			if (!keepFolder) rmSync(folder, { recursive: true, force: true });
			liveServers.delete(server);
		},
		/** For process exit: no waiting. */
		killNow() {
			if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
			rmSync(folder, { recursive: true, force: true });
		}
	};
	liveServers.add(server);

	const deadline = Date.now() + 30_000;
	for (;;) {
		if (child.exitCode !== null || child.signalCode !== null) {
			await server.stop();
			throw new Error(`The ${kind} server exited early:\n${output}`);
		}
		if ((await getStatus(`${baseURL}/health`)) === 200) {
			const healthAt = performance.now();
			// Read at once: the CPU the start itself cost, before any request of the caller's.
			Object.assign(server.startup, { healthAt, healthMs: healthAt - spawnedAt, cpuAtHealthMs: cpuMs(child.pid, ticks) });
			break;
		}
		if (Date.now() > deadline) {
			await server.stop();
			throw new Error(`The ${kind} server did not answer /health within 30 s:\n${output}`);
		}
		await new Promise((wake) => setTimeout(wake, pollMs));
	}
	return server;
}

/**
 * The event-loop delay a server's probe measured since its previous snapshot (`{ p50, p99, max,
 * mean, count }`, ms), and a fresh start for the next one: the file is removed, SIGUSR2 sent, and
 * the file polled every `pollMs` until the probe has written it again. Undefined when the server
 * has no probe, or the probe did not answer within `timeoutMs`; the caller prints n/a.
 */
export async function loopDelaySnapshot(server, { pollMs = 5, timeoutMs = 10_000 } = {}) {
	const file = server.loopDelayFile;
	if (!file || server.child.exitCode !== null || server.child.signalCode !== null) return undefined;
	rmSync(file, { force: true });
	server.child.kill('SIGUSR2');
	const deadline = performance.now() + timeoutMs;
	while (performance.now() < deadline) {
		if (existsSync(file)) {
			try {
				return JSON.parse(readFileSync(file, 'utf8'));
			} catch {
				return undefined;
			}
		}
		await sleep(pollMs);
	}
	return undefined;
}
