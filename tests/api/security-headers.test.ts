/**
 * Security headers of the built production server (`npm start`): a Content-Security-Policy on
 * every kind of page, nosniff and a referrer policy everywhere, what other sites need to load
 * `/widget.js`; the origin check of cookie-authenticated requests; and HTTP tools' settings shown
 * to admins only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { signUpWithKey, type ApiUser } from '../support/api-user';
import { startFakeS3, type FakeS3 } from '../support/fake-s3';
import { startServer, type TestServer } from '../support/server';
import { signUp, type SessionClient } from '../support/session';

/** Where files live: presigned links point there, so pages may show images from it. */
let s3: FakeS3;
let server: TestServer;
let db: Db;
/** The first account, hence an admin. */
let admin: SessionClient;
/** A normal user, signed in and with an API key. */
let bob: ApiUser;

beforeAll(async () => {
	s3 = await startFakeS3();
	server = await startServer(s3.env(), { entry: 'ws' });
	db = await openDatabase({ url: server.databaseUrl });
	admin = await signUp(server.baseURL, 'admin@example.com');
	bob = await signUpWithKey(server.baseURL, db, 'bob@example.com', 'security header tests');
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
	await s3?.stop();
});

/** The directives of a Content-Security-Policy, by name. */
function directives(policy: string | null): Map<string, string[]> {
	const result = new Map<string, string[]>();
	for (const part of (policy ?? '').split(';')) {
		const [name, ...sources] = part.trim().split(/\s+/);
		if (name) result.set(name.toLowerCase(), sources);
	}
	return result;
}

/** Checks the headers every HTML page must have and returns its policy's directives. */
function expectPageHeaders(response: Response, path: string): Map<string, string[]> {
	expect(response.status, path).toBe(200);
	expect(response.headers.get('content-type'), path).toMatch(/^text\/html/);
	expect(response.headers.get('x-content-type-options'), path).toBe('nosniff');
	expect(response.headers.get('referrer-policy'), path).toBe('strict-origin-when-cross-origin');
	const policy = directives(response.headers.get('content-security-policy'));
	expect(policy.get('frame-ancestors'), path).toEqual(["'self'"]);
	const scripts = policy.get('script-src') ?? [];
	expect(scripts, path).toContain("'self'");
	expect(scripts, path).not.toContain("'unsafe-inline'");
	expect(scripts, path).not.toContain("'unsafe-eval'");
	expect(policy.get('object-src'), path).toEqual(["'none'"]);
	return policy;
}

describe('pages', () => {
	it('the start and login pages, signed out, have a policy with a fresh nonce for their scripts', async () => {
		const login = await fetch(`${server.baseURL}/login`);
		const policy = expectPageHeaders(login, '/login');
		const nonce = policy.get('script-src')?.find((source) => source.startsWith("'nonce-"));
		expect(nonce).toBeDefined();
		// The page's own inline script carries it; the next response has another.
		expect(await login.text()).toContain(`nonce="${nonce?.slice(7, -1)}"`);
		const again = directives((await fetch(`${server.baseURL}/login`)).headers.get('content-security-policy'));
		expect(again.get('script-src')).not.toContain(nonce);

		const start = await fetch(`${server.baseURL}/`, { redirect: 'manual' });
		expect([200, 303, 302, 307]).toContain(start.status);
		expect(start.headers.get('x-content-type-options')).toBe('nosniff');
	});

	it.each([
		'/',
		'/playground',
		'/tasks',
		'/settings',
		'/widget/demo',
		'/admin/agents',
		'/admin/tools',
		'/admin/tools/new',
		'/admin/templates',
		'/admin/users',
		'/admin/keys',
		'/admin/usage',
		'/admin/tasks'
	])('%s, signed in as an admin, has the policy, nosniff and the referrer policy', async (path) => {
		const policy = expectPageHeaders(await admin.fetch(path), path);
		expect(policy.get('script-src')?.some((source) => source.startsWith("'nonce-"))).toBe(true);
	});

	it('a chat page has the policy, and may show images and media from the file storage only', async () => {
		const taskId = `chat_${crypto.randomUUID().slice(0, 12)}`;
		const started = await bob.fetch('/api/chat', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				id: taskId,
				messages: [{ id: 'msg_1', role: 'user', parts: [{ type: 'text', text: 'Hello' }] }],
				trigger: 'submit-message'
			})
		});
		expect(started.status).toBe(200);
		await started.text();
		const policy = expectPageHeaders(await bob.fetch(`/chat/${taskId}`), '/chat');
		expect(policy.get('img-src')).toEqual(["'self'", 'data:', 'blob:', s3.endpoint]);
		expect(policy.get('media-src')).toEqual(["'self'", 'data:', 'blob:', s3.endpoint]);
		expect(policy.get('connect-src')).toEqual(["'self'", 'blob:']);
		expect(policy.get('default-src')).toEqual(["'self'"]);
	});

	it('a page that does not exist still has the policy', async () => {
		const response = await bob.fetch('/no-such-page');
		expect(response.status).toBe(404);
		expect(directives(response.headers.get('content-security-policy')).get('frame-ancestors')).toEqual(["'self'"]);
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
	});

	it.each(['/swagger', '/redoc'])('%s (HTML of an endpoint) has its own policy with no inline script', async (path) => {
		const response = await fetch(`${server.baseURL}${path}`);
		const policy = expectPageHeaders(response, path);
		expect(policy.get('script-src')).toEqual(["'self'"]);
		// Every script of the page comes from a file on this site.
		const html = await response.text();
		expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
		for (const [, src] of html.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) {
			const script = await fetch(new URL(src, server.baseURL));
			expect(script.status, src).toBe(200);
			expect(script.headers.get('content-type'), src).toMatch(/javascript/);
		}
	});
});

