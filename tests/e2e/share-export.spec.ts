import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { VIEWPORTS } from '../support/viewports';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';
import { SettingsPage } from './pages/settings-page';

const password = 'correct horse battery';

/** Downloads one of the Export menu's formats and returns the file's text. */
async function download(page: Page, label: string): Promise<string> {
	await page.getByRole('button', { name: 'Export' }).or(page.getByLabel('Export')).first().click();
	const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: label }).click()]);
	return readFile((await file.path())!, 'utf8');
}

for (const viewport of VIEWPORTS) {
	test.describe(`sharing and export (${viewport.name})`, () => {
		test.use({ viewport: { width: viewport.width, height: viewport.height } });

		test('a shared link shows the chat logged out, leaves later messages out, and 404s once revoked', async ({ page, browser }) => {
			await new AuthPage(page).signUp(`share-${viewport.name}-${Date.now()}@example.com`, password);
			const chat = new ChatPage(page);
			await chat.send('What do otters eat?');
			await chat.waitForIdle();
			await expect(page).toHaveURL(/\/chat\/[a-z0-9]+$/);
			await page.reload();

			await page.getByRole('button', { name: 'Share' }).click();
			const dialog = page.getByRole('dialog', { name: 'Share this chat' });
			await dialog.getByRole('button', { name: 'Create link' }).click();
			const url = await dialog.getByTestId('share-url').inputValue();
			expect(url).toMatch(/\/s\/[A-Za-z0-9_-]{32}$/);
			await expect(dialog.getByRole('button', { name: 'Update link' })).toBeVisible();
			await dialog.getByRole('button', { name: 'Close' }).click();

			const visitor = await browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
			const visitorPage = await visitor.newPage();
			await visitorPage.goto(url);
			await expect(visitorPage.getByRole('heading', { level: 1 })).toHaveText('What do otters eat?');
			await expect(visitorPage.getByTestId('shared-meta')).toContainText('Assistant');
			const shared = visitorPage.getByTestId('shared-messages').getByTestId('message');
			await expect(shared).toHaveCount(2);
			await expect(shared.nth(1)).toContainText('You said: "What do otters eat?"');
			// Read-only: no composer, and the visitor is not signed in.
			await expect(visitorPage.getByRole('textbox', { name: 'Message' })).toHaveCount(0);
			await expect(visitorPage.getByRole('link', { name: 'Log in' })).toBeVisible();

			await chat.send('And what about beavers?');
			await chat.waitForIdle();
			await visitorPage.reload();
			await expect(shared).toHaveCount(2);
			await expect(visitorPage.getByTestId('shared-messages')).not.toContainText('beavers');

			const settings = new SettingsPage(page);
			await settings.open();
			await expect(settings.shareLinks).toHaveCount(1);
			await settings.revokeLink('What do otters eat?');
			await expect(page.getByText('No shared links.')).toBeVisible();

			const gone = await visitorPage.goto(url);
			expect(gone?.status()).toBe(404);
			await expect(visitorPage.getByText('What do otters eat?')).toHaveCount(0);
			await visitor.close();
		});

		test('export downloads the chat as Markdown and as JSON', async ({ page }) => {
			await new AuthPage(page).signUp(`export-${viewport.name}-${Date.now()}@example.com`, password);
			const chat = new ChatPage(page);
			await chat.send('Tell me about lighthouses');
			await chat.waitForIdle();
			await page.reload();

			const markdown = await download(page, 'Markdown (.md)');
			expect(markdown).toMatch(/^# Tell me about lighthouses\n\nAgent: \*\*Assistant\*\* · Exported .+ · 2 messages\n/);
			expect(markdown).toContain('## You\n\nTell me about lighthouses');
			expect(markdown).toMatch(/## Assistant\n\n> \*\*Reasoning\*\*/);
			expect(markdown).toContain('You said: "Tell me about lighthouses"');

			const json = JSON.parse(await download(page, 'JSON (.json)')) as {
				format: string;
				task: { title: string; agent: { slug: string } };
				messages: { role: string; status: string; parts: { type: string; text?: string }[] }[];
			};
			expect(json.format).toBe('parley.task-export');
			expect(json.task).toMatchObject({ title: 'Tell me about lighthouses', agent: { slug: 'assistant' } });
			expect(json.messages.map((message) => message.role)).toEqual(['user', 'assistant']);
			expect(json.messages[0].parts).toEqual([{ type: 'text', text: 'Tell me about lighthouses' }]);
			expect(json.messages[1].status).toBe('complete');
			expect(json.messages[1].parts.map((part) => part.type)).toContain('reasoning');
		});
	});
}
