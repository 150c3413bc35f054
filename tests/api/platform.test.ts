import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../support/server';
import { signUp, type SessionClient } from '../support/session';

let server: TestServer;
let alice: SessionClient;

beforeAll(async () => {
	server = await startServer({
		CORS_ORIGINS: 'https://app.example.com, https://other.example.com/',
		RATE_LIMIT_PER_MINUTE: '3',
		JSON_BODY_LIMIT: '2000'
	});
	alice = await signUp(server.baseURL, 'alice@example.com');
});

afterAll(async () => {
	await server?.stop();
});

const chatBody = (id: string, text = 'Hello') => JSON.stringify({ id, messages: [{ role: 'user', parts: [{ type: 'text', text }] }] });

describe('CORS', () => {
	it('answers a preflight from a listed origin, and exposes Parley’s headers on the response', async () => {
		const preflight = await fetch(`${server.baseURL}/api/chat`, {
			method: 'OPTIONS',
			headers: {
				origin: 'https://app.example.com',
				'access-control-request-method': 'POST',
				'access-control-request-headers': 'authorization, content-type'
			}
		});
		expect(preflight.status).toBe(204);
		expect(preflight.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
		expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');

		const health = await fetch(`${server.baseURL}/health`, { headers: { origin: 'https://other.example.com' } });
		expect(health.headers.get('access-control-allow-origin')).toBe('https://other.example.com');
		expect(health.headers.get('access-control-expose-headers')).toContain('x-anonymous-id');
	});

	it('gives other origins nothing', async () => {
		const preflight = await fetch(`${server.baseURL}/api/chat`, {
			method: 'OPTIONS',
			headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' }
		});
		expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
		const health = await fetch(`${server.baseURL}/health`, { headers: { origin: 'https://evil.example' } });
		expect(health.headers.get('access-control-allow-origin')).toBeNull();
	});
});

describe('limits', () => {
	it('answers 413 with a JSON error for a body over the JSON limit, storing nothing', async () => {
		const response = await alice.fetch('/api/chat', { method: 'POST', body: chatBody('task_toolarge', 'x'.repeat(3000)) });
		expect(response.status).toBe(413);
		expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large' } });
		const task = await alice.fetch(`/api/trpc/tasks.get?input=${encodeURIComponent(JSON.stringify({ id: 'task_toolarge' }))}`);
		expect(task.status).toBe(404);
	});

	it('answers 429 with retry-after once a caller passes its streaming requests a minute', async () => {
		const bob = await signUp(server.baseURL, 'bob@example.com');
		const statuses: number[] = [];
		for (let i = 0; i < 4; i++) {
			const response = await bob.fetch('/api/chat', { method: 'POST', body: chatBody(`task_rate_${i}xx`) });
			statuses.push(response.status);
			if (response.status === 429) {
				expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
				expect((await response.json()).error.code).toBe('rate_limited');
			} else {
				await response.text();
			}
		}
		expect(statuses).toEqual([200, 200, 200, 429]);
	});
});
