import { expect, test, type Page } from '@playwright/test';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';

const password = 'correct horse battery';

function uniqueEmail(prefix: string) {
	return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** Signs up, asks one question and waits for the whole answer. */
async function chatOnce(page: Page, prefix: string, question: string): Promise<ChatPage> {
	await new AuthPage(page).signUp(uniqueEmail(prefix), password);
	const chat = new ChatPage(page);
	await chat.send(question);
	await expect(chat.answers().first()).toContainText(`You said: "${question}"`);
	await chat.waitForIdle();
	return chat;
}

test('copy puts the answer’s text on the clipboard', async ({ page, context }) => {
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	const chat = await chatOnce(page, 'copy', 'Copy this answer please');
	const answer = chat.answers().first();

	await answer.getByRole('button', { name: 'Copy message' }).click();
	await expect(answer.getByRole('button', { name: 'Copied' })).toBeVisible();
	const copied = await page.evaluate(() => navigator.clipboard.readText());
	expect(copied).toContain('You said: "Copy this answer please"');
	// Only the answer's text is copied, not its reasoning or the buttons' labels.
	expect(copied).not.toContain('Reasoning');
	expect(copied).not.toContain('Copy message');
});

test('regenerate makes a new version of the last answer, the old one kept', async ({ page }) => {
	const chat = await chatOnce(page, 'regen', 'First question here');
	await chat.send('Second question here');
	await expect(chat.answers()).toHaveCount(2);
	await chat.waitForIdle();

	const regenerate = page.waitForRequest(
		(request) => request.url().endsWith('/api/chat') && request.postData()?.includes('"regenerate-message"') === true
	);
	await chat.answers().last().getByRole('button', { name: 'Regenerate answer' }).click();
	await regenerate;
	await chat.waitForIdle();
	await expect(chat.answers()).toHaveCount(2);
	await expect(chat.answers().last()).toContainText('You said: "Second question here"');

	await expect(chat.answers().last().getByTestId('versions')).toHaveText('2/2');

	await page.reload();
	await expect(chat.questions()).toHaveCount(2);
	await expect(chat.answers()).toHaveCount(2);
	await expect(chat.answers().last()).toContainText('You said: "Second question here"');
	await expect(chat.answers().last().getByTestId('versions')).toHaveText('2/2');
});

test('editing the last question shows the new version and its answer, also after a reload', async ({ page }) => {
	const chat = await chatOnce(page, 'edit', 'Tell me about beavers');
	const question = chat.questions().first();

	await question.getByRole('button', { name: 'Edit message' }).click();
	const editor = page.getByRole('textbox', { name: 'Edit message' });
	await expect(editor).toHaveValue('Tell me about beavers');
	// Escape gives up the edit and leaves the question as it was.
	await editor.press('Escape');
	await expect(editor).toHaveCount(0);
	await expect(question).toContainText('Tell me about beavers');

	await question.getByRole('button', { name: 'Edit message' }).click();
	await editor.fill('Tell me about otters');
	await editor.press('Enter');
	await expect(chat.answers().first()).toContainText('You said: "Tell me about otters"');
	await chat.waitForIdle();
	await expect(chat.questions()).toHaveCount(1);
	await expect(chat.questions().first()).toContainText('Tell me about otters');

	await page.reload();
	await expect(chat.questions()).toHaveCount(1);
	await expect(chat.questions().first()).toContainText('Tell me about otters');
	await expect(chat.answers()).toHaveCount(1);
	await expect(chat.answers().first()).toContainText('You said: "Tell me about otters"');
});

test('a request that fails shows the error with Retry, which sends the question again', async ({ page }) => {
	await new AuthPage(page).signUp(uniqueEmail('retry'), password);
	const chat = new ChatPage(page);
	let failed = false;
	await page.route('**/api/chat', async (route) => {
		if (failed) return route.continue();
		failed = true;
		await route.fulfill({
			status: 503,
			contentType: 'application/json',
			body: JSON.stringify({ error: { code: 'unavailable', message: 'The server is busy. Try again.' } })
		});
	});

	await chat.send('Will this arrive?');
	const alert = page.getByRole('alert');
	await expect(alert).toBeVisible();
	await alert.getByRole('button', { name: 'Retry' }).click();
	await expect(chat.answers().first()).toContainText('You said: "Will this arrive?"');
	await chat.waitForIdle();
	await expect(page.getByRole('alert')).toHaveCount(0);
	await expect(chat.questions()).toHaveCount(1);

	await page.reload();
	await expect(chat.questions()).toHaveCount(1);
	await expect(chat.answers().first()).toContainText('You said: "Will this arrive?"');
});
