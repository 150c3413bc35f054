import { ToolError } from '../tools/tool-error';
import {
	connectMcp,
	McpCallError,
	errorMessage,
	type McpClientLimits,
	type McpConnection,
	type McpConnectionEvents,
	type McpServerEndpoint
} from './client';

/**
 * The process's connections to MCP servers, one per server (one per server and user for an OAuth
 * server whose users sign in each), made on first use and kept. A
 * connection that fails is dropped and made again on the next use — at once the first time (a
 * restarted server is back for the very next call), then after a backoff that doubles from 1 s up
 * to 60 s, so a server that stays down is not hammered; within the backoff, calls fail at once
 * with the last error. A call that fails on a kept connection (its session ended, the server
 * restarted) is tried once more on a fresh one.
 */

/** A server to connect to; a changed `fingerprint` (new URL, headers, hosts) makes a new connection. */
export interface McpTarget {
	id: number;
	name: string;
	fingerprint: string;
	endpoint: McpServerEndpoint;
	/** Which connection of the server: {@link connectionKey} (by default the server's own). */
	key?: string;
}

interface Entry {
	fingerprint: string;
	connection?: Promise<McpConnection>;
	failures: number;
	retryAt: number;
	lastError?: string;
}

const entries = new Map<string, Entry>();

/** The key of a server's connection: the server's id, with the user's for a per-user OAuth sign-in. */
export function connectionKey(serverId: number, userId?: string | null): string {
	return userId ? `${serverId}:${userId}` : String(serverId);
}

function keyOf(target: McpTarget): string {
	return target.key ?? connectionKey(target.id);
}

/** The wait before connecting again after `failures` failures in a row. */
export function backoffMs(failures: number): number {
	return failures <= 1 ? 0 : Math.min(1000 * 2 ** (failures - 2), 60_000);
}

/** JSON-RPC codes of the SDK's own failures: the connection closed (-32000), a request timed out (-32001). */
const CONNECTION_CODES = new Set([-32000, -32001]);

/** Whether an error says the connection is broken (as opposed to the server answering with an error). */
export function isConnectionFailure(error: unknown): boolean {
	if (error instanceof McpCallError) return false;
	if (error instanceof Error && error.name === 'McpError' && 'code' in error && typeof error.code === 'number') {
		return CONNECTION_CODES.has(error.code);
	}
	return true;
}

/**
 * Closes and forgets a server's connections (after it is changed or deleted, or to refresh it):
 * all of them, or with `userId` only that one (null: the shared one).
 */
export async function forgetConnection(id: number, userId?: string | null): Promise<void> {
	const keys =
		userId === undefined
			? [...entries.keys()].filter((key) => key === String(id) || key.startsWith(`${id}:`))
			: [connectionKey(id, userId)];
	await Promise.all(keys.map(forgetEntry));
}

async function forgetEntry(key: string): Promise<void> {
	const entry = entries.get(key);
	entries.delete(key);
	const connection = await entry?.connection?.catch(() => undefined);
	await connection?.close();
}

/** Closes every connection (tests, shutdown). */
export async function closeAllConnections(): Promise<void> {
	await Promise.all([...entries.keys()].map(forgetEntry));
}

function entryOf(target: McpTarget): Entry {
	const key = keyOf(target);
	let entry = entries.get(key);
	if (!entry || entry.fingerprint !== target.fingerprint) {
		if (entry) void forgetEntry(key);
		entry = { fingerprint: target.fingerprint, failures: 0, retryAt: 0 };
		entries.set(key, entry);
	}
	return entry;
}

/** The kept connection of a server, or a new one (within the backoff, the last error). */
function connectionOf(target: McpTarget, entry: Entry, limits: McpClientLimits, events: McpConnectionEvents): Promise<McpConnection> {
	if (entry.connection) return entry.connection;
	const waitMs = entry.retryAt - Date.now();
	if (waitMs > 0) {
		throw new ToolError(
			`The MCP server "${target.name}" is failing (${entry.lastError ?? 'unknown error'}); it is tried again in ${Math.ceil(waitMs / 1000)} s.`
		);
	}
	const connection = connectMcp(target.endpoint, limits, {
		onToolsChanged: events.onToolsChanged,
		onClosed: (error) => {
			if (entries.get(keyOf(target)) === entry && entry.connection === connection) entry.connection = undefined;
			events.onClosed?.(error);
		}
	});
	entry.connection = connection;
	connection.catch(() => {
		if (entry.connection === connection) entry.connection = undefined;
	});
	return connection;
}

function recordFailure(entry: Entry, error: unknown): void {
	entry.failures += 1;
	entry.retryAt = Date.now() + backoffMs(entry.failures);
	entry.lastError = errorMessage(error);
}

/**
 * Runs `use` with the server's connection. A broken connection is dropped; when it was a kept one,
 * `use` runs once more on a new connection. Errors the server answered with pass through as they are.
 */
export async function withMcpConnection<T>(
	target: McpTarget,
	limits: McpClientLimits,
	events: McpConnectionEvents,
	use: (connection: McpConnection) => Promise<T>
): Promise<T> {
	const entry = entryOf(target);
	const reused = entry.connection !== undefined;
	for (let attempt = 0; ; attempt++) {
		let connection: McpConnection;
		try {
			connection = await connectionOf(target, entry, limits, events);
		} catch (error) {
			if (!(error instanceof ToolError && error.message.startsWith(`The MCP server "${target.name}" is failing`))) {
				recordFailure(entry, error);
			}
			throw error;
		}
		try {
			const result = await use(connection);
			entry.failures = 0;
			entry.retryAt = 0;
			return result;
		} catch (error) {
			if (!isConnectionFailure(error)) throw error;
			if (entry.connection) {
				const broken = entry.connection;
				entry.connection = undefined;
				void broken.then((open) => open.close()).catch(() => {});
			}
			if (reused && attempt === 0) continue;
			recordFailure(entry, error);
			throw error;
		}
	}
}
