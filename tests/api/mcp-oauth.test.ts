import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { mcpOauthGrants, mcpServers, users } from '../../src/lib/server/db/schema';
import { startMcpOauthTestServer, type McpOauthTestServer } from '../support/mcp-oauth/server';
import { startServer, type TestServer } from '../support/server';
import { signUp, type SessionClient } from '../support/session';

/** OAuth sign-in to MCP servers: shared and per-user connections, refreshes, failures. */

let server: TestServer;
let oauth: McpOauthTestServer;
/** The first account, hence an admin. */
let admin: SessionClient;
let bob: SessionClient;
let db: Db;
let adminKey: string;
let bobKey: string;

beforeAll(async () => {
	oauth = await startMcpOauthTestServer();
	server = await startServer({ MOCK_TOKEN_DELAY_MS: '0', MCP_TOOL_TIMEOUT_MS: '5000' });
	admin = await signUp(server.baseURL, 'admin@example.com');
	bob = await signUp(server.baseURL, 'bob@example.com');
	db = await openDatabase({ url: server.databaseUrl });
	const idOf = async (email: string) => (await db.select().from(users).where(eq(users.email, email)))[0].id;
	adminKey = (await createApiKey(db, await idOf('admin@example.com'), 'oauth tests')).key;
	bobKey = (await createApiKey(db, await idOf('bob@example.com'), 'oauth tests')).key;
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
	await oauth?.stop();
});

