import { expect, test } from '@playwright/test';
import { loginAsAdmin } from './pages/admin-page';
import { AuthPage } from './pages/auth-page';
import { SiteHeader } from './pages/site-header';
import { VIEWPORTS } from '../support/viewports';

const password = 'correct horse battery';

function uniqueEmail(prefix: string) {
	return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

const phone = VIEWPORTS.find((viewport) => viewport.name === 'phone')!;
const desktop = VIEWPORTS.find((viewport) => viewport.name === 'desktop')!;

test.describe('on a phone', () => {
	test.use({ viewport: { width: phone.width, height: phone.height } });

	test('the header folds into a menu that opens, closes with Escape and after a click on a link', async ({ page }) => {
		await new AuthPage(page).signUp(uniqueEmail('menu'), password);
		const header = new SiteHeader(page);
		await header.waitForInteractive();

		await expect(header.menuButton).toBeVisible();
		await expect(header.menuButton).toHaveAttribute('aria-expanded', 'false');
		await expect(header.nav).toBeHidden();
		await expect(header.logOut).toBeHidden();
		const headerHeight = await page.getByRole('banner').evaluate((element) => element.getBoundingClientRect().height);
		expect(headerHeight).toBeLessThan(70);

		await header.menuButton.click();
		await expect(header.menuButton).toHaveAttribute('aria-expanded', 'true');
		await expect(header.nav.getByRole('link')).toHaveText(['Chat', 'Tasks', 'Playground', 'Settings']);
		// On a phone the docs are plain links in the menu, not a second pop-up.
		await expect(header.docsButton).toBeHidden();
		await expect(header.docs.getByRole('link', { name: 'Swagger UI' })).toHaveAttribute('href', '/swagger');
		await expect(header.docs.getByRole('link', { name: 'ReDoc' })).toHaveAttribute('href', '/redoc');
		await expect(header.logOut).toBeVisible();

		await page.keyboard.press('Escape');
		await expect(header.menuButton).toHaveAttribute('aria-expanded', 'false');
		await expect(header.nav).toBeHidden();
		await expect(header.menuButton).toBeFocused();

		await header.menuButton.click();
		await header.nav.getByRole('link', { name: 'Tasks' }).click();
		await expect(page).toHaveURL(/\/tasks$/);
		await expect(header.nav).toBeHidden();
		await expect(header.menuButton).toHaveAttribute('aria-expanded', 'false');
	});

	test('the menu works from the keyboard alone', async ({ page }) => {
		await new AuthPage(page).signUp(uniqueEmail('menu-keys'), password);
		const header = new SiteHeader(page);
		await header.waitForInteractive();
		await page.goto('/settings');
		await header.waitForInteractive();

		// From the top of the page: the brand, then the menu button.
		await page.locator('body').focus();
		await page.keyboard.press('Tab');
		await expect(page.getByRole('banner').getByRole('link', { name: 'Parley' })).toBeFocused();
		await page.keyboard.press('Tab');
		await expect(header.menuButton).toBeFocused();
		await page.keyboard.press('Enter');
		await expect(header.menuButton).toHaveAttribute('aria-expanded', 'true');
		await page.keyboard.press('Tab');
		await expect(header.nav.getByRole('link', { name: 'Chat' })).toBeFocused();
		await page.keyboard.press('Tab');
		await expect(header.nav.getByRole('link', { name: 'Tasks' })).toBeFocused();
		await page.keyboard.press('Enter');
		await expect(page).toHaveURL(/\/tasks$/);
	});

	test('an admin finds the Admin link in the menu', async ({ page }) => {
		await loginAsAdmin(page);
		const header = new SiteHeader(page);
		await header.waitForInteractive();
		await header.menuButton.click();
		await header.nav.getByRole('link', { name: 'Admin' }).click();
		await expect(page).toHaveURL(/\/admin\/agents$/);
		await expect(page.getByRole('navigation', { name: 'Admin' })).toBeVisible();
	});
});

test.describe('on a desktop', () => {
	test.use({ viewport: { width: desktop.width, height: desktop.height } });

	test('the links show in the header, and API docs opens a list of the two docs', async ({ page }) => {
		await new AuthPage(page).signUp(uniqueEmail('docs'), password);
		const header = new SiteHeader(page);
		await header.waitForInteractive();

		await expect(header.menuButton).toBeHidden();
		await expect(header.nav).toBeVisible();
		await expect(header.logOut).toBeVisible();
		await expect(header.docs).toBeHidden();

		await header.docsButton.click();
		await expect(header.docsButton).toHaveAttribute('aria-expanded', 'true');
		await expect(header.docs.getByRole('link')).toHaveText(['Swagger UI', 'ReDoc']);
		await page.keyboard.press('Escape');
		await expect(header.docs).toBeHidden();
		await expect(header.docsButton).toBeFocused();

		// A click elsewhere closes it too.
		await header.docsButton.click();
		await expect(header.docs).toBeVisible();
		await page.getByRole('main').click({ position: { x: 5, y: 5 } });
		await expect(header.docs).toBeHidden();

		await header.docsButton.click();
		await header.docs.getByRole('link', { name: 'ReDoc' }).click();
		await expect(page).toHaveURL(/\/redoc$/);
		await expect(page).toHaveTitle(/ReDoc/);
		await page.goBack();
		await header.waitForInteractive();
		await header.docsButton.click();
		await header.docs.getByRole('link', { name: 'Swagger UI' }).click();
		await expect(page).toHaveURL(/\/swagger$/);
		await expect(page).toHaveTitle(/Swagger UI/);
	});
});
