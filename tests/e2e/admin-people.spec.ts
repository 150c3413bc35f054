import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { AdminPeoplePage, loginAsAdmin } from './pages/admin-people-page';
import { AuthPage } from './pages/auth-page';
import { answerConfirmation } from './pages/confirm-dialog';
import { gotoInteractive } from './pages/goto-interactive';

const password = 'correct horse battery';

/** Starts a task with one question through the chat API, as the page's signed-in user. */
async function startTask(page: Page, baseURL: string, id: string, text: string) {
	const response = await page.request.post(`${baseURL}/api/chat`, {
		headers: { origin: baseURL },
		data: { id, messages: [{ role: 'user', parts: [{ type: 'text', text }] }] }
	});
	expect(response.status()).toBe(200);
	await response.text();
}

test('a non-admin gets 403 on the admin pages', async ({ page }) => {
	await new AuthPage(page).signUp(`plain-${Date.now()}@example.com`, password);
	for (const path of ['/admin/users', '/admin/keys', '/admin/tasks', '/admin/usage']) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(403);
	}
	await expect(page.getByText('Only admins can open the admin pages.')).toBeVisible();
});

test('an anonymous visitor is sent to log in', async ({ page }) => {
	await page.goto('/admin/users');
	await expect(page).toHaveURL(/\/login\?next=%2Fadmin%2Fusers/);
});

test('admin manages a user, their keys, reads their task and sees the usage', async ({ page, browser, baseURL }) => {
	const base = baseURL ?? '';
	const email = `person-${Date.now()}@example.com`;
	const question = `What do admins see ${Date.now()}?`;

	// The person signs up and chats, in their own browser.
	const theirs = await browser.newContext({ baseURL: base });
	const person = await theirs.newPage();
	await new AuthPage(person).signUp(email, password);
	await startTask(person, base, `admin-e2e-${Date.now()}`, question);

	// The admin sees them, with their task.
	await loginAsAdmin(page);
	const admin = new AdminPeoplePage(page);
	await page.goto('/admin/users');
	const row = admin.userRow(email);
	await expect(row).toContainText('User');
	await expect(row).toContainText('Active');
	await expect(row.getByRole('cell', { name: '1', exact: true })).toBeVisible();
	// The admin cannot lock themselves out.
	await expect(admin.userRow('admin@example.com').getByRole('button', { name: 'Disable' })).toBeDisabled();

	// Disabling ends the person's session: their next request is logged out.
	await admin.userAction(email, 'Disable');
	await expect(row).toContainText('Disabled');
	await person.goto('/tasks');
	await expect(person).toHaveURL(/\/login/);
	await admin.userAction(email, 'Enable');
	await expect(row).toContainText('Active');
	await new AuthPage(person).logIn(email, password);
	await expect(person).not.toHaveURL(/\/login/);

	// A key made for the person is shown once, works, and stops working when revoked.
	await page.goto('/admin/keys');
	const key = await admin.createKey(email, 'admin-made key');
	expect(key).toMatch(/^pk_/);
	const list = page.getByTestId('key-list');
	await expect(list).toContainText(email);
	const models = () => theirs.request.get(`${base}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
	expect((await models()).status()).toBe(200);
	await page.reload();
	await expect(page.getByTestId('new-key')).toHaveCount(0);
	const keyRow = page.getByTestId('key-row').filter({ hasText: 'admin-made key' });
	await expect(keyRow).toContainText(key.slice(0, 10));
	await expect(keyRow).not.toContainText(key);
	await keyRow.getByRole('button', { name: 'Revoke' }).click();
	await answerConfirmation(page, 'Revoke');
	await expect(keyRow).toContainText('Revoked');
	expect((await models()).status()).toBe(401);

	// The person's task, read-only, with its messages, model and tokens.
	await gotoInteractive(page, '/admin/tasks');
	await page.getByLabel('Owner email').fill(email);
	await page.getByRole('button', { name: 'Filter' }).click();
	await expect(page).toHaveURL(/user=/);
	const taskRows = page.getByTestId('admin-task-row');
	await expect(taskRows).toHaveCount(1);
	await expect(taskRows.first()).toContainText(email);
	await taskRows.first().getByRole('link').first().click();
	await expect(page).toHaveURL(/\/admin\/tasks\/admin-e2e-/);
	await expect(page.locator('[data-testid="message"][data-role="user"]')).toContainText(question);
	await expect(page.locator('[data-testid="message"][data-role="assistant"]')).toHaveCount(1);
	await expect(page.getByTestId('admin-messages')).toContainText('mock:');
	await expect(page.getByTestId('admin-task-tokens')).toContainText(/\d+ in · \d+ out/);
	await expect(page.getByRole('textbox', { name: 'Message' })).toHaveCount(0);

	// Usage counts the run.
	await page.goto('/admin/usage');
	const runs = Number((await page.getByTestId('usage-total-runs').innerText()).replace(/\D/g, ''));
	expect(runs).toBeGreaterThanOrEqual(1);
	await expect(page.getByTestId('usage-by-agent')).toBeVisible();
	await expect(page.getByTestId('usage-chart').locator('rect.output').first()).toBeAttached();
	const folder = resolve(import.meta.dirname, '../../test-results/screenshots');
	mkdirSync(folder, { recursive: true });
	await page.screenshot({ path: resolve(folder, 'admin-usage.png'), fullPage: true });

	await theirs.close();
});
