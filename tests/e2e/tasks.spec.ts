import { expect, test, type Page } from '@playwright/test';
import { AuthPage } from './pages/auth-page';
import { answerConfirmation } from './pages/confirm-dialog';

/** Starts a task with one question through the chat API, as the signed-in user. */
async function startTask(page: Page, baseURL: string, id: string, text: string) {
	const response = await page.request.post(`${baseURL}/api/chat`, {
		headers: { origin: baseURL },
		data: { id, messages: [{ role: 'user', parts: [{ type: 'text', text }] }] }
	});
	expect(response.status()).toBe(200);
	await response.text();
}

test('search, rename, archive and delete tasks', async ({ page, baseURL }) => {
	await new AuthPage(page).signUp(`tasks-${Date.now()}@example.com`, 'correct horse battery');
	const base = baseURL ?? '';
	await startTask(page, base, `tides-${Date.now()}`, 'How do ocean tides work?');
	await startTask(page, base, `rivers-${Date.now()}`, 'Which river is the longest?');

	await page.goto('/tasks');
	const rows = page.getByTestId('task-row');
	await expect(rows).toHaveCount(2);

	// Search finds message text by prefix.
	await page.getByRole('searchbox', { name: 'Search tasks' }).fill('longe');
	await page.getByRole('button', { name: 'Search' }).click();
	await expect(rows).toHaveCount(1);
	await expect(rows.first()).toContainText('Which river is the longest?');

	// Rename it, and find it by its new title.
	await rows.first().getByRole('button', { name: 'Rename' }).click();
	await page.getByRole('textbox', { name: 'Title' }).fill('Rivers of the world');
	await page.getByRole('button', { name: 'Save' }).click();
	await expect(rows.first()).toContainText('Rivers of the world');
	await page.goto('/tasks?q=world');
	await expect(rows).toHaveCount(1);
	await expect(rows.first()).toContainText('Rivers of the world');

	// Archive it: it shows under Archived.
	const archived = page.waitForResponse(
		(response) => response.request().method() === 'POST' && new URL(response.url()).search === '?/status'
	);
	await rows.first().getByRole('button', { name: 'Archive' }).click();
	expect((await archived).ok()).toBe(true);
	await page.goto('/tasks?status=archived');
	await expect(rows).toHaveCount(1);
	await expect(rows.first()).toContainText('Archived');

	// Delete, after confirming.
	await rows.first().getByRole('button', { name: 'Delete' }).click();
	await answerConfirmation(page, 'Delete', { says: 'cannot be undone' });
	await expect(page.getByText('No task matches.')).toBeVisible();
	await expect(page.getByText(/^Deleted “/)).toBeVisible();
	await page.goto('/tasks');
	await expect(rows).toHaveCount(1);
	await expect(rows.first()).toContainText('How do ocean tides work?');
});
