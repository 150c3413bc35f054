import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { inEachScheme } from '../support/axe';
import { startServer, type TestServer } from '../support/server';
import { signUp } from '../support/session';
import { VIEWPORTS } from '../support/viewports';
import { AuthPage } from './pages/auth-page';
import { answerConfirmation } from './pages/confirm-dialog';

// A server of its own with MCP_STDIO=on (the shared one keeps stdio off), whose admin adds the
// test MCP server's stdio entry point by command and arguments.
let server: TestServer;
const email = 'stdio-admin@example.com';
const password = 'correct horse battery';
const ENTRY = resolve(import.meta.dirname, '../support/mcp-server/stdio.mjs');

test.beforeAll(async () => {
	server = await startServer({ MCP_STDIO: 'on' });
	// The first account is an admin.
	await signUp(server.baseURL, email, password);
});

test.afterAll(async () => {
	await server?.stop();
});

function screenshot(name: string): string {
	const folder = resolve(import.meta.dirname, '../../test-results/screenshots');
	mkdirSync(folder, { recursive: true });
	return resolve(folder, name);
}

/** How far the page is wider than the screen, in pixels (0: no overflow). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

for (const viewport of VIEWPORTS) {
	test.describe(`stdio MCP servers in admin (${viewport.name})`, () => {
		test.use({ viewport: { width: viewport.width, height: viewport.height } });

		test('an admin adds a server by command and arguments, sees its tools, and deletes it', async ({ page }) => {
			const name = `stdio-${viewport.name}`;
			await new AuthPage(page).logIn(email, password, server.baseURL);
			await expect(page).not.toHaveURL(/\/login/);
			await page.goto(`${server.baseURL}/admin/mcp-servers`);
			await expect(page.locator('[data-hydrated]')).toHaveCount(1);

			const form = page.getByRole('region', { name: 'Add a server' });
			await form.getByLabel('Name', { exact: true }).fill(name);
			await form.getByRole('radio', { name: 'Local command (stdio)' }).check();
			// The URL's fields give way to the command's.
			await expect(form.getByLabel('URL (Streamable HTTP)')).toHaveCount(0);
			await expect(form.getByText('No shell is used.')).toBeVisible();
			await form.getByLabel(/^Command/).fill(process.execPath);
			await form.getByLabel(/^Arguments/).fill(ENTRY);
			expect(await overflow(page), 'horizontal overflow of the stdio form').toBe(0);
			await inEachScheme(page, async (scheme, violations) => {
				await page.screenshot({ path: screenshot(`admin-mcp-stdio-${viewport.name}-${scheme}.png`), fullPage: true });
				expect(await violations(), `serious accessibility violations, ${scheme}`).toEqual([]);
			});
			await form.getByRole('button', { name: 'Add and test' }).click();
			await expect(page.getByTestId('flash')).toContainText(`Added “${name}”.`);

			const card = page.locator(`[data-testid="mcp-server"][data-name="${name}"]`);
			await expect(card).toHaveAttribute('data-status', 'connected');
			await expect(card).toContainText(ENTRY);
			await expect(card.locator('[data-testid="mcp-tool"][data-name="echo"]')).toBeVisible();

			await card.getByRole('button', { name: 'Delete' }).click();
			await answerConfirmation(page, 'Delete');
			await expect(page.getByTestId('flash')).toContainText(`Deleted “${name}”.`);
			await expect(card).toHaveCount(0);
		});

		test('a program that fails shows its error and its last output; what was typed stays after a refusal', async ({ page }) => {
			const name = `broken-${viewport.name}`;
			await new AuthPage(page).logIn(email, password, server.baseURL);
			await expect(page).not.toHaveURL(/\/login/);
			await page.goto(`${server.baseURL}/admin/mcp-servers`);
			await expect(page.locator('[data-hydrated]')).toHaveCount(1);
			const form = page.getByRole('region', { name: 'Add a server' });

			// A name the API refuses: the form keeps the command and arguments.
			await form.getByLabel('Name', { exact: true }).fill('has space');
			await form.getByRole('radio', { name: 'Local command (stdio)' }).check();
			await form.getByLabel(/^Command/).fill(process.execPath);
			await form.getByLabel(/^Arguments/).fill(`${ENTRY}\n--fail\nno token given`);
			await form.getByRole('button', { name: 'Add and test' }).click();
			await expect(page.getByRole('alert')).toContainText('name');
			await expect(form.getByRole('radio', { name: 'Local command (stdio)' })).toBeChecked();
			await expect(form.getByLabel(/^Command/)).toHaveValue(process.execPath);
			await expect(form.getByLabel(/^Arguments/)).toHaveValue(`${ENTRY}\n--fail\nno token given`);

			await form.getByLabel('Name', { exact: true }).fill(name);
			await form.getByRole('button', { name: 'Add and test' }).click();
			await expect(page.getByTestId('flash')).toContainText(`Added “${name}”. It could not be reached`);
			const card = page.locator(`[data-testid="mcp-server"][data-name="${name}"]`);
			await expect(card).toHaveAttribute('data-status', 'failing');
			await expect(card.getByTestId('mcp-error')).toContainText('no token given');
			await card.getByRole('button', { name: 'Delete' }).click();
			await answerConfirmation(page, 'Delete');
			await expect(card).toHaveCount(0);
		});
	});
}
