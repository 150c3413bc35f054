import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';
import { LONG_ANSWER_END } from '../support/text-deltas';
import { gotoInteractive } from './pages/goto-interactive';

const password = 'correct horse battery';

function uniqueEmail(prefix: string) {
	return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

test('sign up, chat with a streamed answer, and find it again after a reload', async ({ page }) => {
	await new AuthPage(page).signUpWithForm(uniqueEmail('chat'), password);
	const chat = new ChatPage(page);

	await expect(page.getByTestId('model-label')).toHaveText('Offline demo model');
	// Asked for slowly, it is still streaming when the Stop button is looked for.
	await chat.send('Hello Parley, how are you today? Answer slowly.');

	// The answer streams in word by word: first a Stop button and a partial answer, then the whole.
	await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
	const answer = chat.answers().first();
	await expect(answer).toContainText('You said: "Hello Parley, how are you today? Answer slowly."');
	await chat.waitForIdle();
	await expect(answer).toContainText('offline demo model');
	await expect(page).toHaveURL(/\/chat\/[a-z0-9]+$/);

	await page.reload();
	await expect(chat.questions()).toHaveCount(1);
	await expect(chat.questions().first()).toContainText('Hello Parley, how are you today?');
	await expect(chat.answers().first()).toContainText('You said: "Hello Parley, how are you today? Answer slowly."');
	await expect(page.getByRole('heading', { level: 1 })).toHaveText('Hello Parley, how are you today? Answer slowly.');

	await page.getByRole('link', { name: 'Tasks' }).click();
	await expect(page.getByTestId('task-list')).toContainText('Hello Parley, how are you today?');
});

test('the tool demo agent shows its tool call and answers from the result', async ({ page }) => {
	await new AuthPage(page).signUp(uniqueEmail('tools'), password);
	const chat = new ChatPage(page);
	await chat.pickAgent('tool-demo');
	await chat.send('Please use the calculator expression="6*7"');

	const toolCard = page.getByTestId('tool-call');
	await expect(toolCard).toHaveAttribute('data-state', 'output-available');
	await expect(toolCard).toContainText('calculator');
	await expect(toolCard).toContainText('42');
	await chat.waitForIdle();
	await expect(chat.answers().first()).toContainText('The calculator tool returned');
	// For people to look at: the chat with a tool card, reasoning and the message actions.
	const folder = resolve(import.meta.dirname, '../../test-results/screenshots');
	mkdirSync(folder, { recursive: true });
	await page.screenshot({ path: resolve(folder, 'chat.png') });
});

test('log-in and sign-up errors are shown on the form', async ({ page }) => {
	const email = uniqueEmail('errors');
	const auth = new AuthPage(page);
	await auth.signUp(email, password);
	await page.getByRole('button', { name: 'Log out' }).click();
	await expect(page).toHaveURL(/\/login$/);

	await auth.logIn(email, 'not the password');
	await expect(auth.error()).toHaveText('Wrong email or password.');

	await gotoInteractive(page, '/signup');
	await auth.fill(email, password, 'Sign up');
	await expect(auth.error()).toContainText('already exists');

	await auth.fill(uniqueEmail('short'), 'short', 'Sign up');
	await expect(auth.error()).toHaveText('Use at least 8 characters for your password.');

	await auth.logIn(email, password);
	await expect(page).toHaveURL(/\/$/);
	await expect(page.getByText(email)).toBeVisible();
});

test('pages that need an account send visitors to log in', async ({ page }) => {
	await page.goto('/tasks');
	await expect(page).toHaveURL(/\/login\?next=%2Ftasks$/);
});

test('Stop keeps the partial answer, marked as interrupted', async ({ page }) => {
	await new AuthPage(page).signUp(uniqueEmail('stop'), password);
	const chat = new ChatPage(page);
	// It waits before its last paragraph until stopped: Stop always finds it streaming.
	await chat.send('Until I interrupt you, please write a long answer about the sea');
	// Eight words in, the answer is stopped.
	await expect(chat.answers().first()).toContainText('Here is a long answer about the sea.');
	const stopped = page.waitForResponse((response) => /\/api\/chat\/[^/]+\/stop$/.test(new URL(response.url()).pathname));
	await page.getByRole('button', { name: 'Stop' }).click();
	expect(await (await stopped).json()).toMatchObject({ stopped: true });

	await chat.waitForIdle();
	await expect(page.getByTestId('interrupted')).toBeVisible();
	await page.reload();
	await expect(page.getByTestId('interrupted')).toBeVisible();
	await expect(chat.answers().first()).toContainText('Here is a long answer about the sea.');
	await expect(chat.answers().first()).not.toContainText(LONG_ANSWER_END);
});

test('a reload while the answer streams reconnects to it', async ({ page }) => {
	test.slow();
	await new AuthPage(page).signUp(uniqueEmail('resume'), password);
	const chat = new ChatPage(page);
	// Asked for slowly, it is still streaming after the reload.
	await chat.send('Please write a long answer about mountains. Slowly, please.');
	await expect(chat.answers().first()).toContainText('Here is a long answer');
	await page.reload();

	// The page picks the running answer up again and follows it to the end.
	await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
	await chat.waitForIdle();
	await expect(chat.answers()).toHaveCount(1);
	const words = (await chat.answers().first().innerText()).split(/\s+/).length;
	expect(words).toBeGreaterThanOrEqual(200);
	await expect(page.getByTestId('interrupted')).toHaveCount(0);
});