/** A JSON call by a session client. */
async function call(client: SessionClient, method: string, path: string, body?: unknown) {
	const response = await client.fetch(path, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const text = await response.text();
	return { status: response.status, text, body: text ? JSON.parse(text) : null };
}

/** Runs an agent on a message with an API key and returns the JSON answer. */
async function chat(key: string, agent: string, message: string) {
	const response = await fetch(`${server.baseURL}/api/agent/chat/`, {
		method: 'POST',
		headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
		body: JSON.stringify({ message, agent_id: agent })
	});
	expect(response.status).toBe(200);
	return (await response.json()) as { status: string; text: string };
}

/** Starts a sign-in and goes to the authorization server, which answers at once: the callback URL it sends back to. */
async function authorize(client: SessionClient, serverId: number, returnTo?: string): Promise<URL> {
	const started = await call(client, 'POST', `/api/mcp-servers/${serverId}/oauth/start`, returnTo ? { return_to: returnTo } : {});
	expect(started.status, started.text).toBe(200);
	const answer = await fetch(started.body.authorization_url, { redirect: 'manual' });
	expect(answer.status).toBe(302);
	const callback = new URL(answer.headers.get('location') ?? '');
	expect(`${callback.origin}${callback.pathname}`).toBe(`${server.baseURL}/api/mcp-servers/oauth/callback`);
	return callback;
}

/** Opens a callback URL as the person's browser would. */
function openCallback(client: SessionClient, callback: URL) {
	return client.fetch(`${callback.pathname}${callback.search}`, { headers: { accept: 'text/html' }, redirect: 'manual' });
}

/** Signs in all the way: start, authorization server, callback; returns where the callback sent the person. */
async function signIn(client: SessionClient, serverId: number, returnTo?: string): Promise<string | null> {
	const response = await openCallback(client, await authorize(client, serverId, returnTo));
	expect(response.status, await response.clone().text()).toBe(303);
	return response.headers.get('location');
}

interface ServerResource {
	id: number;
	name: string;
	auth: string;
	oauth_connection: string;
	signed_in: boolean | null;
	status: string;
	last_error: string | null;
	tools: { name: string; tool_id: number | null; tool_name: string | null }[];
}

async function getServer(client: SessionClient, id: number): Promise<ServerResource> {
	return (await call(client, 'GET', `/api/mcp-servers/${id}`)).body;
}

let shared: ServerResource;

describe('a shared OAuth connection', () => {
	it('is saved as needing sign-in until an admin signs in', async () => {
		const created = await call(admin, 'POST', '/api/mcp-servers/', {
			name: 'guarded',
			url: oauth.url,
			auth: 'oauth',
			oauth_scope: 'tools:read tools:call',
			allowed_hosts: ['127.0.0.1']
		});
		expect(created.status, created.text).toBe(201);
		shared = created.body;
		expect(shared).toMatchObject({ auth: 'oauth', oauth_connection: 'shared', signed_in: false, status: 'needs_sign_in', tools: [] });
		expect(shared.last_error).toMatch(/admin/i);
		expect(oauth.counts.mcpRequests).toBe(0);
	});

	it('signs in (discovery, dynamic registration, PKCE, resource indicator) and lists the tools', async () => {
		const back = await signIn(admin, shared.id);
		expect(back).toBe('/admin/mcp-servers');
		expect(oauth.counts).toMatchObject({ registrations: 1, authorizations: 1, codeExchanges: 1 });
		expect(oauth.resources.at(-1)).toBe(oauth.url);
		expect(oauth.scopes.at(-1)).toBe('tools:read tools:call');
		shared = await getServer(admin, shared.id);
		expect(shared).toMatchObject({ status: 'connected', signed_in: true, last_error: null });
		expect(shared.tools.map((tool) => tool.name)).toEqual(['echo']);
		// The tokens and the registered client are sealed at rest.
		const [grant] = await db.select().from(mcpOauthGrants).where(eq(mcpOauthGrants.serverId, shared.id));
		expect(grant).toMatchObject({ userId: null, status: 'connected', pending: null, pendingState: null });
		expect(grant.tokens).toMatch(/^v1\./);
		expect(grant.tokens).not.toContain('at_');
		const [row] = await db.select().from(mcpServers).where(eq(mcpServers.id, shared.id));
		expect(row.oauthClient).toMatch(/^v1\./);
	});

	it('an agent calls its tool with the shared sign-in', async () => {
		const tool = shared.tools[0];
		const created = await call(admin, 'POST', '/api/agents/', {
			slug: 'oauth-shared',
			name: 'OAuth shared',
			model: 'mock:offline',
			tools: [tool.tool_id]
		});
		expect(created.status, created.text).toBe(201);
		const answer = await chat(bobKey, 'oauth-shared', `${tool.tool_name} text="hi"`);
		expect(answer.text).toContain(`The ${tool.tool_name} tool returned: echo: hi`);
	});

	it('renews the tokens on a 401 and shortly before they expire, without signing in again', async () => {
		const tool = shared.tools[0];
		oauth.setAccessTokenLifetime(30);
		oauth.expireAccessTokens();
		const before = oauth.counts.refreshes;
		// The server refuses the old token: the SDK's transport renews it and sends the call again.
		expect((await chat(adminKey, 'oauth-shared', `${tool.tool_name} text="after 401"`)).text).toContain('echo: after 401');
		expect(oauth.counts.refreshes).toBe(before + 1);
		// The new token expires within a minute: the next call renews it first.
		expect((await chat(adminKey, 'oauth-shared', `${tool.tool_name} text="early"`)).text).toContain('echo: early');
		expect(oauth.counts.refreshes).toBe(before + 2);
		expect(oauth.counts.authorizations).toBe(1);
		expect(await getServer(admin, shared.id)).toMatchObject({ status: 'connected', signed_in: true });
		oauth.setAccessTokenLifetime(3600);
	});

	it('a refresh that fails marks the connection needs_sign_in and the call a clear tool error', async () => {
		const tool = shared.tools[0];
		// A token far from expiry: the server's 401 is what finds out (a renewal before expiry is refused the same way).
		expect((await chat(adminKey, 'oauth-shared', `${tool.tool_name} text="fresh"`)).text).toContain('echo: fresh');
		oauth.revokeRefreshTokens();
		oauth.expireAccessTokens();
		const answer = await chat(adminKey, 'oauth-shared', `${tool.tool_name} text="revoked"`);
		expect(answer.status).toBe('completed');
		expect(answer.text).toContain(`The ${tool.tool_name} tool failed`);
		expect(answer.text).toContain('needs an admin to sign in');
		expect(answer.text).toContain(`[mcp-sign-in server=${shared.id} connection=shared]`);
		const after = await getServer(admin, shared.id);
		expect(after).toMatchObject({ status: 'needs_sign_in', signed_in: false });
		expect(after.last_error).toMatch(/could not be renewed|refused/);
		// The next call fails at once, saying the same, without asking the server.
		const requests = oauth.counts.mcpRequests;
		const again = await chat(adminKey, 'oauth-shared', `${tool.tool_name} text="still"`);
		expect(again.text).toContain('needs an admin to sign in');
		expect(oauth.counts.mcpRequests).toBe(requests);
		// Signing in again brings it back.
		await signIn(admin, shared.id);
		expect((await chat(adminKey, 'oauth-shared', `${tool.tool_name} text="back"`)).text).toContain('echo: back');
	});

	it('is in the OpenAPI document', async () => {
		const document = await (await fetch(`${server.baseURL}/openapi.json`)).json();
		expect(Object.keys(document.paths)).toEqual(
			expect.arrayContaining(['/api/mcp-servers/{id}/oauth/start/', '/api/mcp-servers/oauth/callback'])
		);
		expect(JSON.stringify(document.components.schemas.McpServerInput)).toContain('oauth_client_secret');
		expect(JSON.stringify(document.components.schemas.McpServer)).not.toContain('oauth_client_secret');
	});

	it('only an admin starts the shared sign-in', async () => {
		const refused = await call(bob, 'POST', `/api/mcp-servers/${shared.id}/oauth/start`, {});
		expect(refused.status).toBe(403);
	});
});

describe('sign-in failures', () => {
	it('a denied sign-in shows why and keeps the connection as it was', async () => {
		oauth.setDeny(true);
		try {
			const callback = await authorize(admin, shared.id);
			expect(callback.searchParams.get('error')).toBe('access_denied');
			const page = await openCallback(admin, callback);
			expect(page.status).toBe(200);
			const html = await page.text();
			expect(html).toContain('The sign-in was denied at the MCP server');
			expect(html).toContain('href="/admin/mcp-servers"');
		} finally {
			oauth.setDeny(false);
		}
		expect(await getServer(admin, shared.id)).toMatchObject({ signed_in: true });
	});

	it('an unknown state is refused', async () => {
		const page = await admin.fetch('/api/mcp-servers/oauth/callback?code=abc&state=nope', { headers: { accept: 'text/html' } });
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('This sign-in is unknown or was already used');
	});

	it('another person’s sign-in is refused, and its owner can still finish it', async () => {
		const callback = await authorize(admin, shared.id);
		const stolen = await openCallback(bob, callback);
		expect(stolen.status).toBe(200);
		expect(await stolen.text()).toContain('started by someone else');
		const own = await openCallback(admin, callback);
		expect(own.status).toBe(303);
	});

	it('a sign-in older than MCP_OAUTH_SIGN_IN_TIMEOUT_MS has expired', async () => {
		const callback = await authorize(admin, shared.id);
		await db
			.update(mcpOauthGrants)
			.set({ pendingAt: new Date(Date.now() - 11 * 60_000) })
			.where(eq(mcpOauthGrants.pendingState, callback.searchParams.get('state') ?? ''));
		const page = await openCallback(admin, callback);
		expect(page.status).toBe(200);
		expect(await page.text()).toContain('expired');
		// It was forgotten: the same answer again is unknown.
		expect(await (await openCallback(admin, callback)).text()).toContain('unknown or was already used');
	});

	it('answers bad input with a JSON 4xx', async () => {
		const headersServer = await call(admin, 'POST', '/api/mcp-servers/', { name: 'plain', url: oauth.url, allowed_hosts: ['127.0.0.1'] });
		expect(headersServer.status).toBe(201);
		expect(headersServer.body).toMatchObject({ auth: 'headers', signed_in: null, status: 'needs_sign_in' });
		const cases: [string, unknown, number, string][] = [
			[`/api/mcp-servers/${headersServer.body.id}/oauth/start`, {}, 400, 'id'],
			['/api/mcp-servers/999/oauth/start', {}, 404, 'id'],
			['/api/mcp-servers/abc/oauth/start', {}, 404, 'id'],
			[`/api/mcp-servers/${shared.id}/oauth/start`, { return_to: '/'.repeat(2001) }, 400, 'return_to'],
			[`/api/mcp-servers/${shared.id}/oauth/start`, { other: 1 }, 400, 'body'],
			['/api/mcp-servers/', { name: 'bad-auth', url: oauth.url, auth: 'magic' }, 400, 'auth'],
			['/api/mcp-servers/', { name: 'bad-conn', url: oauth.url, auth: 'oauth', oauth_connection: 'everyone' }, 400, 'oauth_connection'],
			['/api/mcp-servers/', { name: 'big-scope', url: oauth.url, auth: 'oauth', oauth_scope: 'x'.repeat(1001) }, 400, 'oauth_scope'],
			['/api/mcp-servers/', { name: 'big-id', url: oauth.url, auth: 'oauth', oauth_client_id: 'x'.repeat(501) }, 400, 'oauth_client_id'],
			[
				'/api/mcp-servers/',
				{ name: 'big-secret', url: oauth.url, auth: 'oauth', oauth_client_secret: 'x'.repeat(2001) },
				400,
				'oauth_client_secret'
			]
		];
		for (const [path, body, status, field] of cases) {
			const response = await call(admin, 'POST', path, body);
			expect(response.status, `${path} ${JSON.stringify(body).slice(0, 80)}`).toBe(status);
			if (field !== 'body') expect(response.body.error.field ?? '').toContain(field);
			else expect(response.body.error.message).toContain('other');
		}
		const huge = await call(admin, 'POST', `/api/mcp-servers/${shared.id}/oauth/start`, { return_to: 'x'.repeat(10_000) });
		expect(huge.status).toBe(413);
		const anonymous = await fetch(`${server.baseURL}/api/mcp-servers/${shared.id}/oauth/start`, {
			method: 'POST',
			headers: { 'content-type': 'application/json', origin: server.baseURL },
			body: '{}'
		});
		expect(anonymous.status).toBe(401);
		expect((await call(admin, 'DELETE', `/api/mcp-servers/${headersServer.body.id}`)).status).toBe(204);
	});
});

describe('per-user OAuth connections', () => {
	let perUser: ServerResource;
	let toolName: string;

	it('each person signs in with their own account (a pre-registered client)', async () => {
		const client = oauth.preRegister(`${server.baseURL}/api/mcp-servers/oauth/callback`);
		const created = await call(admin, 'POST', '/api/mcp-servers/', {
			name: 'mine',
			url: oauth.url,
			auth: 'oauth',
			oauth_connection: 'per_user',
			oauth_client_id: client.clientId,
			oauth_client_secret: client.clientSecret,
			allowed_hosts: ['127.0.0.1']
		});
		expect(created.status, created.text).toBe(201);
		expect(created.text).not.toContain(client.clientSecret);
		expect(created.body).toMatchObject({
			oauth_connection: 'per_user',
			oauth_client_id: client.clientId,
			status: 'needs_sign_in',
			signed_in: false
		});
		const registrations = oauth.counts.registrations;
		// The admin signs in for themself; that lists the tools.
		expect(await signIn(admin, created.body.id, '/chat/somewhere?x=1')).toBe('/chat/somewhere?x=1');
		expect(oauth.counts.registrations).toBe(registrations);
		perUser = await getServer(admin, created.body.id);
		expect(perUser).toMatchObject({ status: 'connected', signed_in: true });
		toolName = perUser.tools[0].tool_name ?? '';
		expect(toolName).toBe('mine_echo');
		const agent = await call(admin, 'POST', '/api/agents/', {
			slug: 'oauth-mine',
			name: 'OAuth per user',
			model: 'mock:offline',
			tools: [perUser.tools[0].tool_id]
		});
		expect(agent.status, agent.text).toBe(201);
	});

	it('a person who has not signed in gets a tool error asking them to connect; after signing in it works', async () => {
		expect((await chat(adminKey, 'oauth-mine', `${toolName} text="admin"`)).text).toContain('echo: admin');
		const refused = await chat(bobKey, 'oauth-mine', `${toolName} text="bob"`);
		expect(refused.text).toContain(`The ${toolName} tool failed`);
		expect(refused.text).toContain('needs you to connect your account');
		expect(refused.text).toContain(`[mcp-sign-in server=${perUser.id} connection=per_user]`);
		// Bob's missing sign-in says nothing about the server.
		expect(await getServer(admin, perUser.id)).toMatchObject({ status: 'connected' });

		// Bob signs in for himself (no admin needed), from a link the chat gives.
		const back = await bob.fetch(`/api/mcp-servers/${perUser.id}/oauth/start?return_to=${encodeURIComponent('/chat/t1')}`, {
			headers: { accept: 'text/html' },
			redirect: 'manual'
		});
		expect(back.status).toBe(303);
		const answer = await fetch(back.headers.get('location') ?? '', { redirect: 'manual' });
		const returned = await openCallback(bob, new URL(answer.headers.get('location') ?? ''));
		expect(returned.status).toBe(303);
		expect(returned.headers.get('location')).toBe('/chat/t1');
		expect((await chat(bobKey, 'oauth-mine', `${toolName} text="bob again"`)).text).toContain('echo: bob again');
		const grants = await db.select().from(mcpOauthGrants).where(eq(mcpOauthGrants.serverId, perUser.id));
		expect(grants).toHaveLength(2);
		expect(grants.every((grant) => grant.status === 'connected' && grant.userId !== null)).toBe(true);
	});

	it('a changed URL or client starts the sign-ins over', async () => {
		const patched = await call(admin, 'PATCH', `/api/mcp-servers/${perUser.id}`, { oauth_client_id: null });
		expect(patched.status).toBe(200);
		expect(patched.body).toMatchObject({ oauth_client_id: null, signed_in: false, status: 'needs_sign_in' });
		expect(await db.select().from(mcpOauthGrants).where(eq(mcpOauthGrants.serverId, perUser.id))).toEqual([]);
	});
});
