import { expect, test } from '@playwright/test';
import { AuthPage } from './pages/auth-page';
import { VIEWPORTS } from '../support/viewports';

const password = 'correct horse battery';

function uniqueEmail(prefix: string) {
	return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

for (const viewport of VIEWPORTS) {
	test.describe(viewport.name, () => {
		test.use({ viewport: { width: viewport.width, height: viewport.height } });

		test('an unknown address answers 404 with the app’s header and a link home', async ({ page }) => {
			await new AuthPage(page).signUp(uniqueEmail('lost'), password);
			const response = await page.goto('/no/such/page');
			expect(response?.status()).toBe(404);
			await expect(page).toHaveTitle('Page not found · Parley');
			await expect(page.getByRole('banner').getByRole('link', { name: 'Parley' })).toBeVisible();
			const main = page.getByRole('main');
			await expect(main.getByRole('heading', { level: 1 })).toHaveText('Page not found');
			await main.getByRole('link', { name: 'Go to the home page' }).click();
			await expect(page).toHaveURL(/\/$/);
			await expect(page.getByRole('textbox', { name: 'Message' })).toBeVisible();
		});

		test('an unknown task answers 404 and says so', async ({ page }) => {
			await new AuthPage(page).signUp(uniqueEmail('no-task'), password);
			const response = await page.goto('/chat/no-such-task');
			expect(response?.status()).toBe(404);
			const main = page.getByRole('main');
			await expect(main.getByRole('heading', { level: 1 })).toHaveText('Page not found');
			await expect(main).toContainText('This task does not exist, or it is not yours.');
			await expect(main.getByRole('link', { name: 'Go to the home page' })).toHaveAttribute('href', '/');
			await expect(main.getByRole('link', { name: 'Your tasks' })).toHaveAttribute('href', '/tasks');
		});

		test('a person who is not an admin gets 403 on /admin, with a link home', async ({ page }) => {
			await new AuthPage(page).signUp(uniqueEmail('not-admin'), password);
			for (const path of ['/admin', '/admin/users']) {
				const response = await page.goto(path);
				expect(response?.status()).toBe(403);
				const main = page.getByRole('main');
				await expect(main.getByRole('heading', { level: 1 })).toHaveText('You cannot open this page');
				await expect(main.getByRole('link', { name: 'Go to the home page' })).toHaveAttribute('href', '/');
			}
		});

		test('a 404 reached inside the app (client-side) shows the same page', async ({ page }) => {
			await new AuthPage(page).signUp(uniqueEmail('client-404'), password);
			await page.goto('/tasks');
			await expect(page.locator('[data-hydrated]')).toHaveCount(1);
			await page.evaluate(() => {
				const link = document.createElement('a');
				link.href = '/chat/missing-task';
				link.textContent = 'Missing';
				document.querySelector('main')?.append(link);
			});
			await page.getByRole('link', { name: 'Missing' }).click();
			await expect(page.getByRole('main').getByRole('heading', { level: 1 })).toHaveText('Page not found');
			await expect(page.getByRole('main').getByRole('link', { name: 'Go to the home page' })).toBeVisible();
		});
	});
}