describe('/widget.js', () => {
	it('is served with what other sites need to load it', async () => {
		const response = await fetch(`${server.baseURL}/widget.js`, { headers: { origin: 'https://shop.example.com' } });
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toMatch(/^(text|application)\/javascript/);
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('access-control-allow-origin')).toBe('*');
		expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
		expect(response.headers.get('x-frame-options')).toBeNull();
		await response.arrayBuffer();
	});
});

describe('API responses', () => {
	it('have nosniff: JSON, errors and the health check', async () => {
		const agents = await bob.api('/api/agents/');
		expect(agents.status).toBe(200);
		expect(agents.headers.get('content-type')).toMatch(/^application\/json/);
		expect(agents.headers.get('x-content-type-options')).toBe('nosniff');
		expect(agents.headers.get('content-security-policy')).toBeNull();
		await agents.json();

		const unauthorized = await fetch(`${server.baseURL}/api/agents/`);
		expect(unauthorized.status).toBe(401);
		expect(unauthorized.headers.get('x-content-type-options')).toBe('nosniff');
		await unauthorized.json();

		const health = await fetch(`${server.baseURL}/health`);
		expect(health.headers.get('x-content-type-options')).toBe('nosniff');
		await health.arrayBuffer();
	});
});

describe('the origin check of cookie-authenticated requests', () => {
	/** Bob asks to create an agent from a page of `origin`: the status and the error's message. */
	async function createAgentFrom(origin: string): Promise<{ status: number; message: string }> {
		const response = await bob.fetch('/api/agents/', {
			method: 'POST',
			headers: { origin, 'content-type': 'application/json' },
			body: JSON.stringify({ slug: 'x', name: 'X' })
		});
		return { status: response.status, message: (await response.json()).error?.message ?? '' };
	}

	it('refuses the same host under https, or on another port; the site itself passes the check', async () => {
		const site = new URL(server.baseURL);
		for (const origin of [`https://${site.host}`, `http://${site.hostname}:${Number(site.port) + 1}`, 'http://evil.example']) {
			expect(await createAgentFrom(origin), origin).toEqual({ status: 403, message: expect.stringMatching(/Origin/) });
		}
		// Past the origin check, Bob is refused for not being an admin.
		expect(await createAgentFrom(server.baseURL)).toEqual({ status: 403, message: expect.stringMatching(/admin/i) });
	});
});

describe('HTTP tools’ settings', () => {
	const config = {
		url: 'https://inventory.internal.example/items/{{sku}}',
		method: 'GET',
		headers: { authorization: 'Bearer inventory-secret' },
		allowed_hosts: ['inventory.internal.example']
	};
	let toolId: number;

	beforeAll(async () => {
		const tool = await admin.fetch('/api/tools/', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				name: 'stock_level',
				kind: 'http',
				description: 'Stock of an item.',
				input_schema: { type: 'object', properties: { sku: { type: 'string' } }, required: ['sku'] },
				config
			})
		});
		expect(tool.status).toBe(201);
		toolId = (await tool.json()).id;
		const agent = await admin.fetch('/api/agents/', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ slug: 'stock', name: 'Stock', visibility: 'users', tools: [toolId] })
		});
		expect(agent.status).toBe(201);
		await agent.arrayBuffer();
	});

	it('are hidden from a normal user, by session and by API key, in the list and the tool itself', async () => {
		for (const list of [await bob.fetch('/api/tools/'), await bob.api('/api/tools/')]) {
			expect(list.status).toBe(200);
			const body: { id: number; config: unknown }[] = await list.json();
			const tool = body.find((item) => item.id === toolId);
			expect(tool).toMatchObject({ name: 'stock_level', kind: 'http', config: {} });
			expect(JSON.stringify(body)).not.toMatch(/inventory|Bearer/);
		}
		for (const one of [await bob.fetch(`/api/tools/${toolId}/`), await bob.api(`/api/tools/${toolId}`)]) {
			expect(one.status).toBe(200);
			const text = await one.text();
			expect(JSON.parse(text).config).toEqual({});
			expect(text).not.toMatch(/inventory|Bearer/);
		}
	});

	it('are shown to an admin', async () => {
		const one = await admin.fetch(`/api/tools/${toolId}/`);
		expect((await one.json()).config).toMatchObject(config);
		const list: { id: number; config: unknown }[] = await (await admin.fetch('/api/tools/')).json();
		expect(list.find((item) => item.id === toolId)?.config).toMatchObject(config);
	});
});
