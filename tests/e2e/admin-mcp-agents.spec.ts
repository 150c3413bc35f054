import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { createClient } from '@libsql/client';
import { inEachScheme } from '../support/axe';
import { startMcpTestServer, type McpTestServer } from '../support/mcp-server/server';
import { VIEWPORTS } from '../support/viewports';
import { AdminPage, loginAsAdmin } from './pages/admin-page';
import { answerConfirmation } from './pages/confirm-dialog';
import { gotoInteractive } from './pages/goto-interactive';

/**
 * MCP servers in the admin pages: an agent that uses all the tools of a server, and stdio servers
 * while MCP_STDIO is off (as on the e2e server).
 */

let mcp: McpTestServer;

test.beforeAll(async () => {
	mcp = await startMcpTestServer();
});

test.afterAll(async () => {
	await mcp?.stop();
});

/** The e2e server's database (tests/playwright.config.ts shares its folder with the workers). */
function databaseUrl() {
	const folder = process.env.E2E_DATA_FOLDER;
	if (!folder) throw new Error('E2E_DATA_FOLDER is not set: run these tests with tests/playwright.config.ts');
	return `file:${join(folder, 'parley.db')}`;
}

function screenshot(name: string): string {
	const folder = resolve(import.meta.dirname, '../../test-results/screenshots');
	mkdirSync(folder, { recursive: true });
	return resolve(folder, name);
}

/** How far the page is wider than the screen, in pixels (0: no overflow). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

const stamp = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

for (const viewport of VIEWPORTS) {
	test.describe(`MCP servers in admin (${viewport.name})`, () => {
		test.use({ viewport: { width: viewport.width, height: viewport.height } });

		test('an agent uses all the tools of a server: ticked, saved, shown again', async ({ page }) => {
			const server = `whole-${stamp()}`;
			const slug = `whole-agent-${stamp()}`;
			await loginAsAdmin(page);
			await gotoInteractive(page, '/admin/mcp-servers');
			const add = page.getByRole('region', { name: 'Add a server' });
			await add.getByLabel('Name', { exact: true }).fill(server);
			await add.getByLabel('URL (Streamable HTTP)').fill(mcp.url);
			await add.getByLabel(/^Private hosts allowed/).fill('127.0.0.1');
			await add.getByRole('button', { name: 'Add and test' }).click();
			await expect(page.getByTestId('flash')).toContainText(`Added “${server}”.`);

			await gotoInteractive(page, '/admin/agents/new');
			const admin = new AdminPage(page);
			await admin.fillAgent({ name: `Whole ${slug}`, slug });
			const group = page.getByRole('group', { name: 'MCP servers' });
			const row = group.locator(`[data-testid="agent-mcp-server"][data-name="${server}"]`);
			await expect(row).toContainText('Connected');
			await expect(row).toContainText('5 tools');
			await row.getByRole('checkbox', { name: `All tools of ${server}` }).check();
			expect(await overflow(page), 'horizontal overflow of the agent form').toBe(0);
			await inEachScheme(page, async (scheme, violations) => {
				await page.screenshot({ path: screenshot(`admin-agent-mcp-servers-${viewport.name}-${scheme}.png`), fullPage: true });
				expect(await violations(), `serious accessibility violations, ${scheme}`).toEqual([]);
			});
			await admin.save('Create agent', /\/admin\/agents\?saved=/);
			await expect(admin.agentRow(slug)).toContainText(`All of ${server}`);

			await admin.agentRow(slug).getByRole('link', { name: 'Edit' }).click();
			await expect(page).toHaveURL(/\/admin\/agents\/\d+$/);
			const editPath = new URL(page.url()).pathname;
			await gotoInteractive(page, editPath);
			await expect(page.getByRole('checkbox', { name: `All tools of ${server}` })).toBeChecked();
			// Unticked and saved, it stays unticked.
			await page.getByRole('checkbox', { name: `All tools of ${server}` }).uncheck();
			await admin.save('Save changes', /\/admin\/agents\?saved=/);
			await gotoInteractive(page, editPath);
			await expect(page.getByRole('checkbox', { name: `All tools of ${server}` })).not.toBeChecked();
		});

		test('with MCP_STDIO off, the command option is disabled and explained, and stdio servers show that they are off', async ({ page }) => {
			const name = `stdio-${stamp()}`;
			// Saved while stdio was on: its state is from then.
			const client = createClient({ url: databaseUrl() });
			try {
				await client.execute({
					sql: `INSERT INTO mcp_servers (name, transport, command, args, status, created_at, updated_at) VALUES (?, 'stdio', 'npx', '["-y","some-server"]', 'connected', ?, ?)`,
					args: [name, Date.now(), Date.now()]
				});
			} finally {
				client.close();
			}
			await loginAsAdmin(page);
			await gotoInteractive(page, '/admin/mcp-servers');
			const form = page.getByRole('region', { name: 'Add a server' });
			await expect(form.getByRole('radio', { name: 'Local command (stdio)' })).toBeDisabled();
			await expect(form.getByRole('radio', { name: 'Remote URL (HTTP)' })).toBeChecked();
			await expect(form.getByTestId('stdio-help')).toContainText('MCP_STDIO=on');
			await expect(form.getByLabel(/^Command/)).toHaveCount(0);
			const server = page.locator(`[data-testid="mcp-server"][data-name="${name}"]`);
			await expect(server).toContainText('npx -y some-server');
			await expect(server.getByTestId('mcp-stdio-off')).toContainText('stdio is off (MCP_STDIO)');
			expect(await overflow(page), 'horizontal overflow of the MCP servers page').toBe(0);
			await inEachScheme(page, async (scheme, violations) => {
				await page.screenshot({ path: screenshot(`admin-mcp-stdio-off-${viewport.name}-${scheme}.png`), fullPage: true });
				expect(await violations(), `serious accessibility violations, ${scheme}`).toEqual([]);
			});
			await server.getByRole('button', { name: 'Delete' }).click();
			await answerConfirmation(page, 'Delete');
			await expect(server).toHaveCount(0);
		});
	});
}
