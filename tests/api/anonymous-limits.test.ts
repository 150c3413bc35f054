/**
 * Limits on anonymous callers, who choose their own ids: streaming requests and new tasks per
 * client address, with `X-Forwarded-For` read only behind `TRUSTED_PROXY`, on every face, and
 * shared between processes through Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { agents } from '../../src/lib/server/db/schema';
import { startRedis, type TestRedis } from '../support/redis';
import { startServerPair, type ServerPair } from '../support/server-pair';
import { startServer, type TestServer } from '../support/server';
import { signUp } from '../support/session';

/** An anonymous chat request to the public agent, as the embeddable widget sends it. */
function anonymousChat(baseURL: string, headers: Record<string, string> = {}) {
	return fetch(`${baseURL}/api/chat`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify({
			id: `task_${crypto.randomUUID()}`,
			messages: [{ id: `msg_${crypto.randomUUID()}`, role: 'user', parts: [{ type: 'text', text: 'Hello' }] }],
			trigger: 'submit-message',
			agentId: 'front-desk'
		})
	});
}

/** A status, reading the body so the connection is free again. */
async function statusOf(response: Response): Promise<number> {
	await response.text();
	return response.status;
}

async function addPublicAgent(server: TestServer): Promise<void> {
	const db: Db = await openDatabase({ url: server.databaseUrl });
	await db.insert(agents).values({ slug: 'front-desk', name: 'Front desk', model: 'mock:offline', visibility: 'public' });
	db.$client.close();
}

describe('a server with the default limits, not behind a proxy', () => {
	let server: TestServer;

	beforeAll(async () => {
		server = await startServer({ MOCK_TOKEN_DELAY_MS: '0' });
		await addPublicAgent(server);
	});
	afterAll(async () => {
		await server?.stop();
	});

	it('answers the 61st anonymous streaming request a minute from one address with 429, whatever ids and X-Forwarded-For it sends', async () => {
		const statuses: number[] = [];
		for (let i = 0; i < 60; i++) {
			// No X-Anonymous-Id: a fresh anonymous id each time; a forged X-Forwarded-For is ignored.
			statuses.push(await statusOf(await anonymousChat(server.baseURL, { 'x-forwarded-for': `198.51.100.${i}` })));
		}
		expect(statuses).toEqual(Array(60).fill(200));
		const limited = await anonymousChat(server.baseURL, { 'x-anonymous-id': 'anon_brand_new_id', 'x-forwarded-for': '203.0.113.1' });
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(60);
		expect((await limited.json()).error).toMatchObject({ code: 'rate_limited' });
	});

	it('keeps a signed-in user out of the anonymous per-address limit', async () => {
		const alice = await signUp(server.baseURL, 'alice@example.com');
		const response = await alice.fetch('/api/chat', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ id: 'task_alice_1', messages: [{ role: 'user', parts: [{ type: 'text', text: 'Hi' }] }] })
		});
		expect(await statusOf(response)).toBe(200);
	});
});

