import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { openDatabase } from '../../src/lib/server/db';
import { users } from '../../src/lib/server/db/schema';
import { startMcpTestServer, type McpTestServer } from '../support/mcp-server/server';
import { startServer, type TestServer } from '../support/server';
import { signUp, type SessionClient } from '../support/session';

/** Agents that use all the tools of an MCP server (`mcp_servers`): tools the server adds later join their runs. */

let server: TestServer;
let mcp: McpTestServer;
let admin: SessionClient;
let adminKey: string;

beforeAll(async () => {
	mcp = await startMcpTestServer();
	server = await startServer({ MOCK_TOKEN_DELAY_MS: '0' });
	admin = await signUp(server.baseURL, 'admin@example.com');
	const db = await openDatabase({ url: server.databaseUrl });
	const [user] = await db.select().from(users).where(eq(users.email, 'admin@example.com'));
	adminKey = (await createApiKey(db, user.id, 'agent servers tests')).key;
	db.$client.close();
});

afterAll(async () => {
	await server?.stop();
	await mcp?.stop();
});

async function call(method: string, path: string, body?: unknown) {
	const response = await admin.fetch(path, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});
	const text = await response.text();
	return { status: response.status, text, body: text ? JSON.parse(text) : null };
}

async function chat(agent: string, message: string) {
	const response = await fetch(`${server.baseURL}/api/agent/chat/`, {
		method: 'POST',
		headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
		body: JSON.stringify({ message, agent_id: agent })
	});
	expect(response.status).toBe(200);
	return response.json();
}

let serverId: number;

describe('agents using all tools of an MCP server', () => {
	it('attach a server by id, returned on read', async () => {
		const created = await call('POST', '/api/mcp-servers/', { name: 'local', url: mcp.url, allowed_hosts: ['127.0.0.1'] });
		expect(created.body.status).toBe('connected');
		serverId = created.body.id;
		const agent = await call('POST', '/api/agents/', {
			slug: 'whole',
			name: 'Whole server',
			model: 'mock:offline',
			mcp_servers: [serverId]
		});
		expect(agent.status, agent.text).toBe(201);
		expect(agent.body).toMatchObject({ tools: [], mcp_servers: [serverId] });
		expect((await call('GET', '/api/agents/whole')).body.mcp_servers).toEqual([serverId]);
		expect((await call('GET', '/api/agents/')).body.find((item: { slug: string }) => item.slug === 'whole').mcp_servers).toEqual([
			serverId
		]);
	});

	it('the agent calls the server’s tools without naming them', async () => {
		const answer = await chat('whole', 'echo text="whole server"');
		expect(answer.text).toContain('The echo tool returned: echo: whole server');
	});

	it('a tool the server adds after a refresh is used by the agent’s next run; one it drops is gone', async () => {
		const before = await chat('whole', 'bonus please');
		expect(before.text).not.toContain('The bonus tool returned');
		mcp.setBonus(true);
		const refreshed = await call('POST', `/api/mcp-servers/${serverId}/refresh`);
		expect(refreshed.body.tools.map((tool: { name: string }) => tool.name)).toContain('bonus');
		const after = await chat('whole', 'bonus please');
		expect(after.text).toContain('The bonus tool returned: bonus!');
		// The agent itself did not change.
		expect((await call('GET', '/api/agents/whole')).body).toMatchObject({ tools: [], mcp_servers: [serverId] });

		mcp.setBonus(false);
		await call('POST', `/api/mcp-servers/${serverId}/refresh`);
		expect((await chat('whole', 'bonus please')).text).not.toContain('The bonus tool returned');
	});

	it('keeps each tool’s requires_approval, and counts a tool attached both ways once', async () => {
		const echo = (await call('GET', `/api/mcp-servers/${serverId}`)).body.tools.find((tool: { name: string }) => tool.name === 'echo');
		expect((await call('PATCH', `/api/tools/${echo.tool_id}`, { requires_approval: true })).status).toBe(200);
		expect((await call('PATCH', '/api/agents/whole', { tools: [echo.tool_id] })).body).toMatchObject({
			tools: [echo.tool_id],
			mcp_servers: [serverId]
		});
		const paused = await chat('whole', 'echo text="careful"');
		expect(paused).toMatchObject({ status: 'requires_action', tool_calls: [{ name: 'echo', requires_approval: true }] });
		expect(paused.tool_calls).toHaveLength(1);
		await call('PATCH', `/api/tools/${echo.tool_id}`, { requires_approval: false });
	});

	it('refuses an unknown server with 422 naming it, and bad values with 400', async () => {
		const unknown = await call('PATCH', '/api/agents/whole', { mcp_servers: [serverId, 987654] });
		expect(unknown.status).toBe(422);
		expect(unknown.body.error).toMatchObject({ code: 'unprocessable', field: 'mcp_servers' });
		expect(unknown.body.error.message).toContain('987654');
		for (const value of ['local', [serverId, serverId], Array.from({ length: 101 }, (_, i) => i + 1), [-1]]) {
			const bad = await call('PATCH', '/api/agents/whole', { mcp_servers: value });
			expect(bad.status, JSON.stringify(value)).toBe(400);
			expect(bad.body.error.field).toContain('mcp_servers');
		}
		expect((await call('GET', '/api/agents/whole')).body.mcp_servers).toEqual([serverId]);
	});

	it('deleting the server takes it off the agent', async () => {
		expect((await call('DELETE', `/api/mcp-servers/${serverId}`)).status).toBe(204);
		expect((await call('GET', '/api/agents/whole')).body).toMatchObject({ tools: [], mcp_servers: [] });
	});

	it('is in the OpenAPI document', async () => {
		const document = await (await fetch(`${server.baseURL}/openapi.json`)).json();
		expect(document.components.schemas.Agent.properties).toHaveProperty('mcp_servers');
		expect(document.components.schemas.AgentInput.properties).toHaveProperty('mcp_servers');
		expect(document.paths['/api/agents/{id}/'].patch.responses).toHaveProperty('422');
	});
});
