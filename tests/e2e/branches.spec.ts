import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { seedLongTask } from '../support/long-task';
import { VIEWPORTS } from '../support/viewports';
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

/** Signs a new account up, gives it a task of `pairs` questions and answers, and opens it. */
async function openTask(page: Page, pairs: number) {
	const email = uniqueEmail('branches');
	await new AuthPage(page).signUp(email, password);
	const task = await seedLongTask({ databaseUrl: databaseUrl(), email, pairs });
	await page.goto(`/chat/${task.taskId}`);
	const chat = new ChatPage(page);
	await expect(chat.messages).not.toHaveCount(0);
	return { task, chat };
}

/** The message holding `text`, brought into view: older messages are drawn near the view only, so the list jumps to its top until it shows. */
async function messageAtTop(page: Page, text: string): Promise<Locator> {
	const list = page.locator('section.messages');
	const message = page.getByTestId('message').filter({ hasText: text });
	await expect(async () => {
		await list.evaluate((element) => element.scrollTo({ top: 0 }));
		await expect(message).toBeInViewport({ timeout: 1000 });
	}).toPass();
	return message;
}

for (const viewport of VIEWPORTS) {
	test.describe(`branches (${viewport.name})`, () => {
		test.use({ viewport: { width: viewport.width, height: viewport.height } });

		test('editing the first question of a long task makes a version to switch to and back, after a reload too', async ({ page }) => {
			const { task, chat } = await openTask(page, 30);
			const first = await messageAtTop(page, task.firstQuestion);
			await first.getByRole('button', { name: 'Edit message' }).click();
			const editor = page.getByRole('textbox', { name: 'Edit message' });
			await editor.fill('Start over with otters');
			await editor.press('Enter');

			await expect(chat.answers().first()).toContainText('You said: "Start over with otters"');
			await chat.waitForIdle();
			await expect(chat.messages).toHaveCount(2);
			await expect(chat.questions().first().getByTestId('versions')).toHaveText('2/2');

			await page.reload();
			await expect(chat.messages).toHaveCount(2);
			const edited = chat.questions().first();
			await expect(edited).toContainText('Start over with otters');
			await expect(edited.getByTestId('versions')).toHaveText('2/2');

			// The first version brings the whole long task back, down to its last answer.
			await edited.getByRole('button', { name: 'Previous version' }).click();
			await expect(chat.answers().last()).toContainText(task.lastAnswer);
			await page.reload();
			await expect(chat.answers().last()).toContainText(task.lastAnswer);
			const original = await messageAtTop(page, task.firstQuestion);
			await expect(original.getByTestId('versions')).toHaveText('1/2');

			await original.getByRole('button', { name: 'Next version' }).click();
			await expect(chat.messages).toHaveCount(2);
			await expect(chat.questions().first()).toContainText('Start over with otters');
			await page.reload();
			await expect(chat.messages).toHaveCount(2);
			await expect(chat.questions().first()).toContainText('Start over with otters');
		});

		test('regenerating a middle answer keeps the questions before it, and the old answer as a version', async ({ page }) => {
			const { chat } = await openTask(page, 3);
			await expect(chat.messages).toHaveCount(6);
			const middle = chat.answers().nth(1);
			await expect(middle).toContainText('Answer 2 of 3');
			await middle.getByRole('button', { name: 'Regenerate answer' }).click();

			await expect(chat.answers().nth(1)).toContainText('You said: "Question 2 of 3');
			await chat.waitForIdle();
			await expect(chat.messages).toHaveCount(4);
			await expect(chat.answers().nth(1).getByTestId('versions')).toHaveText('2/2');

			await page.reload();
			await expect(chat.messages).toHaveCount(4);
			const regenerated = chat.answers().nth(1);
			await expect(regenerated).toContainText('You said: "Question 2 of 3');
			await regenerated.getByRole('button', { name: 'Previous version' }).click();
			await expect(chat.messages).toHaveCount(6);
			await expect(chat.answers().nth(1)).toContainText('Answer 2 of 3');
			await expect(chat.answers().nth(1).getByTestId('versions')).toHaveText('1/2');
		});
	});
}
