import { expect, test, type Browser, type Page } from '@playwright/test';
import { VIEWPORTS } from '../support/viewports';
import { AuthPage } from './pages/auth-page';
import { SettingsPage } from './pages/settings-page';

const password = 'correct horse battery';

/** A new browser (own cookies) signed in as `email`, on the settings page. */
async function signInElsewhere(browser: Browser, viewport: { width: number; height: number }, email: string, secret = password) {
	const context = await browser.newContext({ viewport, colorScheme: 'light' });
	const page = await context.newPage();
	await new AuthPage(page).logIn(email, secret);
	await expect(page).toHaveURL(/\/$/);
	return { context, page };
}

/** The page's background colour, as painted (the root element's). */
const rootBackground = (page: Page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

for (const viewport of VIEWPORTS) {
	test.describe(`account settings (${viewport.name})`, () => {
		test.use({ viewport: { width: viewport.width, height: viewport.height } });
		const size = { width: viewport.width, height: viewport.height };
		const uniqueEmail = (prefix: string) => `${prefix}-${viewport.name}-${Date.now()}@example.com`;

		test('changing the password keeps this browser signed in and signs the other out', async ({ page, browser }) => {
			const email = uniqueEmail('password');
			await new AuthPage(page).signUp(email, password);
			const other = await signInElsewhere(browser, size, email);
			const settings = new SettingsPage(page);
			await settings.open();

			await settings.changePassword('not my password', 'brand new secret');
			await expect(settings.errorIn('Password')).toHaveText('That is not your current password.');

			await settings.changePassword(password, 'brand new secret');
			await expect(page.getByText('Password changed. Your other sessions were signed out.')).toBeVisible();
			await page.reload();
			await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();

			await other.page.goto('/settings');
			await expect(other.page).toHaveURL(/\/login/);
			await new AuthPage(other.page).logIn(email, password);
			await expect(new AuthPage(other.page).error()).toContainText('Wrong email or password.');
			await new AuthPage(other.page).logIn(email, 'brand new secret');
			await expect(other.page).toHaveURL(/\/$/);
			await other.context.close();
		});

		test('the theme is kept on the account and follows the person to another browser', async ({ page, browser }) => {
			const email = uniqueEmail('theme');
			await page.emulateMedia({ colorScheme: 'light' });
			await new AuthPage(page).signUp(email, password);
			const settings = new SettingsPage(page);
			await settings.open();
			await expect(page.locator('html')).toHaveAttribute('data-theme', 'system');
			expect(await rootBackground(page)).toBe('rgb(247, 247, 248)');

			await settings.chooseTheme('Dark');
			await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
			expect(await rootBackground(page)).toBe('rgb(19, 19, 22)');

			// Another browser on a light device gets dark from the first paint (server-rendered).
			const other = await signInElsewhere(browser, size, email);
			const response = await other.page.goto('/tasks');
			expect(await response?.text()).toContain('data-theme="dark"');
			await expect(other.page.locator('html')).toHaveAttribute('data-theme', 'dark');
			expect(await rootBackground(other.page)).toBe('rgb(19, 19, 22)');

			// Light forces light on a dark device; System follows the device again.
			await other.page.emulateMedia({ colorScheme: 'dark' });
			await settings.chooseTheme('Light');
			await other.page.reload();
			await expect(other.page.locator('html')).toHaveAttribute('data-theme', 'light');
			expect(await rootBackground(other.page)).toBe('rgb(247, 247, 248)');
			await settings.chooseTheme('System');
			await other.page.reload();
			expect(await rootBackground(other.page)).toBe('rgb(19, 19, 22)');

			// Visitors who are not signed in keep the device's scheme.
			const visitor = await browser.newContext({ viewport: size, colorScheme: 'dark' });
			const visitorPage = await visitor.newPage();
			await visitorPage.goto('/login');
			await expect(visitorPage.locator('html')).toHaveAttribute('data-theme', 'system');
			expect(await rootBackground(visitorPage)).toBe('rgb(19, 19, 22)');
			await visitor.close();
			await other.context.close();
		});

		test('a display name shows in the header', async ({ page }) => {
			const email = uniqueEmail('name');
			await new AuthPage(page).signUp(email, password);
			const header = page.getByTestId('account-name');
			await expect(header).toHaveText(email);
			const settings = new SettingsPage(page);
			await settings.open();
			await settings.setName('Ada Lovelace');
			await expect(header).toHaveText('Ada Lovelace');
			await page.goto('/tasks');
			await expect(header).toHaveText('Ada Lovelace');
		});

		test('deleting the account asks first, signs out, and the account can no longer log in', async ({ page }) => {
			const email = uniqueEmail('delete');
			await new AuthPage(page).signUp(email, password);
			const settings = new SettingsPage(page);
			await settings.open();

			await page.getByLabel('Your password, to confirm').fill(password);
			await page.getByRole('button', { name: 'Delete my account' }).click();
			// Cancelled: nothing happens.
			await expect(page.getByRole('alertdialog')).toContainText(email);
			await page.getByRole('alertdialog').getByRole('button', { name: 'Cancel' }).click();
			await expect(page).toHaveURL(/\/settings$/);

			await settings.deleteAccount('wrong password');
			await expect(settings.errorIn('Delete account')).toHaveText('That is not your current password.');

			await settings.deleteAccount(password);
			await expect(page).toHaveURL(/\/login/);
			await expect(page.getByRole('button', { name: 'Log out' })).toHaveCount(0);
			const auth = new AuthPage(page);
			await auth.logIn(email, password);
			await expect(auth.error()).toContainText('Wrong email or password.');
		});
	});
}
