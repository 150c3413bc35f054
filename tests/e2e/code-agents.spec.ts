import { expect, test, type Page } from '@playwright/test';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';

const password = 'correct horse battery';

function widgetsOf(page: Page, type: string) {
	return page.locator(`[data-testid="widget"][data-widget-type="${type}"]`);
}

test('the support agent: a topic menu answered as a message, and a form answered as its tool call’s output', async ({ page }) => {
	await new AuthPage(page).signUp(`support-${Date.now()}@example.com`, password);
	const chat = new ChatPage(page);
	await chat.pickAgent('support');
	await chat.send('Hello');

	const menu = widgetsOf(page, 'choice');
	await expect(menu.getByRole('group', { name: 'What can we help you with?' })).toBeVisible();
	await chat.waitForIdle();
	await menu.getByRole('button', { name: /My support plan/ }).click();

	// The choice goes back as the next question; the agent's tool gets the user id and plan from the task's context.
	await expect(chat.questions().nth(1)).toContainText('My support plan');
	await expect(chat.answers().nth(1)).toContainText('4 business hours');
	await chat.waitForIdle();
	await expect(menu).toContainText('Chosen: My support plan');

	await chat.send('Could you show the contact form?');
	const form = widgetsOf(page, 'form');
	await expect(form.getByLabel('Name')).toBeVisible();
	await chat.waitForIdle();
	await form.getByLabel('Name').fill('Ada Lovelace');
	await form.getByLabel('Email').fill('ada@example.com');
	await form.getByRole('button', { name: 'Send details' }).click();

	// The same answer goes on: the model reads the form's values as the call's output.
	await expect(chat.answers().nth(2)).toContainText('ada@example.com');
	await chat.waitForIdle();
	await expect(chat.questions()).toHaveCount(3);
	await expect(form.getByLabel('Name')).toBeDisabled();
});
