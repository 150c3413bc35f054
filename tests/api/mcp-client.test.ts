import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { mcpServers, users } from '../../src/lib/server/db/schema';
import { startMcpTestServer, type McpTestServer } from '../support/mcp-server/server';
import { startServer, type TestServer } from '../support/server';
import { signUp, type SessionClient } from '../support/session';
import { parseSse, type SseMessage } from '../support/streams';

/** Parley as an MCP client: admins add servers, agents call their tools. */

let server: TestServer;
let mcp: McpTestServer;
/** The first account, hence an admin. */
let admin: SessionClient;
let bob: SessionClient;
let db: Db;
let adminKey: string;

const SECRET = 'Bearer very-secret-token';

beforeAll(async () => {
	mcp = await startMcpTestServer();
	server = await startServer({ MOCK_TOKEN_DELAY_MS: '0', MCP_TOOL_TIMEOUT_MS: '1000' });
	admin = await signUp(server.baseURL, 'admin@example.com');
	bob = await signUp(server.baseURL, 'bob@example.com');
	db = await openDatabase({ url: server.databaseUrl });
	const [user] = await db.select().from(users).where(eq(users.email, 'admin@example.com'));
	adminKey = (await createApiKey(db, user.id, 'mcp client tests')).key;
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
	await mcp?.stop();
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

/** Sends JSON with the admin's API key. */
function withKey(path: string, body: unknown): Promise<Response> {
	return fetch(`${server.baseURL}${path}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
}

/** Runs the agent on a message and returns the JSON answer. */
async function chat(agent: string, message: string) {
	const response = await withKey('/api/agent/chat/', { message, agent_id: agent });
	expect(response.status).toBe(200);
	return response.json();
}

const named = (events: SseMessage[], name: string) => events.filter((event) => event.event === name);
const textOf = (events: SseMessage[]) =>
	named(events, 'text_delta')
		.map((event) => event.data.delta)
		.join('');

interface ServerResource {
	id: number;
	status: string;
	last_error: string | null;
	last_ok_at: string | null;
	header_names: string[];
	tools: { name: string; tool_id: number | null; tool_name: string | null; input_schema: Record<string, unknown> }[];
}

let local: ServerResource;
const toolId = (name: string) => local.tools.find((tool) => tool.name === name)?.tool_id;

describe('/api/mcp-servers/', () => {
	it('adds a server after testing it: connected, its tools listed, header values never returned', async () => {
		const created = await call(admin, 'POST', '/api/mcp-servers/', {
			name: 'local',
			url: mcp.url,
			headers: { Authorization: SECRET },
			allowed_hosts: ['127.0.0.1']
		});
		expect(created.status).toBe(201);
		local = created.body;
		expect(local).toMatchObject({
			name: 'local',
			transport: 'http',
			status: 'connected',
			last_error: null,
			header_names: ['Authorization']
		});
		expect(local.last_ok_at).toEqual(expect.any(String));
		expect(local.tools.map((tool) => tool.name)).toEqual(['echo', 'pixel', 'explode', 'manual', 'hang']);
		expect(local.tools[0].input_schema).toMatchObject({ type: 'object', properties: { text: { type: 'string' } } });
		expect(created.text).not.toContain('very-secret-token');
		// The MCP server got the header.
		expect(mcp.requests.some((headers) => headers.authorization === SECRET)).toBe(true);

		const listed = await call(admin, 'GET', '/api/mcp-servers/');
		expect(listed.body.map((item: ServerResource) => item.id)).toEqual([local.id]);
		expect(listed.text).not.toContain('very-secret-token');
		const one = await call(admin, 'GET', `/api/mcp-servers/${local.id}`);
		expect(one.body).toMatchObject({ id: local.id, status: 'connected' });
		// At rest the header value is sealed.
		const [row] = await db.select().from(mcpServers).where(eq(mcpServers.id, local.id));
		expect(row.secrets).toMatch(/^v1\./);
		expect(row.secrets).not.toContain('very-secret-token');
	});

	it('is for admins only', async () => {
		expect((await call(bob, 'GET', '/api/mcp-servers/')).status).toBe(403);
		expect((await call(bob, 'POST', '/api/mcp-servers/', { name: 'mine', url: mcp.url })).status).toBe(403);
		expect((await call(bob, 'POST', `/api/mcp-servers/${local.id}/refresh`)).status).toBe(403);
		expect((await call(bob, 'DELETE', `/api/mcp-servers/${local.id}`)).status).toBe(403);
	});

	it('answers bad input with 400 naming the field', async () => {
		const cases: [unknown, string][] = [
			[{ name: 'has space', url: mcp.url }, 'name'],
			[{ name: 'ftp', url: 'ftp://example.com/mcp' }, 'url'],
			[{ name: 'nourl' }, 'url'],
			[{ name: 'hdr', url: mcp.url, headers: { 'Bad Header': 'x' } }, 'headers'],
			[{ name: 'hosts', url: mcp.url, allowed_hosts: Array.from({ length: 21 }, (_, i) => `h${i}.example`) }, 'allowed_hosts']
		];
		for (const [body, field] of cases) {
			const response = await call(admin, 'POST', '/api/mcp-servers/', body);
			expect(response.status, JSON.stringify(body)).toBe(400);
			expect(response.body.error.field).toContain(field);
		}
		// stdio servers are off here (MCP_STDIO): refused, naming the setting.
		const stdio = await call(admin, 'POST', '/api/mcp-servers/', { name: 'cmd', transport: 'stdio', command: 'node' });
		expect(stdio.status).toBe(403);
		expect(stdio.body.error).toMatchObject({ field: 'transport', message: expect.stringContaining('MCP_STDIO') });
		const unknown = await call(admin, 'POST', '/api/mcp-servers/', { name: 'extra', url: mcp.url, token: 'x' });
		expect(unknown.status).toBe(400);
		expect(unknown.body.error.message).toContain('token');
		const malformed = await admin.fetch('/api/mcp-servers/', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: '{"oops'
		});
		expect(malformed.status).toBe(400);
		expect((await malformed.json()).error.field).toBe('body');
		const huge = await call(admin, 'POST', '/api/mcp-servers/', {
			name: 'huge',
			url: mcp.url,
			headers: { 'X-Big': 'x'.repeat(2_000_000) }
		});
		expect(huge.status).toBe(413);
		const taken = await call(admin, 'POST', '/api/mcp-servers/', { name: 'local', url: mcp.url });
		expect(taken.status).toBe(409);
		expect(taken.body.error.field).toBe('name');
		expect((await call(admin, 'GET', '/api/mcp-servers/999')).status).toBe(404);
	});

	it('refuses a private address outside the allowed hosts, saving the server as failing', async () => {
		const created = await call(admin, 'POST', '/api/mcp-servers/', { name: 'unlisted', url: mcp.url });
		expect(created.status).toBe(201);
		expect(created.body).toMatchObject({ status: 'failing', tools: [], last_ok_at: null });
		expect(created.body.last_error).toMatch(/Refused: 127\.0\.0\.1 is/);
		expect((await call(admin, 'DELETE', `/api/mcp-servers/${created.body.id}`)).status).toBe(204);
		expect((await call(admin, 'GET', `/api/mcp-servers/${created.body.id}`)).status).toBe(404);
	});

	it('changes a server, replacing its headers, and tests it again', async () => {
		const before = mcp.requests.length;
		const patched = await call(admin, 'PATCH', `/api/mcp-servers/${local.id}`, { headers: { 'X-Api-Key': 'second-secret' } });
		expect(patched.status).toBe(200);
		expect(patched.body).toMatchObject({ status: 'connected', header_names: ['X-Api-Key'] });
		expect(patched.text).not.toContain('second-secret');
		const sent = mcp.requests.slice(before);
		expect(sent.some((headers) => headers['x-api-key'] === 'second-secret')).toBe(true);
		// The old header is gone (only the old session's goodbye, a DELETE, still carries it).
		const withNewHeader = sent.filter((headers) => headers['x-api-key'] === 'second-secret');
		expect(withNewHeader.every((headers) => headers.authorization === undefined)).toBe(true);
		const bad = await call(admin, 'PATCH', `/api/mcp-servers/${local.id}`, { url: 'not a url' });
		expect(bad.status).toBe(400);
		expect(bad.body.error.field).toBe('url');
	});

	it('marks a server that refuses the credentials as needing sign-in, until the headers are right', async () => {
		const guarded = await startMcpTestServer({ token: 'right-token' });
		try {
			const created = await call(admin, 'POST', '/api/mcp-servers/', {
				name: 'guarded',
				url: guarded.url,
				headers: { Authorization: 'Bearer wrong-token' },
				allowed_hosts: ['127.0.0.1']
			});
			expect(created.status).toBe(201);
			expect(created.body).toMatchObject({ status: 'needs_sign_in', tools: [] });
			expect(created.body.last_error).toContain('refused the credentials (HTTP 401)');
			const fixed = await call(admin, 'PATCH', `/api/mcp-servers/${created.body.id}`, { headers: { Authorization: 'Bearer right-token' } });
			expect(fixed.body).toMatchObject({ status: 'connected', last_error: null });
			expect((fixed.body as ServerResource).tools.map((tool) => tool.tool_name)).toContain('guarded_echo');
			expect((await call(admin, 'DELETE', `/api/mcp-servers/${created.body.id}`)).status).toBe(204);
		} finally {
			await guarded.stop();
		}
	});

	it('is in the OpenAPI document', async () => {
		const document = await (await fetch(`${server.baseURL}/openapi.json`)).json();
		expect(Object.keys(document.paths)).toEqual(
			expect.arrayContaining(['/api/mcp-servers/', '/api/mcp-servers/{id}/', '/api/mcp-servers/{id}/refresh/'])
		);
	});
});

describe('MCP tools', () => {
	beforeAll(async () => {
		const created = await call(admin, 'POST', '/api/agents/', {
			slug: 'mcp-agent',
			name: 'MCP agent',
			model: 'mock:offline',
			tools: ['echo', 'pixel', 'explode', 'manual', 'hang'].map(toolId)
		});
		expect(created.status).toBe(201);
	});

	it('are tools of kind mcp in /api/tools, named after the MCP tool, naming their server', async () => {
		const tools = (await call(admin, 'GET', '/api/tools/')).body as { id: number; name: string; kind: string; description: string }[];
		const echo = tools.find((tool) => tool.id === toolId('echo'));
		expect(echo).toMatchObject({ name: 'echo', kind: 'mcp', config: { server: 'local', tool_name: 'echo' } });
		expect(echo?.description).toContain('Echoes the text back.');
		expect(echo?.description).toContain('MCP server "local"');
		// Its definition comes from the server: only requires_approval is Parley's.
		const renamed = await call(admin, 'PATCH', `/api/tools/${toolId('echo')}`, { name: 'shout' });
		expect(renamed.status).toBe(400);
		expect(renamed.body.error.field).toBe('name');
		const made = await call(admin, 'POST', '/api/tools/', { name: 'fake', kind: 'mcp' });
		expect(made.status).toBe(400);
		expect(made.body.error.field).toBe('kind');
	});

	it('an agent calls one and the answer quotes the result', async () => {
		const answer = await chat('mcp-agent', 'echo text="hi"');
		expect(answer.status).toBe('completed');
		expect(answer.text).toContain('The echo tool returned: echo: hi');
		// The stored call is titled with the server's name, for its card in the chat.
		const response = await admin.fetch(`/api/trpc/tasks.get?input=${encodeURIComponent(JSON.stringify({ id: answer.session_id }))}`);
		const messages: { parts: { type: string; title?: string }[] }[] = (await response.json()).result.data.messages;
		const part = messages.flatMap((message) => message.parts).find((item) => item.type === 'tool-echo');
		expect(part?.title).toBe('echo · MCP server "local"');
	});

	it('an image result reaches the model as image content', async () => {
		const answer = await chat('mcp-agent', 'pixel please');
		expect(answer.text).toContain('The pixel tool returned: Here is a pixel. [image-data]');
	});

	it('an embedded resource reaches the model as text', async () => {
		const answer = await chat('mcp-agent', 'manual please');
		expect(answer.text).toContain('The manual tool returned: Turn it off and on again.');
	});

	it('an isError result is a tool error the model sees', async () => {
		const answer = await chat('mcp-agent', 'explode now');
		expect(answer.status).toBe('completed');
		expect(answer.text).toContain('The explode tool failed');
		expect(answer.text).toContain('The explode tool blew up.');
	});

	it('a stopped server is a tool error and marks the server failing; after a restart a later call works', async () => {
		await mcp.stop();
		const down = await chat('mcp-agent', 'echo text="anyone"');
		expect(down.status).toBe('completed');
		expect(down.text).toContain('The echo tool failed');
		expect(down.text).toContain('MCP server "local" failed');
		const failing = (await call(admin, 'GET', `/api/mcp-servers/${local.id}`)).body as ServerResource;
		expect(failing.status).toBe('failing');
		expect(failing.last_error).toMatch(/ECONNREFUSED|connect/i);

		await mcp.restart();
		const back = await chat('mcp-agent', 'echo text="again"');
		expect(back.text).toContain('The echo tool returned: echo: again');
		expect((await call(admin, 'GET', `/api/mcp-servers/${local.id}`)).body).toMatchObject({ status: 'connected', last_error: null });
	});

	it('a call that runs out of MCP_TOOL_TIMEOUT_MS is a tool error and marks the server failing', async () => {
		const answer = await chat('mcp-agent', 'hang please');
		expect(answer.status).toBe('completed');
		expect(answer.text).toContain('The hang tool failed');
		expect(answer.text).toMatch(/timed out/i);
		expect((await call(admin, 'GET', `/api/mcp-servers/${local.id}`)).body).toMatchObject({ status: 'failing' });
		expect((await chat('mcp-agent', 'echo text="awake"')).text).toContain('The echo tool returned: echo: awake');
	});

	it('requires_approval on an MCP tool pauses the call for an answer', async () => {
		const patched = await call(admin, 'PATCH', `/api/tools/${toolId('echo')}`, { requires_approval: true });
		expect(patched.status).toBe(200);
		expect(patched.body.requires_approval).toBe(true);
		const paused = await chat('mcp-agent', 'echo text="careful"');
		expect(paused).toMatchObject({ status: 'requires_action', tool_calls: [{ name: 'echo', requires_approval: true }] });
		const response = await withKey('/api/agent/tool-output/', {
			session_id: paused.session_id,
			call_id: paused.tool_calls[0].call_id,
			output: { approved: true }
		});
		expect(response.status).toBe(200);
		expect(textOf(parseSse(await response.text()))).toContain('The echo tool returned: echo: careful');
		await call(admin, 'PATCH', `/api/tools/${toolId('echo')}`, { requires_approval: false });
	});

	it('follow the server’s tool list: list_changed and refresh add and remove tools', async () => {
		// A kept connection hears the change (the run above left one open).
		mcp.setBonus(true);
		await expect
			.poll(async () => ((await call(admin, 'GET', `/api/mcp-servers/${local.id}`)).body as ServerResource).tools.map((tool) => tool.name))
			.toContain('bonus');
		const tools = (await call(admin, 'GET', '/api/tools/')).body as { name: string; kind: string }[];
		expect(tools.find((tool) => tool.name === 'bonus')).toMatchObject({ kind: 'mcp' });

		mcp.setBonus(false);
		const refreshed = await call(admin, 'POST', `/api/mcp-servers/${local.id}/refresh`);
		expect(refreshed.status).toBe(200);
		expect((refreshed.body as ServerResource).tools.map((tool) => tool.name)).not.toContain('bonus');
		const after = (await call(admin, 'GET', '/api/tools/')).body as { name: string }[];
		expect(after.map((tool) => tool.name)).not.toContain('bonus');
	});

	it('a second server with a clashing tool name gets the server name as a prefix', async () => {
		const created = await call(admin, 'POST', '/api/mcp-servers/', { name: 'twin', url: mcp.url, allowed_hosts: ['127.0.0.1'] });
		expect(created.status).toBe(201);
		const names = (created.body as ServerResource).tools.map((tool) => tool.tool_name);
		expect(names).toEqual(['twin_echo', 'twin_pixel', 'twin_explode', 'twin_manual', 'twin_hang']);
		expect((await call(admin, 'DELETE', `/api/mcp-servers/${created.body.id}`)).status).toBe(204);
		const tools = (await call(admin, 'GET', '/api/tools/')).body as { name: string }[];
		expect(tools.map((tool) => tool.name)).not.toContain('twin_echo');
	});
});
