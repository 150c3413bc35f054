import { join } from 'node:path';
import { expect, test, type ConsoleMessage, type Page } from '@playwright/test';
import { seedLongTask } from '../support/long-task';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';

const password = 'correct horse battery';

function uniqueEmail(prefix: string) {
	return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** The e2e server's database (tests/playwright.config.ts shares its folder with the workers). */
function databaseUrl() {
	const folder = process.env.E2E_DATA_FOLDER;
	if (!folder) throw new Error('E2E_DATA_FOLDER is not set: run these tests with tests/playwright.config.ts');
	return `file:${join(folder, 'parley.db')}`;
}

/**
 * Svelte's runtime warnings and errors, as the browser console shows them: `[svelte] code` in
 * development, a link to `svelte.dev/e/code` in a production build.
 */
function collectSvelteMessages(page: Page): string[] {
	const messages: string[] = [];
	page.on('console', (message: ConsoleMessage) => {
		const text = message.text();
		if (/\[svelte\]|svelte\.dev\/e\//.test(text)) messages.push(`${message.type()}: ${text}`);
	});
	return messages;
}

test('a long task streams an answer here and live in a second tab without a Svelte warning', async ({ page, context }) => {
	const email = uniqueEmail('console');
	await new AuthPage(page).signUp(email, password);
	const task = await seedLongTask({ databaseUrl: databaseUrl(), email, pairs: 120 });

	const here = collectSvelteMessages(page);
	await page.goto(`/chat/${task.taskId}`);
	const chat = new ChatPage(page);
	await expect(chat.answers().last()).toContainText(task.lastAnswer);

	// The second tab follows the task live: the answer arrives there as task events.
	const other = await context.newPage();
	const there = collectSvelteMessages(other);
	await other.goto(`/chat/${task.taskId}`);
	const otherChat = new ChatPage(other);
	await expect(otherChat.answers().last()).toContainText(task.lastAnswer);
	await expect(other.locator('[data-hydrated]')).toHaveCount(1);

	await chat.send('Please give me a long answer about streams');
	await chat.waitForIdle();
	await expect(chat.answers().last()).toContainText('streams');
	await expect(otherChat.questions().last()).toHaveText('Please give me a long answer about streams');
	await otherChat.waitForIdle();
	await expect(otherChat.answers().last()).toContainText('streams');
	await expect(otherChat.answers()).toHaveCount(await chat.answers().count());

	expect(here).toEqual([]);
	expect(there).toEqual([]);
});
