import { expect, test } from '@playwright/test';
import { AuthPage } from './pages/auth-page';
import { answerConfirmation } from './pages/confirm-dialog';

test('create an API key in settings, use it, and revoke it', async ({ page, request, baseURL }) => {
	await new AuthPage(page).signUp(`keys-${Date.now()}@example.com`, 'correct horse battery');
	await page.getByRole('link', { name: 'Settings' }).click();
	await expect(page.getByText('No API keys yet.')).toBeVisible();

	await page.getByLabel('New key name').fill('deploy script');
	await page.getByRole('button', { name: 'Create key' }).click();
	const key = (await page.getByTestId('new-key-value').innerText()).trim();
	expect(key).toMatch(/^pk_/);
	await expect(page.getByTestId('key-list')).toContainText('deploy script');

	const ask = () =>
		request.post(`${baseURL}/api/chat`, {
			headers: { authorization: `Bearer ${key}` },
			data: { id: `task_${Date.now()}`, messages: [{ role: 'user', parts: [{ type: 'text', text: 'Hi by key' }] }] }
		});
	expect((await ask()).status()).toBe(200);

	// The key is shown once: a reload lists it by its prefix only.
	await page.reload();
	await expect(page.getByTestId('new-key')).toHaveCount(0);
	await expect(page.getByTestId('key-list')).toContainText(key.slice(0, 10));

	await page.getByRole('button', { name: 'Revoke' }).click();
	await answerConfirmation(page, 'Revoke');
	await expect(page.getByTestId('key-list')).toContainText('Revoked');
	expect((await ask()).status()).toBe(401);
});
