import { expect, test, type Page } from '@playwright/test';
import { loginAsAdmin } from './pages/admin-page';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';

const password = 'correct horse battery';

function uniqueEmail(prefix: string) {
	return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** Starts a task in this page's chat and waits for its answer; returns the task's id. */
async function startTask(page: Page, question: string): Promise<string> {
	const chat = new ChatPage(page);
	await chat.send(question);
	await chat.waitForIdle();
	await expect(page).toHaveURL(/\/chat\/[a-z0-9]+$/);
	return new URL(page.url()).pathname.split('/').at(-1) ?? '';
}

/** Marks the page's window, so that a test can tell it was never reloaded. */
async function markWindow(page: Page) {
	await page.evaluate(() => ((window as unknown as { liveMark: boolean }).liveMark = true));
}

async function windowIsMarked(page: Page): Promise<boolean> {
	return page.evaluate(() => (window as unknown as { liveMark?: boolean }).liveMark === true);
}

test('two tabs of one user on a task see each other’s questions and answers stream in, without reloading', async ({ page, browser }) => {
	// Long answers stream for several seconds at the test server's token delay.
	test.slow();
	await new AuthPage(page).signUp(uniqueEmail('live'), password);
	const taskId = await startTask(page, 'Hello from the first tab');

	// The same person on another device: the same session, a separate browser.
	const other = await browser.newContext({ storageState: await page.context().storageState() });
	const second = await other.newPage();
	await second.goto(`/chat/${taskId}`);
	const first = new ChatPage(page);
	const seen = new ChatPage(second);
	await expect(seen.questions()).toHaveCount(1);
	await markWindow(second);

	// The first tab asks; the second sees the question, then the answer streaming in.
	await first.send('Write a long answer about rain. Slowly, please.');
	await expect(seen.questions()).toHaveCount(2);
	await expect(seen.questions().nth(1)).toContainText('Write a long answer about rain');
	await expect(seen.answers().nth(1)).toContainText('Here is a long answer about rain');
	// While it streams elsewhere, this tab offers to stop it rather than to send.
	await expect(second.getByRole('button', { name: 'Stop' })).toBeVisible();
	await expect(seen.answers().nth(1)).toContainText('Finally, it is worth summarising', { timeout: 30_000 });
	await seen.waitForIdle();
	await first.waitForIdle();
	expect(await windowIsMarked(second)).toBe(true);

	// The tab that asked shows its own answer once, not also the live copy.
	await expect(first.questions()).toHaveCount(2);
	await expect(first.answers()).toHaveCount(2);
	await expect(seen.answers()).toHaveCount(2);
	expect(await first.answers().nth(1).innerText()).toBe(await seen.answers().nth(1).innerText());

	// And the other way round.
	await markWindow(page);
	await seen.send('A reply from the second tab');
	await expect(first.questions().nth(2)).toContainText('A reply from the second tab');
	await expect(first.answers().nth(2)).toContainText('You said: "A reply from the second tab"');
	await first.waitForIdle();
	await seen.waitForIdle();
	await expect(first.answers()).toHaveCount(3);
	await expect(seen.answers()).toHaveCount(3);
	await expect(seen.questions()).toHaveCount(3);
	expect(await windowIsMarked(page)).toBe(true);
	await other.close();
});

test('an admin watching a user’s task sees the new question and the answer as it streams', async ({ page, browser }) => {
	test.slow();
	await new AuthPage(page).signUp(uniqueEmail('watched'), password);
	const taskId = await startTask(page, 'A first question');

	const adminContext = await browser.newContext();
	const admin = await adminContext.newPage();
	await loginAsAdmin(admin);
	await admin.goto(`/admin/tasks/${taskId}`);
	const messages = admin.getByTestId('admin-messages').locator(':scope > li');
	await expect(messages).toHaveCount(2);
	await markWindow(admin);

	await new ChatPage(page).send('Write a long answer about the sea. Slowly, please.');
	await expect(messages).toHaveCount(4);
	await expect(messages.nth(2)).toContainText('Write a long answer about the sea');
	await expect(messages.nth(3)).toContainText('Here is a long answer about the sea');
	// Streaming first, complete at the end.
	await expect(messages.nth(3).getByTestId('admin-message-meta')).toContainText('Streaming');
	await expect(messages.nth(3)).toContainText('Finally, it is worth summarising', { timeout: 30_000 });
	await expect(messages.nth(3).getByTestId('admin-message-meta')).not.toContainText('Streaming');
	// The stored counts arrive with it, the offline model's reasoning among them.
	await expect(messages.nth(3).getByTestId('admin-message-tokens')).toHaveText(/^[\d,]+ in · [\d,]+ out \([\d,]+ reasoning\)$/);
	expect(await windowIsMarked(admin)).toBe(true);
	await adminContext.close();
});
