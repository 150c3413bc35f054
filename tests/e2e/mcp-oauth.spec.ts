/**
 * OAuth sign-in to MCP servers in the pages: an admin adds an OAuth server and signs in for the
 * shared connection from the admin page; a person whose per-user connection is not signed in sees
 * "Connect" on the failed call's card in the chat, signs in (the local authorization server
 * approves at once), comes back to the task, and the next call works.
 */
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, request as apiRequest, test, type APIRequestContext } from '@playwright/test';
import { startMcpOauthTestServer, type McpOauthTestServer } from '../support/mcp-oauth/server';
import { inEachScheme } from '../support/axe';
import { VIEWPORTS } from '../support/viewports';
import { adminEmail, adminPassword, loginAsAdmin } from './pages/admin-page';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';
import { gotoInteractive } from './pages/goto-interactive';
import { ToolCallCard } from './pages/tool-call-card';

const appOrigin = `http://127.0.0.1:${process.env.E2E_PORT ?? 4318}`;
const stamp = Date.now().toString(36);
const serverName = `mine-${stamp}`;
const agentSlug = `oauth-chat-${stamp}`;

let oauth: McpOauthTestServer;
let admin: APIRequestContext;
let toolName: string;

test.beforeAll(async () => {
	oauth = await startMcpOauthTestServer();
	admin = await apiRequest.newContext({ baseURL: appOrigin, extraHTTPHeaders: { origin: appOrigin } });
	const login = await admin.post('/login', {
		form: { email: adminEmail, password: adminPassword },
		headers: { accept: 'text/html' },
		maxRedirects: 0
	});
	expect(login.status()).toBe(303);
	const created = await admin.post('/api/mcp-servers/', {
		data: { name: serverName, url: oauth.url, auth: 'oauth', oauth_connection: 'per_user', allowed_hosts: ['127.0.0.1'] }
	});
	expect(created.status(), await created.text()).toBe(201);
	const { id } = (await created.json()) as { id: number };
	// The admin signs in with their own account, which lists the server's tools.
	const started = await admin.post(`/api/mcp-servers/${id}/oauth/start/`, { data: {} });
	expect(started.status(), await started.text()).toBe(200);
	const { authorization_url } = (await started.json()) as { authorization_url: string };
	const approved = await fetch(authorization_url, { redirect: 'manual' });
	const callback = new URL(approved.headers.get('location') ?? '');
	const back = await admin.get(`${callback.pathname}${callback.search}`, { headers: { accept: 'text/html' }, maxRedirects: 0 });
	expect(back.status()).toBe(303);
	const server = (await (await admin.get(`/api/mcp-servers/${id}`)).json()) as {
		status: string;
		tools: { name: string; tool_id: number; tool_name: string }[];
	};
	expect(server.status).toBe('connected');
	toolName = server.tools[0].tool_name;
	const agent = await admin.post('/api/agents/', {
		data: { slug: agentSlug, name: 'OAuth chat', model: 'mock:offline', tools: [server.tools[0].tool_id] }
	});
	expect(agent.status(), await agent.text()).toBe(201);
});

test.afterAll(async () => {
	await admin?.dispose();
	await oauth?.stop();
});

for (const viewport of VIEWPORTS) {
	test.describe(`on a ${viewport.name}`, () => {
		test.use({ viewport: { width: viewport.width, height: viewport.height } });

		test('a call that needs the person’s sign-in offers "Connect", which signs in and comes back to the task', async ({ page }) => {
			await new AuthPage(page).signUp(`oauth-${viewport.name}-${Date.now()}@example.com`, 'correct horse battery');
			const chat = new ChatPage(page);
			await chat.pickAgent(agentSlug);
			await chat.send(`${toolName} text="before"`);

			const card = new ToolCallCard(page, `${toolName} · MCP server "${serverName}"`);
			await expect(card.badge).toHaveText('Failed');
			await expect(card.root).toContainText('needs you to connect your account');
			// The mark for the card is not shown.
			await expect(card.root).not.toContainText('[mcp-sign-in');
			await chat.waitForIdle();
			await expect(page).toHaveURL(/\/chat\/[^/?]+$/);
			const taskUrl = page.url();
			await inEachScheme(page, async (scheme, violations) => {
				expect(await violations(), `serious accessibility violations, ${scheme}`).toEqual([]);
			});

			const authorizations = oauth.counts.authorizations;
			await card.root.getByRole('link', { name: 'Connect' }).click();
			await expect(page).toHaveURL(taskUrl);
			expect(oauth.counts.authorizations).toBe(authorizations + 1);

			await chat.send(`${toolName} text="after"`);
			const second = new ToolCallCard(page, `${toolName} · MCP server "${serverName}"`, 1);
			await expect(second.badge).toHaveText('Done');
			await expect(second.output).toContainText('echo: after');
			await expect(chat.answers().last()).toContainText(`The ${toolName} tool returned: echo: after`);
		});
	});
}

