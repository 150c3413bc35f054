import { startServer, type TestServer } from './server';
import { signUp, type SessionClient } from './session';

/** Two server processes on one database sharing Redis, with Alice signed up on the first. */
export interface ServerPair {
	first: TestServer;
	second: TestServer;
	alice: SessionClient;
	/** A request to the second server with Alice's session (JSON unless `init` says otherwise). */
	onSecond(path: string, init?: RequestInit): Promise<Response>;
	stop(): Promise<void>;
}

/**
 * Starts two servers sharing `redisUrl` and the first one's database, each with its own extra
 * settings; `entry` as in `startServer` (`'ws'` for the WebSocket chat).
 */
export async function startServerPair(
	redisUrl: string,
	env: { first?: Record<string, string>; second?: Record<string, string> } = {},
	options: { entry?: 'build' | 'ws' } = {}
): Promise<ServerPair> {
	const first = await startServer({ REDIS_URL: redisUrl, ...env.first }, options);
	const second = await startServer({ REDIS_URL: redisUrl, DATABASE_URL: first.databaseUrl, ...env.second }, options);
	const alice = await signUp(first.baseURL, 'alice@example.com');
	return {
		first,
		second,
		alice,
		onSecond: (path, init = {}) =>
			fetch(`${second.baseURL}${path}`, {
				...init,
				headers: {
					'content-type': 'application/json',
					...(init.headers as Record<string, string>),
					cookie: alice.cookie,
					origin: second.baseURL
				}
			}),
		async stop() {
			await second.stop();
			await first.stop();
		}
	};
}
