import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { startMcpTestServer, type McpTestServer } from '../support/mcp-server/server';
import { loginAsAdmin } from './pages/admin-page';
import { answerConfirmation } from './pages/confirm-dialog';
import { gotoInteractive } from './pages/goto-interactive';

let mcp: McpTestServer;

test.beforeAll(async () => {
	mcp = await startMcpTestServer();
});

test.afterAll(async () => {
	await mcp?.stop();
});

test('an admin adds an MCP server, sees its tools and state, refreshes it while it is down, and deletes it', async ({ page }) => {
	const name = `tools-${Date.now().toString(36)}`;
	await loginAsAdmin(page);
	await gotoInteractive(page, '/admin/mcp-servers');
	await expect(page.getByRole('heading', { level: 1, name: 'MCP servers' })).toBeVisible();
	await expect(page.getByRole('link', { name: 'MCP servers' })).toHaveAttribute('aria-current', 'page');

	const form = page.getByRole('region', { name: 'Add a server' });
	await form.getByLabel('Name', { exact: true }).fill(name);
	await form.getByLabel('URL (Streamable HTTP)').fill(mcp.url);
	// A header line that is not "Name: value" is refused, naming the line; what was typed stays.
	await form.getByLabel(/^Headers/).fill('Authorization Bearer secret-token');
	await form.getByRole('button', { name: 'Add and test' }).click();
	await expect(page.getByRole('alert')).toHaveText('Line 1 is not a header: write "Name: value".');
	await expect(form.getByLabel('Name', { exact: true })).toHaveValue(name);

	await form.getByLabel(/^Headers/).fill('Authorization: Bearer secret-token');
	await form.getByLabel(/^Private hosts allowed/).fill('127.0.0.1');
	await form.getByRole('button', { name: 'Add and test' }).click();
	await expect(page.getByTestId('flash')).toContainText(`Added “${name}”.`);

	const server = page.locator(`[data-testid="mcp-server"][data-name="${name}"]`);
	await expect(server).toHaveAttribute('data-status', 'connected');
	await expect(server.getByTestId('mcp-status')).toHaveText('Connected');
	// The header's name shows, never its value.
	await expect(server).toContainText('sends Authorization');
	await expect(page.locator('body')).not.toContainText('secret-token');
	const echo = server.locator('[data-testid="mcp-tool"][data-name="echo"]');
	await expect(echo).toBeVisible();
	await echo.getByText('Input schema').click();
	await expect(echo.locator('pre')).toContainText('"text"');
	expect(mcp.requests.some((headers) => headers.authorization === 'Bearer secret-token')).toBe(true);
	const screenshots = resolve(import.meta.dirname, '../../test-results/screenshots');
	mkdirSync(screenshots, { recursive: true });
	await page.screenshot({ path: resolve(screenshots, 'admin-mcp-servers.png'), fullPage: true });

	// Down: a refresh marks it failing, with the error and when it last worked.
	await mcp.stop();
	await server.getByRole('button', { name: 'Refresh tools' }).click();
	await expect(server).toHaveAttribute('data-status', 'failing');
	await expect(server.getByTestId('mcp-status')).toHaveText('Failing');
	await expect(server.getByTestId('mcp-error')).not.toBeEmpty();
	await expect(server).not.toContainText('Last worked: never');

	// Back: a refresh finds it again.
	await mcp.restart();
	await server.getByRole('button', { name: 'Refresh tools' }).click();
	await expect(server).toHaveAttribute('data-status', 'connected');
	await expect(server.getByTestId('mcp-error')).toHaveCount(0);

	// Its tools are tools agents can use.
	await gotoInteractive(page, '/admin/tools');
	await expect(page.locator('[data-testid="tool-row"]').filter({ hasText: name }).first()).toBeVisible();

	await gotoInteractive(page, '/admin/mcp-servers');
	await server.getByRole('button', { name: 'Delete' }).click();
	await answerConfirmation(page, 'Delete');
	await expect(page.getByTestId('flash')).toContainText(`Deleted “${name}”.`);
	await expect(server).toHaveCount(0);
});
