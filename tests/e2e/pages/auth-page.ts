import { expect, test, type Page } from '@playwright/test';

/** The log-in and sign-up forms. */
export class AuthPage {
	constructor(private readonly page: Page) {}

	/**
	 * Signs up a new account and opens the chat page. The form is posted from the page's own request
	 * context, which shares the browser's cookies, so the session cookie is set without loading and
	 * filling in the form; tests of the form itself use {@link signUpWithForm}.
	 */
	async signUp(email: string, password: string) {
		// The server checks that a form comes from its own site (ORIGIN, the tests' base URL).
		const origin = new URL(test.info().project.use.baseURL ?? this.page.url()).origin;
		const response = await this.page.request.post('/signup', {
			form: { email, password },
			headers: { origin, accept: 'text/html' },
			maxRedirects: 0
		});
		expect(response.status(), `sign-up of ${email}: ${await response.text()}`).toBe(303);
		await this.page.goto('/');
		await expect(this.page).toHaveURL(/\/$/);
	}

	/** Signs up a new account through the sign-up form and waits for the chat page. */
	async signUpWithForm(email: string, password: string) {
		await this.open('/signup');
		await this.fill(email, password, 'Sign up');
		await expect(this.page).toHaveURL(/\/$/);
	}

	/** Fills in and sends the log-in form (of the test server, or of the server at `origin`). */
	async logIn(email: string, password: string, origin = '') {
		await this.open(`${origin}/login`);
		await this.fill(email, password, 'Log in');
	}

	/** Opens a form's page and waits until it is interactive: what is typed before then can be lost. */
	private async open(url: string) {
		await this.page.goto(url);
		await expect(this.page.locator('[data-hydrated]')).toHaveCount(1);
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
