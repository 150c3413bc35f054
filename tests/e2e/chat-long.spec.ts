import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { seedLongTask } from '../support/long-task';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';

const password = 'correct horse battery';
/** The budget for a 500-message task: the page holds fewer elements than this. */
const MAX_ELEMENTS = 3000;

function uniqueEmail(prefix: string) {
	return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** The e2e server's database (tests/playwright.config.ts shares its folder with the workers). */
function databaseUrl() {
	const folder = process.env.E2E_DATA_FOLDER;
	if (!folder) throw new Error('E2E_DATA_FOLDER is not set: run these tests with tests/playwright.config.ts');
	return `file:${join(folder, 'parley.db')}`;
}

/** Signs a new account up and gives it a task of 250 questions and answers. */
async function openLongTask(page: Page) {
	const email = uniqueEmail('long');
	await new AuthPage(page).signUp(email, password);
	const task = await seedLongTask({ databaseUrl: databaseUrl(), email });
	await page.goto(`/chat/${task.taskId}`);
	return { task, chat: new ChatPage(page), list: page.locator('section.messages') };
}

/**
 * Waits until the page is interactive. The server's HTML lays the list out from its end (at
 * scrollTop 0); once mounted, the list is laid out from the top and scrolled down to its end.
 */
async function waitForInteractive(list: Locator) {
	await expect.poll(() => list.evaluate((element) => element.scrollTop)).toBeGreaterThan(0);
}

/**
 * A message near the top of the list, drawn and visible: the start of its text (unique in these
 * tasks) and its top. It stays in view when the list is scrolled up by less than its height.
 */
function messageNearTop(list: Locator) {
	return list.evaluate((element) => {
		const mark = element.getBoundingClientRect().top + 60;
		let nearest = { text: '', top: Infinity };
		for (const message of element.querySelectorAll('[data-testid="message"]')) {
			if (!message.checkVisibility({ visibilityProperty: true })) continue;
			const top = message.getBoundingClientRect().top;
			if (Math.abs(top - mark) < Math.abs(nearest.top - mark)) nearest = { text: message.textContent?.trim().slice(0, 20) ?? '', top };
		}
		return nearest;
	});
}

/** Where the message starting with `text` is now (NaN when it is not in the page). */
function topOf(list: Locator, text: string) {
	return list.evaluate((element, text) => {
		const message = [...element.querySelectorAll('[data-testid="message"]')].find((candidate) =>
			candidate.textContent?.trim().startsWith(text)
		);
		return message ? message.getBoundingClientRect().top : NaN;
	}, text);
}

const elementCount = (page: Page) => page.evaluate(() => document.getElementsByTagName('*').length);

/** Scrolls the list by `pixels` (negative: up) as a wheel would, and waits until it has moved. */
async function scrollBy(list: Locator, pixels: number) {
	const before = await list.evaluate((element) => element.scrollTop);
	await list.hover();
	await list.page().mouse.wheel(0, pixels);
	await expect.poll(() => list.evaluate((element) => element.scrollTop)).not.toBe(before);
}

test('a 500-message task opens on its newest message and scrolls back to its first with a small page', async ({ page }) => {
	const { task, chat, list } = await openLongTask(page);

	const newest = chat.answers().last();
	await expect(newest).toContainText(task.lastAnswer);
	await expect(newest).toBeInViewport();
	await waitForInteractive(list);
	await expect(newest).toBeInViewport();
	// Only the newest messages and those near the view exist in the page.
	await expect(page.getByText(task.firstQuestion)).toHaveCount(0);
	expect(await elementCount(page)).toBeLessThan(MAX_ELEMENTS);

	// Scrolling up past the newest messages into the older ones: what is on screen moves by the
	// distance scrolled and no more, while the older rows appear and are measured.
	for (let step = 0; step < 15; step++) {
		const before = await messageNearTop(list);
		await list.evaluate((element) => element.scrollBy({ top: -300, behavior: 'instant' }));
		// Rows sit at fractional offsets, so a pixel either way is rounding.
		await expect.poll(async () => Math.abs((await topOf(list, before.text)) - before.top - 300)).toBeLessThanOrEqual(1.5);
	}
	expect(await elementCount(page)).toBeLessThan(MAX_ELEMENTS);

	// Jump to the top until the first question shows; the list measures rows as they appear.
	const first = page.getByText(task.firstQuestion);
	await expect(async () => {
		await list.evaluate((element) => element.scrollTo({ top: 0 }));
		await expect(first).toBeInViewport({ timeout: 1000 });
	}).toPass();
	await expect(newest).not.toBeInViewport();
	expect(await elementCount(page)).toBeLessThan(MAX_ELEMENTS);

	// Sending from up there brings the view back to the end, and the answer streams into view.
	await chat.send('One more question at the end of a long task');
	const answer = chat.answers().last();
	await expect(answer).toContainText('You said: "One more question at the end of a long task"');
	await expect(answer).toBeInViewport();
	await chat.waitForIdle();
	await expect(answer).toBeInViewport();
	await expect(chat.questions().last()).toContainText('One more question at the end of a long task');
	expect(await elementCount(page)).toBeLessThan(MAX_ELEMENTS);
});

test('in a long task the view follows a streaming answer, and stays where the reader scrolled up to', async ({ page }) => {
	test.slow();
	const { task, chat, list } = await openLongTask(page);
	await expect(chat.answers().last()).toContainText(task.lastAnswer);
	await waitForInteractive(list);

	await chat.send('Please write a long answer about rivers. Slowly, please.');
	const answer = chat.answers().last();
	await expect(answer).toContainText('Here is a long answer about rivers');
	// While it streams, its end is kept in view.
	await expect(async () => {
		const { fromEnd } = await list.evaluate((element) => ({
			fromEnd: element.scrollHeight - element.scrollTop - element.clientHeight
		}));
		expect(fromEnd).toBeLessThan(50);
		await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible({ timeout: 100 });
	}).toPass();

	// The reader scrolls up to earlier messages: the rest of the stream no longer moves the view.
	await scrollBy(list, -1500);
	await expect(page.getByRole('button', { name: 'Stop' })).toBeVisible();
	await chat.waitForIdle();
	await expect(answer).toContainText('Finally, it is worth summarising');
	await expect(answer).not.toBeInViewport();
	const fromEnd = await list.evaluate((element) => element.scrollHeight - element.scrollTop - element.clientHeight);
	expect(fromEnd).toBeGreaterThan(1000);

	// A new question brings the view back to the end.
	await chat.send('And a short one after that');
	const next = chat.answers().last();
	await expect(next).toContainText('You said: "And a short one after that"');
	await chat.waitForIdle();
	await expect(next).toBeInViewport();
	expect(await elementCount(page)).toBeLessThan(MAX_ELEMENTS);
});
