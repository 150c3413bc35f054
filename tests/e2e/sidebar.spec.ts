import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { seedTasks } from '../support/many-tasks';
import { VIEWPORTS } from '../support/viewports';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';
import { answerConfirmation } from './pages/confirm-dialog';
import { PlaygroundPage } from './pages/playground-page';
import { Sidebar } from './pages/sidebar';

const password = 'correct horse battery';
const uniqueEmail = (prefix: string) => `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
const uniqueId = (prefix: string) => `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

/** Starts a task with one question through the chat API, as the signed-in user. */
async function startTask(page: Page, baseURL: string, text: string) {
	const id = uniqueId('task');
	const response = await page.request.post(`${baseURL}/api/chat`, {
		headers: { origin: baseURL },
		data: { id, messages: [{ role: 'user', parts: [{ type: 'text', text }] }] }
	});
	expect(response.status()).toBe(200);
	await response.text();
	return id;
}

/** The e2e server's database, which the Playwright config chose. */
function databaseUrl() {
	const folder = process.env.E2E_DATA_FOLDER;
	if (!folder) throw new Error('E2E_DATA_FOLDER is not set: run these tests with tests/playwright.config.ts');
	return `file:${join(folder, 'parley.db')}`;
}

// Each test signs up its own account: they spread over the workers, so that this file, among the
// last to start and the longest of those, does not keep one worker busy while the others are done.
test.describe.configure({ mode: 'parallel' });

