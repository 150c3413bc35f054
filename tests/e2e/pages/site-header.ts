import { expect, type Locator, type Page } from '@playwright/test';

/** The site header: its links, the API docs, the account and, on phones, the menu they fold into. */
export class SiteHeader {
	readonly menuButton: Locator;
	readonly nav: Locator;
	readonly docsButton: Locator;
	readonly docs: Locator;
	readonly logOut: Locator;

	constructor(private readonly page: Page) {
		const banner = page.getByRole('banner');
		this.menuButton = banner.getByRole('button', { name: 'Menu' });
		this.nav = banner.getByRole('navigation', { name: 'Main' });
		this.docsButton = banner.getByRole('button', { name: 'API docs' });
		this.docs = banner.getByRole('list', { name: 'API docs' });
		this.logOut = banner.getByRole('button', { name: 'Log out' });
	}

	/** Waits until the page's scripts run: controls that need them are enabled from then on. */
	async waitForInteractive() {
		await expect(this.page.locator('[data-hydrated]')).toHaveCount(1);
	}
}
