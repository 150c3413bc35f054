import { expect, test } from '@playwright/test';
import { VIEWPORTS } from '../support/viewports';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';
import { Sidebar } from './pages/sidebar';

const password = 'correct horse battery';
const uniqueEmail = (prefix: string) => `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;

for (const viewport of VIEWPORTS) {
	test.describe(`agent switch and shortcuts (${viewport.name})`, () => {
		test.use({ viewport: { width: viewport.width, height: viewport.height } });

		test('the header menu changes the agent of an empty chat, and opens a new chat from one with messages', async ({ page }) => {
			await new AuthPage(page).signUp(uniqueEmail('agent-switch'), password);
			const chat = new ChatPage(page);
			const picker = page.getByTestId('agent-picker');
			await expect(picker).toContainText('Assistant');

			// The menu lists each agent with its description and model, and is used with the keyboard.
			await picker.focus();
			await page.keyboard.press('Enter');
			const menu = page.getByRole('menu', { name: 'Agents' });
			const toolDemo = menu.getByRole('menuitemradio', { name: /Tool demo/ });
			await expect(menu.getByRole('menuitemradio', { name: /Assistant/ }).first()).toHaveAttribute('aria-checked', 'true');
			await expect(toolDemo).toContainText('Shows tool calls');
			await expect(toolDemo).toContainText('Offline demo model');
			await expect(menu.getByRole('menuitemradio', { name: /^Assistant/ })).toBeFocused();
			await page.keyboard.press('End');
			await expect(menu.getByRole('menuitemradio').last()).toBeFocused();
			await toolDemo.focus();
			await page.keyboard.press('Enter');
			await expect(menu).toHaveCount(0);
			await expect(picker).toContainText('Tool demo');
			await expect(page).toHaveURL(/\/$/);

			// The chat goes to the agent chosen.
			await chat.send('Please use the calculator expression="6*7"');
			await expect(page.getByTestId('tool-call')).toContainText('42');
			await chat.waitForIdle();
			const taskUrl = page.url();

			// With messages, choosing another agent opens a new chat with it at once.
			await chat.pickAgent('assistant');
			await expect(page).toHaveURL(/\/\?agent=assistant$/);
			await expect(chat.questions()).toHaveCount(0);
			await expect(picker).toContainText('Assistant');

			// The same from a chat's own page.
			await page.goto(taskUrl);
			await expect(chat.questions()).toHaveCount(1);
			await chat.pickAgent('assistant');
			await expect(page).toHaveURL(/\/\?agent=assistant$/);
			await expect(chat.questions()).toHaveCount(0);
		});

		test('Ctrl+K searches, Ctrl+Shift+O starts a new chat, Escape stops an answer but first closes a menu', async ({ page }) => {
			await new AuthPage(page).signUp(uniqueEmail('shortcuts'), password);
			const chat = new ChatPage(page);
			const sidebar = new Sidebar(page);

			await chat.send('Until I interrupt you, write a long answer about rivers');
			await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();

			// Escape in an open menu closes the menu and leaves the answer running.
			await page.getByTestId('agent-picker').click();
			await expect(page.getByRole('menu', { name: 'Agents' })).toBeVisible();
			await page.keyboard.press('Escape');
			await expect(page.getByRole('menu', { name: 'Agents' })).toHaveCount(0);
			await expect(page.getByTestId('agent-picker')).toBeFocused();
			await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();

			// Escape with the focus outside the composer stops the answer.
			await page.keyboard.press('Escape');
			await expect(page.getByTestId('interrupted')).toBeVisible();
			await chat.waitForIdle();

			// Ctrl+K opens the sidebar (the drawer on a phone) with its search focused.
			await page.locator('body').click({ position: { x: 5, y: 200 } });
			await page.keyboard.press('Control+k');
			await expect(sidebar.search).toBeFocused();
			await expect(sidebar.root).toBeVisible();
			await page.keyboard.press('Escape');

			// Ctrl+Shift+O starts a new chat, ready to type in.
			await expect(page).toHaveURL(/\/chat\//);
			await page.keyboard.press('Control+Shift+O');
			await expect(page).toHaveURL(/\/$/);
			await expect(chat.questions()).toHaveCount(0);
			await expect(chat.input).toBeFocused();
		});

		test('the sidebar collapses on wide screens and stays so after a reload; on phones it is a drawer', async ({ page }) => {
			await new AuthPage(page).signUp(uniqueEmail('collapse'), password);
			const sidebar = new Sidebar(page);
			if (viewport.name === 'phone') {
				await expect(sidebar.root).toBeHidden();
				await expect(sidebar.toggle).toHaveAttribute('aria-expanded', 'false');
				await sidebar.toggle.click();
				await expect(sidebar.root).toBeVisible();
				await expect(sidebar.toggle).toHaveAttribute('aria-expanded', 'true');
				// The drawer covers the page: the focus moves into it, and Escape gives it back.
				await expect(sidebar.root.getByRole('link', { name: 'New chat' })).toBeFocused();
				await page.keyboard.press('Escape');
				await expect(sidebar.root).toBeHidden();
				await expect(sidebar.toggle).toBeFocused();
				return;
			}
			await expect(sidebar.root).toBeVisible();
			await sidebar.toggle.click();
			await expect(sidebar.root).toBeHidden();
			await expect(sidebar.toggle).toHaveAttribute('aria-expanded', 'false');
			await page.reload();
			await expect(sidebar.toggle).toHaveAttribute('aria-expanded', 'false');
			await expect(sidebar.root).toBeHidden();
			// The server renders it collapsed too: nothing shows and then hides.
			const html = await (await page.request.get('/')).text();
			expect(html).toMatch(/class="layout[^"]*\bcollapsed\b/);
			await sidebar.toggle.click();
			await expect(sidebar.root).toBeVisible();
		});
	});
}
