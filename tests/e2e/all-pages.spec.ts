import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { APP_ROUTES, routePath, type AppRoute } from '../support/app-routes';
import { prepareRoutes, signInContext, type PreparedRoutes } from '../support/route-fixtures';
import { COLOR_SCHEMES, VIEWPORTS } from '../support/viewports';

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

/** The axe-core rules whose outcome depends on colours: all a second colour scheme can change. */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/** The serious and critical accessibility violations axe-core finds (with `rules`, of those only), one line each. */
async function seriousViolations(page: Page, rules?: string[]): Promise<string[]> {
	const builder = new AxeBuilder({ page });
	const { violations } = await (rules ? builder.withRules(rules) : builder).analyze();
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

/**
 * Checks the open page in each colour scheme. The scheme is only CSS (`prefers-color-scheme`), so
 * the page is switched in place rather than loaded again, and after the first scheme's full check
 * only the rules about colours can change; the screen size is not only CSS (the sidebar reads it
 * when the page starts), so each viewport loads the page afresh.
 */
async function checkEachScheme(page: Page, expectedOverflow: unknown, withAxe = true) {
	for (const [index, colorScheme] of COLOR_SCHEMES.entries()) {
		await test.step(colorScheme, async () => {
			await page.emulateMedia({ colorScheme });
			expect(await overflow(page), `horizontal overflow of the page and of main, ${colorScheme}`).toEqual(expectedOverflow);
			if (withAxe) {
				const rules = index === 0 ? undefined : COLOUR_RULES;
				expect(await seriousViolations(page, rules), `serious accessibility violations, ${colorScheme}`).toEqual([]);
			}
		});
	}
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
