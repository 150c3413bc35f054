import { expect, test, type Page } from '@playwright/test';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';
import { SiteHeader } from './pages/site-header';
import { VIEWPORTS } from '../support/viewports';

const password = 'correct horse battery';

function uniqueEmail(prefix: string) {
	return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

/** The composer's frame and the outline it draws. */
function composerOutline(page: Page) {
	return page.locator('form.composer').evaluate((form) => {
		const style = getComputedStyle(form);
		return { style: style.outlineStyle, width: parseFloat(style.outlineWidth), color: style.outlineColor };
	});
}

/** The app's accent colour, as the browser computes colours. */
function accentColour(page: Page) {
	return page.evaluate(() => {
		const probe = document.createElement('span');
		probe.style.color = 'var(--accent)';
		document.body.append(probe);
		const colour = getComputedStyle(probe).color;
		probe.remove();
		return colour;
	});
}

for (const viewport of VIEWPORTS) {
	test.describe(viewport.name, () => {
		test.use({ viewport: { width: viewport.width, height: viewport.height } });

		test('the composer shows a focus ring while its text box has the focus', async ({ page }) => {
			await new AuthPage(page).signUp(uniqueEmail('focus'), password);
			const chat = new ChatPage(page);
			await new SiteHeader(page).waitForInteractive();

			await expect(chat.input).toBeFocused();
			const ring = await composerOutline(page);
			expect(ring.style).toBe('solid');
			expect(ring.width).toBeGreaterThanOrEqual(2);
			expect(ring.color).toBe(await accentColour(page));

			// Tab moves on to Send: the ring goes with the focus.
			await chat.input.fill('Hello');
			await page.keyboard.press('Tab');
			await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeFocused();
			expect((await composerOutline(page)).style).toBe('none');

			// And Shift+Tab brings it back.
			await page.keyboard.press('Shift+Tab');
			await expect(chat.input).toBeFocused();
			expect((await composerOutline(page)).style).toBe('solid');
		});
	});
}

test.describe('before the page is interactive', () => {
	/**
	 * Holds the app's JavaScript until `release` is called: the server's HTML shows, but nothing of
	 * the page runs yet, as on a slow connection.
	 */
	async function holdScripts(page: Page) {
		let release!: () => void;
		const released = new Promise<void>((resolve) => (release = resolve));
		await page.route(/\/_app\/immutable\/.*\.js$/, async (route) => {
			await released;
			await route.continue().catch(() => undefined);
		});
		return release;
	}

	test('the composer and the agent choice stay disabled, then work once the scripts run', async ({ page }) => {
		await new AuthPage(page).signUp(uniqueEmail('hydrate'), password);
		const chat = new ChatPage(page);
		const release = await holdScripts(page);

		await page.goto('/', { waitUntil: 'commit' });
		await expect(chat.input).toBeVisible();
		await expect(chat.input).toBeDisabled();
		await expect(page.getByTestId('agent-picker')).toBeDisabled();
		await expect(page.getByRole('button', { name: 'Attach files' })).toBeDisabled();
		await expect(page.locator('[data-hydrated]')).toHaveCount(0);

		release();
		await new SiteHeader(page).waitForInteractive();
		await expect(chat.input).toBeEnabled();
		await expect(chat.input).toBeFocused();
		await expect(page.getByTestId('agent-picker')).toBeEnabled();

		// The choice made now holds, and Enter sends.
		await chat.pickAgent('tool-demo');
		await expect(page.getByTestId('agent-picker')).toContainText('Tool demo');
		await expect(chat.input).toHaveAttribute('placeholder', 'Message Tool demo…');
		await chat.send('Hello there');
		await expect(chat.questions()).toHaveText(['Hello there']);
		await expect(page).toHaveURL(/\/chat\//);
		await chat.waitForIdle();
	});

	test('the playground’s choices and text box wait for the scripts too', async ({ page }) => {
		await new AuthPage(page).signUp(uniqueEmail('hydrate-playground'), password);
		const release = await holdScripts(page);

		await page.goto('/playground', { waitUntil: 'commit' });
		const input = page.getByRole('textbox', { name: 'Message' });
		await expect(input).toBeVisible();
		await expect(input).toBeDisabled();
		await expect(page.getByTestId('agent-picker')).toBeDisabled();
		await expect(page.getByTestId('protocol-picker')).toBeDisabled();

		release();
		await new SiteHeader(page).waitForInteractive();
		await expect(input).toBeFocused();
		await expect(page.getByTestId('protocol-picker')).toBeEnabled();
	});

	test('the menu button on a phone waits for the scripts too', async ({ page }) => {
		await page.setViewportSize({ width: 390, height: 844 });
		await new AuthPage(page).signUp(uniqueEmail('hydrate-menu'), password);
		const header = new SiteHeader(page);
		const release = await holdScripts(page);

		await page.goto('/tasks', { waitUntil: 'commit' });
		await expect(header.menuButton).toBeVisible();
		await expect(header.menuButton).toBeDisabled();

		release();
		await header.waitForInteractive();
		await header.menuButton.click();
		await expect(header.nav).toBeVisible();
	});
});
