import { expect, type Locator, type Page } from '@playwright/test';
import { AuthPage } from './auth-page';
import { answerConfirmation } from './confirm-dialog';

/** The admin account of the e2e server, the first to sign up (tests/support/e2e-admin.ts). */
export const admin = {
	email: process.env.E2E_ADMIN_EMAIL ?? 'admin@example.com',
	password: process.env.E2E_ADMIN_PASSWORD ?? 'admin password 123'
};

/** Logs in as the e2e admin and waits to leave the log-in form. */
export async function loginAsAdmin(page: Page) {
	await new AuthPage(page).logIn(admin.email, admin.password);
	await expect(page).not.toHaveURL(/\/login/);
}

/** The admin users, keys, tasks and usage pages. */
export class AdminPeoplePage {
	constructor(private readonly page: Page) {}

	/** A user's row in the users list. */
	userRow(email: string): Locator {
		return this.page.locator(`[data-testid="user-row"][data-email="${email}"]`);
	}

	/** Clicks a button of a user's row and accepts its confirmation, if any. */
	async userAction(email: string, button: 'Disable' | 'Enable' | 'Make admin' | 'Make user') {
		await this.userRow(email).getByRole('button', { name: button }).click();
		// Enabling an account needs no confirmation; everything else asks first.
		if (button !== 'Enable') await answerConfirmation(this.page, button, { says: email });
	}

	/** Creates a key for a user on the keys page and returns the key shown once. */
	async createKey(email: string, name: string): Promise<string> {
		await this.page.getByLabel('User').selectOption({ label: email });
		await this.page.getByLabel('Key name').fill(name);
		await this.page.getByRole('button', { name: 'Create key' }).click();
		return (await this.page.getByTestId('new-key-value').innerText()).trim();
	}
}
