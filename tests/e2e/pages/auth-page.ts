import { expect, type Page } from '@playwright/test';

/** The log-in and sign-up forms. */
export class AuthPage {
	constructor(private readonly page: Page) {}

	/** Signs up a new account and waits for the chat page. */
	async signUp(email: string, password: string) {
		await this.page.goto('/signup');
		await this.fill(email, password, 'Sign up');
		await expect(this.page).toHaveURL(/\/$/);
	}

	/** Fills in and sends the log-in form (of the test server, or of the server at `origin`). */
	async logIn(email: string, password: string, origin = '') {
		await this.page.goto(`${origin}/login`);
		await this.fill(email, password, 'Log in');
	}

	async fill(email: string, password: string, button: string) {
		await this.page.getByLabel('Email').fill(email);
		await this.page.getByLabel('Password').fill(password);
		await this.page.getByRole('button', { name: button }).click();
	}

	/** The form's error message. */
	error() {
		return this.page.getByRole('alert');
	}
}
