/**
 * A tool of an MCP server in the chat: an admin adds the server, an agent has its tool, and the
 * call's card names the server, with the result in it and the answer quoting it.
 */
import { expect, request as apiRequest, test, type APIRequestContext } from '@playwright/test';
import { startMcpTestServer, type McpTestServer } from '../support/mcp-server/server';
import { adminEmail, adminPassword } from './pages/admin-page';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';
import { ToolCallCard } from './pages/tool-call-card';

const appOrigin = `http://127.0.0.1:${process.env.E2E_PORT ?? 4318}`;
const stamp = Date.now().toString(36);
const serverName = `docs-${stamp}`;
const agentSlug = `mcp-chat-${stamp}`;

let mcp: McpTestServer;
let admin: APIRequestContext;
let echoName: string;

test.beforeAll(async () => {
	mcp = await startMcpTestServer();
	admin = await apiRequest.newContext({ baseURL: appOrigin, extraHTTPHeaders: { origin: appOrigin } });
	const login = await admin.post('/login', {
		form: { email: adminEmail, password: adminPassword },
		headers: { accept: 'text/html' },
		maxRedirects: 0
	});
	expect(login.status()).toBe(303);
	const server = await admin.post('/api/mcp-servers/', { data: { name: serverName, url: mcp.url, allowed_hosts: ['127.0.0.1'] } });
	expect(server.status(), await server.text()).toBe(201);
	const body = (await server.json()) as { status: string; tools: { name: string; tool_id: number; tool_name: string }[] };
	expect(body.status).toBe('connected');
	const echo = body.tools.find((tool) => tool.name === 'echo');
	if (!echo) throw new Error('The MCP server has no echo tool.');
	echoName = echo.tool_name;
	const agent = await admin.post('/api/agents/', {
		data: { slug: agentSlug, name: 'MCP chat', model: 'mock:offline', tools: [echo.tool_id] }
	});
	expect(agent.status(), await agent.text()).toBe(201);
});

test.afterAll(async () => {
	await admin?.dispose();
	await mcp?.stop();
});

test('an MCP tool’s card names its server and shows the result the answer quotes', async ({ page }) => {
	await new AuthPage(page).signUp(`mcp-${Date.now()}@example.com`, 'correct horse battery');
	const chat = new ChatPage(page);
	await chat.pickAgent(agentSlug);
	await chat.send(`${echoName} text="from the chat"`);

	const card = new ToolCallCard(page, `${echoName} · MCP server "${serverName}"`);
	await expect(card.badge).toHaveText('Done');
	await expect(card.output).toContainText('echo: from the chat');
	await expect(chat.answers().first()).toContainText(`The ${echoName} tool returned: echo: from the chat`);

	// The stored call keeps its title.
	await chat.waitForIdle();
	await page.reload();
	await expect(card.badge).toHaveText('Done');
});