test('an admin adds an OAuth server, sees it needs sign-in, and signs in for everyone', async ({ page }) => {
	const name = `shared-${stamp}`;
	await loginAsAdmin(page);
	await gotoInteractive(page, '/admin/mcp-servers');
	const form = page.getByRole('region', { name: 'Add a server' });
	await form.getByLabel('Name', { exact: true }).fill(name);
	await form.getByLabel('URL (Streamable HTTP)').fill(oauth.url);
	await form.getByLabel(/^Private hosts allowed/).fill('127.0.0.1');
	await form.getByRole('radio', { name: 'OAuth' }).check();
	await expect(form.getByLabel('Connection')).toHaveValue('shared');
	await form.getByLabel(/^Scopes/).fill('tools:call');
	await form.getByRole('button', { name: 'Add and test' }).click();
	await expect(page.getByTestId('flash')).toContainText(`Added “${name}”.`);

	const server = page.locator(`[data-testid="mcp-server"][data-name="${name}"]`);
	await expect(server).toHaveAttribute('data-status', 'needs_sign_in');
	await expect(server.getByTestId('mcp-status')).toHaveText('Needs sign-in');
	await expect(server.getByTestId('mcp-error')).toContainText('admin');
	await expect(server.getByTestId('mcp-sign-in-state')).toHaveAttribute('data-signed-in', 'false');

	await server.getByRole('link', { name: 'Sign in', exact: true }).click();
	await expect(page).toHaveURL(/\/admin\/mcp-servers\?signed_in=\d+$/);
	await expect(page.getByTestId('flash')).toContainText(`Signed in to “${name}”.`);
	await expect(server).toHaveAttribute('data-status', 'connected');
	await expect(server.getByTestId('mcp-sign-in-state')).toHaveAttribute('data-signed-in', 'true');
	await expect(server.locator('[data-testid="mcp-tool"][data-name="echo"]')).toBeVisible();
	expect(oauth.scopes.at(-1)).toBe('tools:call');
	await expect(server.getByRole('link', { name: 'Sign in again' })).toBeVisible();
	// The OAuth fields and the signed-in server read well in both schemes.
	await form.getByRole('radio', { name: 'OAuth' }).check();
	await expect(form.getByLabel(/^Client secret/)).toBeVisible();
	const screenshots = resolve(import.meta.dirname, '../../test-results/screenshots');
	mkdirSync(screenshots, { recursive: true });
	await page.screenshot({ path: resolve(screenshots, 'admin-mcp-servers-oauth.png'), fullPage: true });
	await inEachScheme(page, async (scheme, violations) => {
		expect(await violations(), `serious accessibility violations, ${scheme}`).toEqual([]);
	});
});

test('a shared connection whose sign-in cannot be renewed tells a person to ask an admin', async ({ page }) => {
	const name = `lapsed-${stamp}`;
	const created = await admin.post('/api/mcp-servers/', { data: { name, url: oauth.url, auth: 'oauth', allowed_hosts: ['127.0.0.1'] } });
	expect(created.status(), await created.text()).toBe(201);
	const { id } = (await created.json()) as { id: number };
	const started = await admin.post(`/api/mcp-servers/${id}/oauth/start/`, { data: {} });
	const approved = await fetch(((await started.json()) as { authorization_url: string }).authorization_url, { redirect: 'manual' });
	const callback = new URL(approved.headers.get('location') ?? '');
	expect((await admin.get(`${callback.pathname}${callback.search}`, { maxRedirects: 0 })).status()).toBe(303);
	const server = (await (await admin.get(`/api/mcp-servers/${id}`)).json()) as { tools: { tool_id: number; tool_name: string }[] };
	const tool = server.tools[0];
	const slug = `lapsed-chat-${stamp}`;
	expect(
		(await admin.post('/api/agents/', { data: { slug, name: 'Lapsed', model: 'mock:offline', tools: [tool.tool_id] } })).status()
	).toBe(201);
	// The authorization server forgets every token: the next call cannot renew the sign-in.
	oauth.revokeRefreshTokens();
	oauth.expireAccessTokens();

	await new AuthPage(page).signUp(`lapsed-${Date.now()}@example.com`, 'correct horse battery');
	const chat = new ChatPage(page);
	await chat.pickAgent(slug);
	await chat.send(`${tool.tool_name} text="hello"`);
	const card = new ToolCallCard(page, `${tool.tool_name} · MCP server "${name}"`);
	await expect(card.badge).toHaveText('Failed');
	await expect(card.root).toContainText('needs an admin to sign in');
	await expect(card.root.getByTestId('mcp-ask-admin')).toBeVisible();
	await expect(card.root.getByRole('link', { name: 'Connect' })).toHaveCount(0);
});
