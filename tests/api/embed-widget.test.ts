/**
 * What the embeddable `<parley-chat>` needs from the built server: `/widget.js` itself (within
 * its size budget), and the anonymous chat it drives from another site, under `CORS_ORIGINS`.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { agents } from '../../src/lib/server/db/schema';
import { startServer, type TestServer } from '../support/server';

/** The widget's budget, gzipped. */
const MAX_GZIPPED_BYTES = 60 * 1024;
const SITE = 'http://shop.example.com';
const OTHER_SITE = 'http://elsewhere.example.com';

let server: TestServer;
let db: Db;

beforeAll(async () => {
	server = await startServer({ MOCK_TOKEN_DELAY_MS: '1', CORS_ORIGINS: `${SITE}, https://second.example.com/` });
	db = await openDatabase({ url: server.databaseUrl });
	await db.insert(agents).values({ slug: 'front-desk', name: 'Front desk', model: 'mock:offline', visibility: 'public' });
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

/** A chat request as the widget sends it: the last message only, the agent by slug, no cookies. */
function chat(body: { id: string; text: string; agent: string }, headers: Record<string, string> = {}) {
	return fetch(`${server.baseURL}/api/chat`, {
		method: 'POST',
		headers: { origin: SITE, 'content-type': 'application/json', ...headers },
		body: JSON.stringify({
			id: body.id,
			messages: [{ id: `msg_${crypto.randomUUID()}`, role: 'user', parts: [{ type: 'text', text: body.text }] }],
			trigger: 'submit-message',
			agentId: body.agent
		})
	});
}

describe('GET /widget.js', () => {
	it('serves the custom element script, under its size budget gzipped', async () => {
		const response = await fetch(`${server.baseURL}/widget.js`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/javascript/);
		const script = Buffer.from(await response.arrayBuffer());
		expect(script.toString('utf8')).toContain('parley-chat');
		const gzipped = gzipSync(script, { level: 9 }).byteLength;
		expect(gzipped).toBeGreaterThan(5_000);
		expect(gzipped).toBeLessThan(MAX_GZIPPED_BYTES);
	});

	it('is cached for minutes by the production server (npm start), and revalidated by its ETag', async () => {
		const production = await startServer({}, { entry: 'ws' });
		try {
			const response = await fetch(`${production.baseURL}/widget.js`);
			expect(response.status).toBe(200);
			expect(response.headers.get('cache-control')).toBe('public, max-age=300');
			const etag = response.headers.get('etag');
			expect(etag).toBeTruthy();
			await response.arrayBuffer();
			const again = await fetch(`${production.baseURL}/widget.js`, { headers: { 'if-none-match': etag ?? '' } });
			expect(again.status).toBe(304);
			// Other files keep their own rules.
			expect((await fetch(`${production.baseURL}/favicon.svg`)).headers.get('cache-control')).not.toBe('public, max-age=300');
		} finally {
			await production.stop();
		}
	});
});

describe('the widget’s chat from another site', () => {
	it('answers the preflight of a listed origin, allowing the anonymous id header; others get no access', async () => {
		const preflight = (origin: string) =>
			fetch(`${server.baseURL}/api/chat`, {
				method: 'OPTIONS',
				headers: {
					origin,
					'access-control-request-method': 'POST',
					'access-control-request-headers': 'content-type, x-anonymous-id'
				}
			});
		const allowed = await preflight(SITE);
		expect(allowed.status).toBe(204);
		expect(allowed.headers.get('access-control-allow-origin')).toBe(SITE);
		expect(allowed.headers.get('access-control-allow-methods')).toContain('POST');
		expect(allowed.headers.get('access-control-allow-headers')).toContain('x-anonymous-id');
		// Listed with a trailing slash: normalised.
		expect((await preflight('https://second.example.com')).headers.get('access-control-allow-origin')).toBe('https://second.example.com');
		const refused = await preflight(OTHER_SITE);
		expect(refused.headers.get('access-control-allow-origin')).toBeNull();
	});

	it('chats with a public agent anonymously: a new id comes back (exposed to the page) and continues the task', async () => {
		const taskId = `chat_${crypto.randomUUID().slice(0, 12)}`;
		const first = await chat({ id: taskId, text: 'Hello from the shop', agent: 'front-desk' });
		expect(first.status).toBe(200);
		expect(first.headers.get('access-control-allow-origin')).toBe(SITE);
		expect(first.headers.get('access-control-expose-headers')).toContain('x-anonymous-id');
		const anonymousId = first.headers.get('x-anonymous-id');
		expect(anonymousId).toMatch(/^anon_/);
		const text = await first.text();
		expect(text).toContain('"type":"text-delta"');
		expect(text.trimEnd().endsWith('data: [DONE]')).toBe(true);

		const second = await chat({ id: taskId, text: 'And again', agent: 'front-desk' }, { 'x-anonymous-id': anonymousId ?? '' });
		expect(second.status).toBe(200);
		expect(second.headers.get('x-anonymous-id')).toBeNull();
		await second.text();

		// The history the widget loads after a reload: both exchanges, for that id only.
		const history = await fetch(`${server.baseURL}/api/teams/tasks/front-desk/${taskId}`, {
			headers: { origin: SITE, 'x-anonymous-id': anonymousId ?? '' }
		});
		expect(history.status).toBe(200);
		expect(history.headers.get('access-control-allow-origin')).toBe(SITE);
		const task = await history.json();
		expect(task.content.map((turn: { request: { text: string } }) => turn.request.text)).toEqual(['Hello from the shop', 'And again']);
		expect(task.content[1].response.text).toContain('You said:');
		const stranger = await fetch(`${server.baseURL}/api/teams/tasks/front-desk/${taskId}`, {
			headers: { 'x-anonymous-id': 'anon_somebody-else' }
		});
		expect(stranger.status).toBe(404);
	});

	it('refuses an agent that is not public with 401, readable by the page', async () => {
		const response = await chat({ id: `chat_${crypto.randomUUID().slice(0, 12)}`, text: 'Hi', agent: 'assistant' });
		expect(response.status).toBe(401);
		expect(response.headers.get('access-control-allow-origin')).toBe(SITE);
		expect(await response.json()).toMatchObject({ error: { code: 'unauthorized' } });
	});

	it('tells the widget up front whether an agent answers anonymous callers', async () => {
		const open = await fetch(`${server.baseURL}/v1/models/front-desk`, { headers: { origin: SITE } });
		expect(open.status).toBe(200);
		expect(open.headers.get('access-control-allow-origin')).toBe(SITE);
		expect((await fetch(`${server.baseURL}/v1/models/assistant`, { headers: { origin: SITE } })).status).toBe(401);
		expect((await fetch(`${server.baseURL}/v1/models/no-such-agent`, { headers: { origin: SITE } })).status).toBe(404);
	});
});
