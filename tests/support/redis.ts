import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createClient } from 'redis';
import { freePort } from './server';

/** A Redis server for tests, or the reason there is none. */
export type TestRedis = { url: string; stop(): Promise<void> } | { url: null; reason: string };

/** Starts a throwaway `redis-server` on a free loopback port, when the binary is installed. */
export async function startRedis(): Promise<TestRedis> {
	if (spawnSync('redis-server', ['--version']).error) {
		return { url: null, reason: 'redis-server is not installed (apt-get install -y redis-server)' };
	}
	const port = await freePort();
	const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
		stdio: 'ignore'
	});
	const url = `redis://127.0.0.1:${port}`;
	const deadline = Date.now() + 10_000;
	for (;;) {
		const client = createClient({ url, socket: { reconnectStrategy: false } });
		client.on('error', () => {});
		try {
			await client.connect();
			await client.ping();
			await client.quit();
			break;
		} catch {
			if (Date.now() > deadline || child.exitCode !== null) {
				child.kill();
				return { url: null, reason: `redis-server did not start on port ${port}` };
			}
			await new Promise((wake) => setTimeout(wake, 50));
		}
	}
	return {
		url,
		stop: () =>
			new Promise<void>((resolve) => {
				if (child.exitCode !== null) return resolve();
				child.once('exit', () => resolve());
				child.kill();
			})
	};
}
