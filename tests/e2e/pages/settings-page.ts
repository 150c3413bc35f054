import { expect, type Locator, type Page } from '@playwright/test';
import { answerConfirmation } from './confirm-dialog';
import { gotoInteractive } from './goto-interactive';

/** The settings page: profile, theme, password, shared links, API keys and account deletion. */
export class SettingsPage {
	readonly shareLinks: Locator;

	constructor(private readonly page: Page) {
		this.shareLinks = page.getByTestId('share-link');
	}

	async open() {
		await gotoInteractive(this.page, '/settings');
		await expect(this.page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
	}

	async setName(name: string) {
		await this.page.getByLabel('Display name').fill(name);
		await this.page.getByRole('button', { name: 'Save name' }).click();
		await expect(this.page.getByText('Name saved.')).toBeVisible();
	}

	/** Picks a theme; it is saved at once. */
	async chooseTheme(label: 'System' | 'Light' | 'Dark') {
		const response = this.page.waitForResponse((answer) => answer.url().includes('/settings?/theme') && answer.ok());
		await this.page.getByRole('radio', { name: new RegExp(`^${label}`) }).check();
		await response;
	}

	/** Fills in and sends the password form. */
	async changePassword(current: string, next: string, confirmation = next) {
		await this.page.getByLabel('Current password').fill(current);
		await this.page.getByLabel('New password', { exact: true }).fill(next);
		await this.page.getByLabel('Repeat the new password').fill(confirmation);
		await this.page.getByRole('button', { name: 'Change password' }).click();
	}

	/** Revokes the link to a shared chat, confirming in the dialog. */
	async revokeLink(title: string) {
		await this.shareLinks
			.filter({ hasText: title })
			.getByRole('button', { name: `Revoke the link to ${title}` })
			.click();
		await answerConfirmation(this.page, 'Revoke link');
		await expect(this.shareLinks.filter({ hasText: title })).toHaveCount(0);
	}

	/** Deletes the account with its password, confirming in the dialog. */
	async deleteAccount(password: string) {
		await this.page.getByLabel('Your password, to confirm').fill(password);
		await this.page.getByRole('button', { name: 'Delete my account' }).click();
		await answerConfirmation(this.page, 'Delete my account', { says: 'deleted for good' });
	}

	/** The error a section shows. */
	errorIn(heading: string) {
		return this.page.getByRole('region', { name: heading }).getByRole('alert');
	}
}
