import { expect, test, type Locator, type Page } from '@playwright/test';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';

const password = 'correct horse battery';

/**
 * A question whose echo puts markup into the offline model's answer (and the start of it into
 * its reasoning): an image with an error handler, a script, a javascript: link and a safe link.
 */
const hostileQuestion =
	'Show **bold** and <img src=x onerror="window.__xss=1"> and <script>window.__xss=2</script> and [link](javascript:window.__xss=3) and [site](https://example.com/)';

/** The code block the offline model answers "a code example" with. */
const exampleCode = '/** Greets someone by name. */\nexport function greet(name: string): string {\n\treturn `Hello, ${name}!`;\n}';

function uniqueEmail(prefix: string) {
	return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

async function signUp(page: Page, prefix: string): Promise<ChatPage> {
	await new AuthPage(page).signUp(uniqueEmail(prefix), password);
	return new ChatPage(page);
}

/** Records every dialog (alert, confirm, prompt) the page opens; markup from a model must open none. */
function recordDialogs(page: Page): string[] {
	const dialogs: string[] = [];
	page.on('dialog', (dialog) => {
		dialogs.push(`${dialog.type()}: ${dialog.message()}`);
		void dialog.dismiss();
	});
	return dialogs;
}

/** What the hostile markup would have set, had any of it run. */
function xssMarker(page: Page): Promise<unknown> {
	return page.evaluate(() => (window as unknown as { __xss?: unknown }).__xss);
}

/** Clicks the middle of the first occurrence of `word` in the text of `container`. */
async function clickWord(page: Page, container: Locator, word: string) {
	const box = await container.evaluate((element, word) => {
		const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
		for (let node = walker.nextNode(); node; node = walker.nextNode()) {
			const at = node.textContent?.search(new RegExp(`\\b${word}\\b`)) ?? -1;
			if (at < 0) continue;
			const range = document.createRange();
			range.setStart(node, at);
			range.setEnd(node, at + word.length);
			const { x, y, width, height } = range.getBoundingClientRect();
			return { x: x + width / 2, y: y + height / 2 };
		}
		return undefined;
	}, word);
	if (!box) throw new Error(`"${word}" is not in the message`);
	await page.mouse.click(box.x, box.y);
}

/** Checks the rendered answer: markdown applied, markup shown as text, nothing executable. */
async function expectSafeMarkdown(page: Page, chat: ChatPage) {
	const answer = chat.answers().first();
	// The answer's text, not its reasoning (which also quotes the question).
	const text = answer.locator('.markdown:not(.reasoning .markdown)');
	await expect(text.locator('strong')).toHaveText(['bold']);
	await expect(answer).toContainText('<img src=x onerror="window.__xss=1">');
	await expect(answer).toContainText('<script>window.__xss=2</script>');
	// The message bubbles: the toolbars beside them hold the app's own icons.
	const bubbles = chat.messages.locator('.bubble');
	await expect(bubbles).toHaveCount(2);
	await expect(bubbles.locator('script, img, svg, iframe, object, embed')).toHaveCount(0);
	await expect(bubbles.locator('[onerror], [onload], [onclick]')).toHaveCount(0);
	await expect(bubbles.locator('a[href^="javascript" i]')).toHaveCount(0);
	await expect(answer.getByRole('link', { name: 'link', exact: true })).toHaveCount(0);

	const site = answer.getByRole('link', { name: 'site', exact: true });
	await expect(site).toHaveAttribute('href', 'https://example.com/');
	await expect(site).toHaveAttribute('target', '_blank');
	await expect(site).toHaveAttribute('rel', /\bnoopener\b/);

	// The javascript: link is plain text: clicking it does nothing.
	await expect(text).toContainText('</script> and link and site');
	await clickWord(page, text.locator('p').filter({ hasText: 'and link and' }), 'link');
	await expect(page).toHaveURL(/\/chat\/[a-z0-9]+$/);
	expect(await xssMarker(page)).toBeUndefined();

	// The question is shown exactly as typed.
	const question = chat.questions().first();
	await expect(question).toContainText('Show **bold** and <img src=x');
	await expect(question.locator('strong, a')).toHaveCount(0);
}

test('answers render as markdown and none of the markup in them runs', async ({ page }) => {
	const dialogs = recordDialogs(page);
	const chat = await signUp(page, 'markdown');
	await chat.send(hostileQuestion);
	await chat.waitForIdle();

	await expectSafeMarkdown(page, chat);
	expect(await xssMarker(page)).toBeUndefined();

	// After a reload the answer comes from the server's rendering, then hydrates.
	await page.reload();
	await expect(chat.answers()).toHaveCount(1);
	await expectSafeMarkdown(page, chat);

	// The reasoning quotes the question too, rendered by the same component.
	const reasoning = chat.answers().first().locator('details.reasoning');
	await reasoning.locator('summary').click();
	await expect(reasoning.locator('strong')).toHaveText(['bold']);
	await expect(reasoning).toContainText('<img src=x onerror="window.__xss=1">');

	expect(await xssMarker(page)).toBeUndefined();
	expect(dialogs).toEqual([]);
});

test('a code block is highlighted for light and dark and its Copy button copies the code', async ({ page, context }) => {
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	const chat = await signUp(page, 'code');
	await chat.send('Please show me a code example');

	const block = chat.answers().first().locator('.code-block');
	await expect(block).toHaveCount(1);
	await expect(block.locator('.code-language')).toHaveText('ts');
	await chat.waitForIdle();

	// Highlighting arrives once the block is finished: the keyword takes the theme's colour.
	const keyword = block.locator('pre code span[style]', { hasText: /^export$/ });
	await expect(keyword).toHaveCSS('color', 'rgb(160, 17, 31)');
	await page.emulateMedia({ colorScheme: 'dark' });
	await expect(keyword).toHaveCSS('color', 'rgb(255, 148, 146)');
	await page.emulateMedia({ colorScheme: 'light' });

	const copy = block.getByRole('button', { name: 'Copy code' });
	await copy.click();
	await expect(block.locator('button.code-copy')).toHaveText('Copied');
	expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(exampleCode);
	await expect(block.locator('button.code-copy')).toHaveText('Copy');

	// Server-rendered after a reload, the block is highlighted again in the browser.
	await page.reload();
	await expect(block.locator('.code-language')).toHaveText('ts');
	await expect(keyword).toHaveCSS('color', 'rgb(160, 17, 31)');
	await expect(block.locator('pre code')).toHaveText(exampleCode);
});
