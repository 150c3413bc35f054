import { expect, type Locator, type Page } from '@playwright/test';

/** The chat pages' sidebar: new chat, search, and the user's chats grouped by date. */
export class Sidebar {
	readonly root: Locator;
	readonly search: Locator;
	readonly toggle: Locator;

	constructor(private readonly page: Page) {
		this.root = page.getByRole('navigation', { name: 'Chats' });
		this.search = this.root.getByRole('searchbox', { name: 'Search chats' });
		this.toggle = page.locator('#sidebar-toggle');
	}

	/** Whether the screen is a phone's, where the sidebar is a drawer. */
	private isPhone() {
		return (this.page.viewportSize()?.width ?? 1280) < 768;
	}

	/** Makes the sidebar visible: opens the drawer on a phone. */
	async open() {
		if (await this.root.isVisible()) return;
		await this.toggle.click();
		await expect(this.root).toBeVisible();
	}

	/** Closes the drawer on a phone (nothing on a wide screen). */
	async close() {
		if (!this.isPhone() || !(await this.root.isVisible())) return;
		await this.root.getByRole('button', { name: 'Close chats' }).click();
		await expect(this.root).toBeHidden();
	}

	/** The rows of the list (or of the search results). */
	rows() {
		return this.root.getByTestId('sidebar-task');
	}

	/** The row of a chat, by its title. */
	row(title: string | RegExp) {
		return this.rows().filter({ has: this.page.getByRole('link', { name: title }) });
	}

	/** The heading of a date group, such as "Today". */
	group(label: string) {
		return this.root.getByRole('heading', { name: label, exact: true });
	}

	/** Opens a row's menu and chooses an item (Rename, Archive, Delete). */
	async choose(title: string | RegExp, item: 'Rename' | 'Archive' | 'Delete') {
		const row = this.row(title);
		await row.getByRole('button', { name: /^Options for/ }).click();
		await row.getByRole('menuitem', { name: item }).click();
	}

	async newChat() {
		await this.root.getByRole('link', { name: 'New chat' }).click();
	}
}
