import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startMcpTestServer, type McpTestServer } from '../../../../tests/support/mcp-server/server';
import { callMcpTool } from './client';
import {
	backoffMs,
	closeAllConnections,
	connectionKey,
	forgetConnection,
	isConnectionFailure,
	withMcpConnection,
	type McpTarget
} from './connections';

let mcp: McpTestServer;
let target: McpTarget;

beforeAll(async () => {
	mcp = await startMcpTestServer();
	target = { id: 1, name: 'local', fingerprint: 'a', endpoint: { url: mcp.url, headers: {}, allowedHosts: ['127.0.0.1'] } };
});

afterAll(async () => {
	await closeAllConnections();
	await mcp.stop();
});

const limits = { timeoutMs: 5000, maxBytes: 1024 * 1024 };
const echo = (text: string) => (connection: Parameters<Parameters<typeof withMcpConnection>[3]>[0]) =>
	callMcpTool(connection.client, 'echo', { text }, { timeoutMs: 5000, maxBytes: 10_000 });

describe('withMcpConnection', () => {
	it('backs off from the second failure in a row, doubling up to a minute', () => {
		expect([1, 2, 3, 4, 10].map(backoffMs)).toEqual([0, 1000, 2000, 4000, 60_000]);
	});

	it('keeps one connection, makes a new one after a restart, and backs off while the server stays down', async () => {
		expect(await withMcpConnection(target, limits, {}, echo('one'))).toMatchObject({ content: [{ type: 'text', text: 'echo: one' }] });
		const sessions = mcp.requests.filter((headers) => headers['mcp-session-id'] === undefined).length;
		expect(await withMcpConnection(target, limits, {}, echo('two'))).toMatchObject({ content: [{ type: 'text', text: 'echo: two' }] });
		// The second call used the kept connection: no new initialize.
		expect(mcp.requests.filter((headers) => headers['mcp-session-id'] === undefined).length).toBe(sessions);

		// A restart forgets the session: the kept connection fails once and a new one is made.
		await mcp.stop();
		await mcp.restart();
		expect(await withMcpConnection(target, limits, {}, echo('three'))).toMatchObject({ content: [{ type: 'text', text: 'echo: three' }] });

		await mcp.stop();
		// The clock stands still, so the backoff does not run out while this runs.
		vi.useFakeTimers({ toFake: ['Date'] });
		await expect(withMcpConnection(target, limits, {}, echo('four'))).rejects.toThrow(/ECONNREFUSED/);
		// The first failure is retried at once, the second starts the backoff.
		await expect(withMcpConnection(target, limits, {}, echo('five'))).rejects.toThrow(/ECONNREFUSED/);
		await expect(withMcpConnection(target, limits, {}, echo('six'))).rejects.toThrow(/is failing .*tried again in 1 s/);
		vi.useRealTimers();
		await mcp.restart();
		// A changed server (new fingerprint) starts afresh.
		const changed = { ...target, fingerprint: 'b' };
		expect(await withMcpConnection(changed, limits, {}, echo('seven'))).toMatchObject({ content: [{ type: 'text', text: 'echo: seven' }] });
	});

	it('keeps one connection per user of a per-user sign-in, forgotten one by one or all together', async () => {
		const initializes = () => mcp.requests.filter((headers) => headers['mcp-session-id'] === undefined).length;
		const of = (userId: string | null) => ({ ...target, id: 3, key: connectionKey(3, userId) });
		expect(connectionKey(3, null)).toBe('3');
		expect(connectionKey(3, 'u1')).toBe('3:u1');
		const start = initializes();
		await withMcpConnection(of('u1'), limits, {}, echo('a'));
		await withMcpConnection(of('u2'), limits, {}, echo('b'));
		await withMcpConnection(of('u1'), limits, {}, echo('c'));
		// One connection each, kept.
		expect(initializes()).toBe(start + 2);
		await forgetConnection(3, 'u1');
		await withMcpConnection(of('u1'), limits, {}, echo('d'));
		await withMcpConnection(of('u2'), limits, {}, echo('e'));
		expect(initializes()).toBe(start + 3);
		await forgetConnection(3);
		await withMcpConnection(of('u2'), limits, {}, echo('f'));
		expect(initializes()).toBe(start + 4);
	});

	it('times out a call that never answers, as a connection failure', async () => {
		const error = await withMcpConnection({ ...target, id: 2 }, limits, {}, (connection) =>
			callMcpTool(connection.client, 'hang', {}, { timeoutMs: 200, maxBytes: 10_000 })
		).catch((thrown: unknown) => thrown);
		expect(error).toBeInstanceOf(Error);
		expect((error as Error).message).toMatch(/timed out/i);
		expect(isConnectionFailure(error)).toBe(true);
	});
});
