/**
 * The pages work under their Content-Security-Policy: every page a person or an admin uses, the
 * API viewers, highlighted code, the playground and the widget demo report no violation — neither
 * a `securitypolicyviolation` event nor a console message about the policy.
 */
import { expect, test, type Page } from '@playwright/test';
import { AuthPage } from './pages/auth-page';
import { loginAsAdmin } from './pages/admin-page';
import { ChatPage } from './pages/chat-page';
import { PlaygroundPage } from './pages/playground-page';

const appOrigin = `http://127.0.0.1:${process.env.E2E_PORT ?? 4318}`;

function unique(prefix: string) {
	return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

/** Collects every policy violation of a page, across navigations, from events and the console. */
async function watchPolicy(page: Page): Promise<string[]> {
	const violations: string[] = [];
	await page.exposeFunction('__reportPolicyViolation', (text: string) => violations.push(text));
	await page.addInitScript(() => {
		document.addEventListener('securitypolicyviolation', (event) => {
			const report = (window as unknown as { __reportPolicyViolation(text: string): void }).__reportPolicyViolation;
			report(
				`${location.pathname}: ${event.effectiveDirective} refused ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`
			);
		});
	});
	page.on('console', (message) => {
		if (/Content Security Policy/i.test(message.text())) violations.push(`${page.url()}: ${message.text()}`);
	});
	return violations;
}

/**
 * Opens a page and checks its policy: scripts from this site only, no inline script but the ones
 * a per-response nonce marks (SvelteKit's pages; `nonce: false` for HTML that has none), and no
 * framing by other sites.
 */
async function open(page: Page, path: string, { nonce = true } = {}) {
	const response = await page.goto(path);
	expect(response?.status(), path).toBe(200);
	const policy = (await response?.allHeaders())?.['content-security-policy'] ?? '';
	expect(policy, path).toContain("frame-ancestors 'self'");
	const scripts = /(?:^|;)\s*script-src ([^;]*)/.exec(policy)?.[1].split(' ') ?? [];
	expect(scripts, path).toContain("'self'");
	expect(
		scripts.filter((source) => source.startsWith("'nonce-")),
		path
	).toHaveLength(nonce ? 1 : 0);
	expect(scripts, path).not.toContain("'unsafe-inline'");
}

test('the policy is enforced: a script added to a page is refused and reported', async ({ page }) => {
	const violations = await watchPolicy(page);
	await open(page, '/login');
	await page.evaluate(() => {
		const script = document.createElement('script');
		script.textContent = 'window.__injected = true';
		document.body.append(script);
	});
	await expect.poll(() => violations.length).toBeGreaterThan(0);
	expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
});

test('chat with highlighted code, tasks, settings and the playground run without a policy violation', async ({ page }) => {
	const violations = await watchPolicy(page);
	await new AuthPage(page).signUp(`${unique('policy')}@example.com`, 'correct horse battery');

	// Streaming markdown, then shiki's highlighting (token colours are inline styles).
	const chat = new ChatPage(page);
	await chat.send('Please show me a code example');
	const keyword = chat
		.answers()
		.first()
		.locator('.code-block pre code span[style]', { hasText: /^export$/ });
	await chat.waitForIdle();
	await expect(keyword).toHaveCSS('color', 'rgb(160, 17, 31)');
	// Server-rendered, then hydrated and highlighted again.
	await page.reload();
	await expect(keyword).toHaveCSS('color', 'rgb(160, 17, 31)');

	await open(page, '/tasks');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
	await open(page, '/settings');
	await expect(page.getByRole('heading', { level: 1 })).toBeVisible();

	const playground = new PlaygroundPage(page);
	await open(page, '/playground');
	await playground.send('Hello under the policy');
	await expect(playground.lastAnswer()).toContainText('You said: "Hello under the policy"');
	await playground.waitForIdle();

	expect(violations).toEqual([]);
});

/** A valid 1×1 PNG (one opaque pixel). */
const pixelPng = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

test('an attached image, previewed from its object URL and later server-rendered, runs without a policy violation', async ({ page }) => {
	const violations = await watchPolicy(page);
	await new AuthPage(page).signUp(`${unique('policy-image')}@example.com`, 'correct horse battery');
	const chat = new ChatPage(page);
	const chooser = page.waitForEvent('filechooser');
	await page.getByRole('button', { name: 'Attach files' }).click();
	await (await chooser).setFiles([{ name: 'pixel.png', mimeType: 'image/png', buffer: pixelPng }]);
	const preview = page.getByRole('list', { name: 'Attachments' }).getByRole('img', { name: 'pixel.png' });
	await expect(preview).toHaveAttribute('src', /^blob:/);
	await expect.poll(() => preview.evaluate((image: HTMLImageElement) => image.naturalWidth)).toBe(1);
	// A page may read back its own object URLs.
	const previewUrl = (await preview.getAttribute('src')) ?? '';
	expect(await page.evaluate((url) => fetch(url).then((response) => response.ok), previewUrl)).toBe(true);
	await chat.send('Here is a picture');
	// The message waits for its upload to finish before it is sent: wait for the answer, then its end.
	await expect(chat.answers()).toHaveCount(1);
	await expect(page).toHaveURL(/\/chat\//);
	await chat.waitForIdle();
	// Server-rendered, the image carries Svelte's handler that keeps an early load or error event.
	await page.reload();
	const image = chat.questions().first().getByRole('img', { name: 'pixel.png' });
	await expect.poll(() => image.evaluate((element: HTMLImageElement) => element.naturalWidth)).toBe(1);
	const html = await (await page.request.get(page.url())).text();
	expect(html).toMatch(/<img[^>]*alt="pixel\.png"[^>]*onerror="this\.__e=event"/);
	expect(violations).toEqual([]);
});

test('product cards with pictures from signed file links run without a policy violation', async ({ page }) => {
	const violations = await watchPolicy(page);
	await new AuthPage(page).signUp(`${unique('policy-shop')}@example.com`, 'correct horse battery');
	const chat = new ChatPage(page);
	await chat.pickAgent('shop');
	await chat.send('Do you have a lantern?');
	const card = chat.answers().last().getByTestId('product-card').first();
	await expect(card).toBeVisible();
	await chat.waitForIdle();
	const picture = card.locator('img');
	if ((await picture.count()) > 0) {
		await picture.scrollIntoViewIfNeeded();
		await expect.poll(() => picture.evaluate((image: HTMLImageElement) => (image.complete ? image.naturalWidth : 0))).toBeGreaterThan(0);
	}
	expect(violations).toEqual([]);
});

/** Records requests that leave this site (blob: and data: URLs stay). */
function recordForeignRequests(page: Page): string[] {
	const foreign: string[] = [];
	page.on('request', (request) => {
		const url = new URL(request.url());
		if (!['blob:', 'data:'].includes(url.protocol) && url.origin !== appOrigin) foreign.push(request.url());
	});
	return foreign;
}

test('Swagger UI runs without a policy violation and loads nothing from other sites', async ({ page }) => {
	// Its bundle is large: parsing it on a busy machine takes a while.
	test.slow();
	const violations = await watchPolicy(page);
	const foreign = recordForeignRequests(page);
	await open(page, '/swagger', { nonce: false });
	await expect(page.locator('.swagger-ui .info .title')).toContainText('Parley');
	await page.getByText('/api/chat', { exact: true }).first().click();
	await expect(page.locator('.opblock.is-open').first()).toBeVisible();
	expect(violations).toEqual([]);
	expect(foreign).toEqual([]);
});

test('ReDoc, its search worker included, runs without a policy violation and loads nothing from other sites', async ({ page }) => {
	// Its bundle is large: parsing it on a busy machine takes a while.
	test.slow();
	const violations = await watchPolicy(page);
	const foreign = recordForeignRequests(page);
	await open(page, '/redoc', { nonce: false });
	await expect(page.getByRole('heading', { name: /Parley/ }).first()).toBeVisible();
	await page.getByPlaceholder('Search...').fill('stream');
	await expect(page.locator('[data-role="search:results"]').getByRole('menuitem').first()).toBeVisible();
	expect(violations).toEqual([]);
	expect(foreign).toEqual([]);
});

test('the admin pages and the widget demo run without a policy violation', async ({ page }) => {
	const violations = await watchPolicy(page);
	await loginAsAdmin(page);
	const agent = unique('policy-desk');
	const created = await page.request.post('/api/agents/', {
		data: { slug: agent, name: 'Policy desk', visibility: 'public' },
		headers: { origin: appOrigin }
	});
	expect(created.status()).toBe(201);
	const { id } = (await created.json()) as { id: number };

	for (const path of [
		'/admin/agents',
		'/admin/agents/new',
		`/admin/agents/${id}`,
		'/admin/tools',
		'/admin/tools/new',
		'/admin/templates',
		'/admin/users',
		'/admin/keys',
		'/admin/usage',
		'/admin/tasks'
	]) {
		await open(page, path);
		await expect(page.getByRole('heading', { level: 1 }).first(), path).toBeVisible();
	}

	// The demo loads widget.js from this site; the element's styles live in its shadow root.
	await open(page, `/widget/demo?agent=${agent}`);
	const widget = page.locator('parley-chat');
	await widget.getByRole('textbox', { name: 'Message' }).fill('Hello from the demo');
	await widget.getByRole('textbox', { name: 'Message' }).press('Enter');
	await expect(widget.locator('[data-role="assistant"]').first()).toHaveAttribute('data-status', 'complete');
	await expect(widget.getByTestId('send')).not.toHaveCSS('background-color', 'rgba(0, 0, 0, 0)');

	expect(violations).toEqual([]);
});