for (const viewport of VIEWPORTS) {
	test.describe(`chat sidebar (${viewport.name})`, () => {
		test.use({ viewport: { width: viewport.width, height: viewport.height } });

		test('a new task appears live, with its title, marked while it answers; New chat starts again', async ({ page, context }) => {
			await new AuthPage(page).signUp(uniqueEmail('sidebar-live'), password);
			const sidebar = new Sidebar(page);
			const chat = new ChatPage(page);
			await sidebar.open();
			await expect(sidebar.root.getByTestId('sidebar-empty')).toHaveText(/No chats yet/);
			await sidebar.close();

			// A second tab of the same person follows the list live.
			const other = await context.newPage();
			await other.goto('/');
			const otherSidebar = new Sidebar(other);
			await otherSidebar.open();
			await expect(otherSidebar.root.getByTestId('sidebar-empty')).toBeVisible();

			// Asked for slowly, it is still answering when the other tab looks (about 12 s).
			test.slow();
			const title = 'Tell me about lighthouses, a long answer please, slowly';
			await chat.send(title);
			await expect(page).toHaveURL(/\/chat\//);
			const row = otherSidebar.row(title);
			await expect(row).toBeVisible();
			await expect(row).toHaveAttribute('data-running', 'true');
			await expect(otherSidebar.group('Today')).toBeVisible();
			await expect(row).not.toHaveAttribute('data-running', { timeout: 40_000 });
			await chat.waitForIdle();

			// The sending tab lists it too, as the chat on screen.
			await sidebar.open();
			await expect(sidebar.row(title).getByRole('link')).toHaveAttribute('aria-current', 'page');

			await sidebar.newChat();
			await expect(page).toHaveURL(/\/$/);
			await expect(chat.questions()).toHaveCount(0);
			await expect(chat.input).toBeFocused();
			await other.close();
		});

		test('search, rename, archive and delete from the row menu', async ({ page, baseURL }) => {
			const base = baseURL ?? '';
			await new AuthPage(page).signUp(uniqueEmail('sidebar-menu'), password);
			await startTask(page, base, 'How do ocean tides work?');
			const riverId = await startTask(page, base, 'Which river is the longest?');
			await startTask(page, base, 'Where do swallows spend the winter?');
			await page.goto(`/chat/${riverId}`);
			const sidebar = new Sidebar(page);
			await sidebar.open();
			await expect(sidebar.rows()).toHaveCount(3);

			// Search finds message text by prefix, and clearing it shows the list again.
			await sidebar.search.fill('longe');
			await expect(sidebar.rows()).toHaveCount(1);
			await expect(sidebar.rows().first()).toContainText('Which river is the longest?');
			await sidebar.search.fill('');
			await expect(sidebar.rows()).toHaveCount(3);

			// Rename with the keyboard: the menu opens on its button, arrows move, Enter chooses.
			const options = sidebar.row('How do ocean tides work?').getByRole('button', { name: /^Options for/ });
			await options.focus();
			await page.keyboard.press('Enter');
			const menu = page.getByRole('menu', { name: /Options for/ });
			await expect(menu.getByRole('menuitem', { name: 'Rename' })).toBeFocused();
			await page.keyboard.press('ArrowDown');
			await expect(menu.getByRole('menuitem', { name: 'Archive' })).toBeFocused();
			await page.keyboard.press('Escape');
			await expect(menu).toHaveCount(0);
			await expect(options).toBeFocused();
			await page.keyboard.press('Enter');
			await page.keyboard.press('Enter');
			const titleBox = sidebar.root.getByRole('textbox', { name: 'Title' });
			await titleBox.fill('Tides explained');
			await titleBox.press('Enter');
			await expect(sidebar.row('Tides explained')).toBeVisible();
			await page.reload();
			await sidebar.open();
			await expect(sidebar.row('Tides explained')).toBeVisible();

			// Archive: it leaves the sidebar; /tasks lists it as archived.
			await sidebar.choose('Where do swallows spend the winter?', 'Archive');
			await expect(sidebar.row('Where do swallows spend the winter?')).toHaveCount(0);
			await expect(sidebar.rows()).toHaveCount(2);

			// Delete asks first; deleting the chat on screen goes to a new chat.
			await sidebar.choose('Which river is the longest?', 'Delete');
			await answerConfirmation(page, 'Delete', { says: 'Which river is the longest?' });
			await expect(page).toHaveURL(/\/$/);
			// On a phone the drawer closes once the new chat shows.
			if (viewport.name === 'phone') await expect(sidebar.root).toBeHidden();
			await sidebar.open();
			await expect(sidebar.rows()).toHaveCount(1);
			await expect(sidebar.row('Tides explained')).toBeVisible();

			await page.goto('/tasks?status=archived');
			await expect(page.getByTestId('task-row')).toHaveCount(1);
			await expect(page.getByTestId('task-row')).toContainText('Where do swallows spend the winter?');
		});

		test('a long history is grouped by date and paged in as the list scrolls', async ({ page }) => {
			const email = uniqueEmail('sidebar-many');
			await new AuthPage(page).signUp(email, password);
			// 100 chats, one every 6 hours: today's, yesterday's, the week's and older ones.
			await seedTasks({ databaseUrl: databaseUrl(), email, count: 100, spacingMs: 6 * 60 * 60 * 1000 });
			await page.reload();
			const sidebar = new Sidebar(page);
			await sidebar.open();
			await expect(sidebar.rows()).toHaveCount(40);
			await expect(sidebar.rows().first()).toContainText('Chat 1 about');
			// 40 chats span ten days: every group shows, newest first.
			await expect(sidebar.root.getByRole('heading')).toHaveText(['Today', 'Yesterday', 'Previous 7 days', 'Older']);

			await sidebar.rows().last().scrollIntoViewIfNeeded();
			await expect(sidebar.rows()).toHaveCount(80);
			await sidebar.rows().last().scrollIntoViewIfNeeded();
			await expect(sidebar.rows()).toHaveCount(100);
			await expect(sidebar.rows().last()).toContainText('Chat 100 about');
		});

		test('playground tasks stay out of the sidebar; the Tasks filter shows them', async ({ page, baseURL }) => {
			const base = baseURL ?? '';
			await new AuthPage(page).signUp(uniqueEmail('sidebar-playground'), password);
			await startTask(page, base, 'A question asked in the chat');
			// Asked on the playground page, over the UI stream and the agent API.
			const playground = new PlaygroundPage(page);
			await playground.goto();
			await playground.send('A question tried in the playground');
			await playground.waitForIdle();
			await playground.goto();
			await playground.pickProtocol('agent-api');
			await playground.send('Another playground question');
			await playground.waitForIdle();
			await page.goto('/');
			const sidebar = new Sidebar(page);
			await sidebar.open();
			await expect(sidebar.row('A question asked in the chat')).toBeVisible();
			await expect(sidebar.rows()).toHaveCount(1);
			// Not found by a search either.
			await sidebar.search.fill('playground');
			await expect(sidebar.root.getByRole('status')).toHaveText(/No chats match/);

			await page.goto('/tasks');
			const rows = page.getByTestId('task-row');
			await expect(rows).toHaveCount(1);
			await page.getByRole('combobox', { name: 'Started from' }).selectOption('playground');
			await expect(page).toHaveURL(/source=playground/);
			await expect(rows).toHaveCount(2);
			await expect(page.getByTestId('task-list')).toContainText('A question tried in the playground');
			await expect(page.getByTestId('task-list')).toContainText('Another playground question');
			await expect(rows.first()).toContainText('Playground');
			await page.getByRole('combobox', { name: 'Started from' }).selectOption('all');
			await expect(rows).toHaveCount(3);
		});
	});
}
