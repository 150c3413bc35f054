import { expect, test } from '@playwright/test';

test('what is typed into the log-in form before the page is interactive is kept', async ({ page }) => {
	// The app's scripts wait until the person has typed, as on a slow connection.
	let release: () => void = () => {};
	const typed = new Promise<void>((resolve) => (release = resolve));
	await page.route('**/_app/immutable/entry/**', async (route) => {
		await typed;
		await route.continue();
	});
	await page.goto('/login', { waitUntil: 'commit' });
	await page.getByLabel('Email').fill('early@example.com');
	await page.getByLabel('Password').fill('typed early');
	await expect(page.locator('[data-hydrated]')).toHaveCount(0);
	release();
	await expect(page.locator('[data-hydrated]')).toHaveCount(1);
	await expect(page.getByLabel('Email')).toHaveValue('early@example.com');
	await expect(page.getByLabel('Password')).toHaveValue('typed early');
});
