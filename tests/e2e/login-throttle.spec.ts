import { expect, test } from '@playwright/test';
import { startServer, type TestServer } from '../support/server';
import { signUp } from '../support/session';
import { AuthPage } from './pages/auth-page';

// A server of its own, so that the failures below lock out nobody on the shared one.
let server: TestServer;

test.beforeAll(async () => {
	server = await startServer({ LOGIN_FAILURE_LIMIT: '2', LOGIN_FAILURE_WINDOW_MINUTES: '15' });
	await signUp(server.baseURL, 'throttled@example.com');
});

test.afterAll(async () => {
	await server?.stop();
});

test('the log-in form says when to try again after too many failed log-ins', async ({ page }) => {
	const auth = new AuthPage(page);
	for (let i = 0; i < 2; i++) {
		await auth.logIn('throttled@example.com', `wrong password ${i}`, server.baseURL);
		await expect(auth.error()).toHaveText('Wrong email or password.');
	}
	// Even the right password is refused until the window ends.
	await auth.logIn('throttled@example.com', 'correct horse battery', server.baseURL);
	await expect(auth.error()).toHaveText('Too many failed log-ins. Try again in 15 minutes.');
	await expect(page).toHaveURL(`${server.baseURL}/login`);
	await expect(page.getByLabel('Email')).toHaveValue('throttled@example.com');
});