describe('a server behind one proxy (TRUSTED_PROXY=1)', () => {
	let server: TestServer;

	beforeAll(async () => {
		// The production entry, which serves the WebSocket chat too.
		server = await startServer(
			{
				MOCK_TOKEN_DELAY_MS: '0',
				TRUSTED_PROXY: '1',
				RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '3',
				ANONYMOUS_TASKS_PER_HOUR: '2'
			},
			{ entry: 'ws' }
		);
		await addPublicAgent(server);
	});
	afterAll(async () => {
		await server?.stop();
	});

	it('counts anonymous streaming requests per address that the proxy wrote last in X-Forwarded-For', async () => {
		// A streaming request that starts no task (a tool output for an unknown session: 404 once
		// counted), so that ANONYMOUS_TASKS_PER_HOUR stays out of the way.
		const streamingRequest = (forwardedFor: string) =>
			fetch(`${server.baseURL}/api/agent/tool-output`, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
				body: JSON.stringify({ session_id: 'no-such-session', call_id: 'call_1', output: 'x' })
			});
		const statuses: number[] = [];
		// The client wrote its own "addresses" first; the proxy appended the one it saw.
		for (let i = 0; i < 4; i++) statuses.push(await statusOf(await streamingRequest(`6.6.6.${i}, 10.0.1.1`)));
		expect(statuses).toEqual([404, 404, 404, 429]);
		// Other addresses are counted separately.
		expect(await statusOf(await streamingRequest('10.0.1.2'))).toBe(404);
		expect(await statusOf(await streamingRequest('6.6.6.6, 10.0.1.3'))).toBe(404);
	});

	it('limits new anonymous tasks per address on every face, with retry-after', async () => {
		const headers = { 'x-forwarded-for': '10.0.2.1' };
		expect(await statusOf(await anonymousChat(server.baseURL, headers))).toBe(200);
		const teamTask = (extra: Record<string, string>) => {
			const form = new FormData();
			form.set('id_team', 'team-limits');
			form.set('text', 'A question for the team');
			return fetch(`${server.baseURL}/api/teams/tasks/front-desk`, { method: 'POST', headers: extra, body: form });
		};
		expect(await statusOf(await teamTask(headers))).toBe(201);
		// The third task an hour from this address, on either face.
		const limited = await teamTask(headers);
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(59 * 60);
		expect((await limited.json()).error.message).toMatch(/Too many new conversations/);
		const chat = await anonymousChat(server.baseURL, headers);
		expect(chat.status).toBe(429);
		expect(Number(chat.headers.get('retry-after'))).toBeGreaterThan(0);
		await chat.text();
		// Another address can still start one.
		expect(await statusOf(await teamTask({ 'x-forwarded-for': '10.0.2.2' }))).toBe(201);
	});

	it('limits anonymous WebSocket callers by the address the proxy wrote, too', async () => {
		/** Opens an anonymous socket on the public agent, sends one message and reads the answer's last frame. */
		const ask = async (forwardedFor: string, anonymousId: string) => {
			const url = new URL('/ws/chat/', server.baseURL.replace('http:', 'ws:'));
			url.searchParams.set('agent', 'front-desk');
			url.searchParams.set('anonymous_id', anonymousId);
			const socket = new WebSocket(url, { headers: { 'x-forwarded-for': forwardedFor } });
			const last = new Promise<{ type: string; message: string; metadata: { code?: string } }>((resolve, reject) => {
				socket.on('message', (data) => {
					const frame = JSON.parse(data.toString());
					if (frame.type === 'message' || frame.type === 'error') resolve(frame);
				});
				socket.on('close', () => reject(new Error('closed before the answer')));
			});
			socket.on('open', () => socket.send(JSON.stringify({ type: 'message', message: 'Hello' })));
			try {
				return await last;
			} finally {
				socket.close();
			}
		};
		// Each socket starts a task: two an hour from one address (whatever the ids), then refused.
		expect((await ask('6.6.6.1, 10.0.5.1', 'anon_ws_first_1')).type).toBe('message');
		expect((await ask('6.6.6.2, 10.0.5.1', 'anon_ws_second_2')).type).toBe('message');
		const refused = await ask('6.6.6.3, 10.0.5.1', 'anon_ws_third_3');
		expect(refused).toMatchObject({ type: 'error', metadata: { code: 'rate_limited' } });
		expect(refused.message).toMatch(/Too many new conversations/);
		expect((await ask('10.0.5.2', 'anon_ws_fourth_4')).type).toBe('message');
	});
});

const redis: TestRedis = await startRedis();
if ('reason' in redis) console.log(`Skipping the shared limits tests: ${redis.reason}.`);

describe.skipIf(!redis.url)('two server processes sharing REDIS_URL', () => {
	let pair: ServerPair;

	beforeAll(async () => {
		const settings = {
			MOCK_TOKEN_DELAY_MS: '0',
			TRUSTED_PROXY: '1',
			RATE_LIMIT_PER_ADDRESS_PER_MINUTE: '3'
		};
		pair = await startServerPair(redis.url ?? '', { first: settings, second: settings });
		await addPublicAgent(pair.first);
	}, 60_000);
	afterAll(async () => {
		await pair?.stop();
		if ('stop' in redis) await redis.stop();
	});

	it('share the count of anonymous streaming requests per address', async () => {
		const headers = { 'x-forwarded-for': '10.3.0.1' };
		expect(await statusOf(await anonymousChat(pair.first.baseURL, headers))).toBe(200);
		expect(await statusOf(await anonymousChat(pair.second.baseURL, headers))).toBe(200);
		expect(await statusOf(await anonymousChat(pair.first.baseURL, headers))).toBe(200);
		const limited = await anonymousChat(pair.second.baseURL, headers);
		expect(limited.status).toBe(429);
		expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
		await limited.text();
	});
});
