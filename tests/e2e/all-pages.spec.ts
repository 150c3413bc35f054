import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { APP_ROUTES, routePath, type AppRoute } from '../support/app-routes';
import { prepareRoutes, signInContext, type PreparedRoutes } from '../support/route-fixtures';
import { inEachScheme } from '../support/axe';
import { VIEWPORTS } from '../support/viewports';

// The checks are independent: they spread over every worker (each makes its own fixtures once).
test.describe.configure({ mode: 'parallel' });

let prepared: PreparedRoutes;

test.beforeAll(async ({ browser }, testInfo) => {
	// A real chat with an image read by OCR: slower than a page check.
	testInfo.setTimeout(120_000);
	prepared = await prepareRoutes(browser, baseURLOf(testInfo.project.use.baseURL));
});

function baseURLOf(url: string | undefined): string {
	if (!url) throw new Error('The Playwright config sets no baseURL');
	return url;
}

/** How far the page and its `main` region are wider than the screen, in pixels (0: no overflow). */
function overflow(page: Page) {
	return page.evaluate(() => {
		const root = document.documentElement;
		const main = document.querySelector('main');
		return {
			page: root.scrollWidth - root.clientWidth,
			main: main ? main.scrollWidth - main.clientWidth : 0
		};
	});
}

/** Opens a route as its visitor and waits until the page is interactive. */
async function open(page: Page, route: AppRoute, baseURL: string) {
	await signInContext(page.context(), prepared, route.as, baseURL);
	const response = await page.goto(routePath(route, prepared.fixtures));
	expect(response?.status()).toBe(route.status ?? 200);
	if (!route.foreign) await expect(page.locator('[data-hydrated]')).toHaveCount(1);
}

/** Checks the open page in each colour scheme: its overflow, and with `withAxe`, its accessibility. */
async function checkEachScheme(page: Page, expectedOverflow: unknown, withAxe = true) {
	await inEachScheme(page, async (scheme, violations) => {
		await test.step(scheme, async () => {
			expect(await overflow(page), `horizontal overflow of the page and of main, ${scheme}`).toEqual(expectedOverflow);
			if (withAxe) expect(await violations(), `serious accessibility violations, ${scheme}`).toEqual([]);
		});
	});
}

for (const viewport of VIEWPORTS) {
	test.describe(viewport.name, () => {
		test.use({ viewport: { width: viewport.width, height: viewport.height } });

		for (const route of APP_ROUTES) {
			test(`${route.name} fits the screen and has no serious accessibility violation, light and dark`, async ({ page, baseURL }) => {
				await open(page, route, baseURLOf(baseURL));
				await checkEachScheme(page, route.foreign ? expect.objectContaining({ page: 0 }) : { page: 0, main: 0 }, !route.foreign);
			});
		}

		test('the page shown when the app cannot render fits and is accessible, light and dark', async ({ page }) => {
			// src/error.html with SvelteKit's placeholders filled, served in place of a page.
			const html = readFileSync(join(import.meta.dirname, '../../src/error.html'), 'utf8')
				.replaceAll('%sveltekit.status%', '500')
				.replaceAll('%sveltekit.error.message%', 'Internal Error');
			await page.route('**/error-page-preview', (route) => route.fulfill({ contentType: 'text/html', body: html }));
			await page.goto('/error-page-preview');
			await expect(page.getByRole('link', { name: 'Go to the home page' })).toHaveAttribute('href', '/');
			await checkEachScheme(page, { page: 0, main: 0 });
		});
	});
}
