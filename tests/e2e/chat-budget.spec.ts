/**
 * The chat page's JavaScript budget (bench figure 6, as a test): a 500-message task opens with
 * less than 150 KB of scripts, gzipped, code highlighting excluded; the AI SDK's chat code is not
 * among them and comes with the first interaction, in time for the first message.
 */
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { expect, test, type Response } from '@playwright/test';
import { GZIP_LEVEL, readClientManifest } from '../../bench/lib/chat-page.mjs';
import { seedLongTask } from '../support/long-task';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';

/** The budget, in bytes (KB of 1,000 bytes, as the bench counts). */
const BUDGET_BYTES = 150_000;

function databaseUrl() {
	const folder = process.env.E2E_DATA_FOLDER;
	if (!folder) throw new Error('E2E_DATA_FOLDER is not set: run these tests with tests/playwright.config.ts');
	return `file:${join(folder, 'parley.db')}`;
}

test('a long task opens with less than 150 KB of JavaScript; the chat code comes at the first interaction', async ({ page }) => {
	const manifest = readClientManifest();
	if (!manifest) throw new Error('No Vite manifest: build first (the e2e server runs the build)');
	const chatCode = [...manifest.names].filter(([, name]) => name === 'chat-sdk').map(([file]) => file);
	expect(chatCode).toHaveLength(1);

	const email = `budget-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
	await new AuthPage(page).signUp(email, 'correct horse battery');
	const task = await seedLongTask({ databaseUrl: databaseUrl(), email });

	const scripts = new Map<string, Response>();
	page.on('response', (response) => {
		if (new URL(response.url()).pathname.endsWith('.js')) scripts.set(new URL(response.url()).pathname.slice(1), response);
	});
	await page.goto(`/chat/${task.taskId}`, { waitUntil: 'networkidle' });
	const chat = new ChatPage(page);
	await expect(chat.answers().last()).toContainText(task.lastAnswer);
	// Mounted: the list has left its server-side layout and scrolled to its end.
	await expect.poll(() => page.locator('section.messages').evaluate((list) => list.scrollTop)).toBeGreaterThan(0);

	const loaded = [...scripts.keys()];
	expect(loaded.filter((path) => chatCode.includes(path))).toEqual([]);
	let total = 0;
	for (const [path, response] of scripts) {
		if (manifest.highlighting.has(path)) continue;
		total += gzipSync(await response.body(), { level: GZIP_LEVEL }).length;
	}
	expect(total).toBeGreaterThan(0);
	expect(total).toBeLessThan(BUDGET_BYTES);

	// The first interaction (here a click in the composer) fetches the chat code; the message goes.
	const fetched = page.waitForResponse((response) => chatCode.some((file) => response.url().endsWith(`/${file}`)));
	await chat.input.click();
	await fetched;
	await chat.send('Hello after a long history');
	await expect(chat.answers().last()).toContainText('You said: "Hello after a long history"');
	await chat.waitForIdle();
});

test('a message sent before the chat code has come waits for it and goes', async ({ page }) => {
	const email = `budget-early-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
	await new AuthPage(page).signUp(email, 'correct horse battery');
	const task = await seedLongTask({ databaseUrl: databaseUrl(), email, pairs: 3 });

	// The chat code is held back until the message has been sent.
	const names = readClientManifest()?.names ?? new Map<string, string>();
	let release!: () => void;
	const held = new Promise<void>((resolve) => (release = resolve));
	let heldBack = false;
	await page.route(/\/_app\/immutable\/chunks\/.*\.js$/, async (route) => {
		if (names.get(new URL(route.request().url()).pathname.slice(1)) === 'chat-sdk') {
			heldBack = true;
			await held;
		}
		await route.continue();
	});
	await page.goto(`/chat/${task.taskId}`);
	const chat = new ChatPage(page);
	await expect(chat.answers().last()).toContainText(task.lastAnswer);
	await expect.poll(() => page.locator('section.messages').evaluate((list) => list.scrollTop)).toBeGreaterThan(0);

	await chat.send('Sent while the code is on its way');
	// Meanwhile the chat shows that the message is on its way, and another message waits its turn.
	await expect(page.getByRole('status').filter({ hasText: 'Thinking…' })).toBeVisible();
	await chat.send('A second one');
	await expect(chat.input).toHaveValue('A second one');
	expect(heldBack).toBe(true);
	release();
	await expect(chat.questions().last()).toContainText('Sent while the code is on its way');
	await expect(chat.answers().last()).toContainText('You said: "Sent while the code is on its way"');
	await chat.waitForIdle();
	await expect(chat.questions()).toHaveCount(4);
});
