import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { APP_ROUTES, routePath, type AppRoute } from '../support/app-routes';
import { prepareRoutes, signInContext, type PreparedRoutes } from '../support/route-fixtures';
import { COLOR_SCHEMES, VIEWPORTS } from '../support/viewports';

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

/** The serious and critical accessibility violations axe-core finds, one line each. */
async function seriousViolations(page: Page): Promise<string[]> {
	const { violations } = await new AxeBuilder({ page }).analyze();
	return violations
		.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
		.map((violation) => `${violation.id}: ${violation.nodes.map(describeNode).join(', ')}`);
}

/** Where a violation is, with the colours and ratio of a contrast failure. */
function describeNode(node: { target: unknown[]; any: { data?: unknown }[] }): string {
	const data = node.any.find((check) => check.data && typeof check.data === 'object' && 'contrastRatio' in check.data)?.data as
		{ fgColor: string; bgColor: string; contrastRatio: number } | undefined;
	const where = node.target.join(' ');
	return data ? `${where} (${data.fgColor} on ${data.bgColor}: ${data.contrastRatio})` : where;
}

/** Opens a route as its visitor and waits until the page is interactive. */
async function open(page: Page, route: AppRoute, baseURL: string) {
	await signInContext(page.context(), prepared, route.as, baseURL);
	const response = await page.goto(routePath(route, prepared.fixtures));
	expect(response?.status()).toBe(route.status ?? 200);
	if (!route.foreign) await expect(page.locator('[data-hydrated]')).toHaveCount(1);
}

for (const viewport of VIEWPORTS) {
	for (const colorScheme of COLOR_SCHEMES) {
		test.describe(`${viewport.name}, ${colorScheme}`, () => {
			test.use({ viewport: { width: viewport.width, height: viewport.height }, colorScheme });

			for (const route of APP_ROUTES) {
				test(`${route.name} fits the screen and has no serious accessibility violation`, async ({ page, baseURL }) => {
					await open(page, route, baseURLOf(baseURL));
					expect(await overflow(page), 'horizontal overflow of the page and of main').toEqual(
						route.foreign ? expect.objectContaining({ page: 0 }) : { page: 0, main: 0 }
					);
					if (!route.foreign) expect(await seriousViolations(page)).toEqual([]);
				});
			}

			test('the page shown when the app cannot render fits and is accessible', async ({ page }) => {
				// src/error.html with SvelteKit's placeholders filled, served in place of a page.
				const html = readFileSync(join(import.meta.dirname, '../../src/error.html'), 'utf8')
					.replaceAll('%sveltekit.status%', '500')
					.replaceAll('%sveltekit.error.message%', 'Internal Error');
				await page.route('**/error-page-preview', (route) => route.fulfill({ contentType: 'text/html', body: html }));
				await page.goto('/error-page-preview');
				await expect(page.getByRole('link', { name: 'Go to the home page' })).toHaveAttribute('href', '/');
				expect(await overflow(page)).toEqual({ page: 0, main: 0 });
				expect(await seriousViolations(page)).toEqual([]);
			});
		});
	}
}
