import axe from 'axe-core';
import type { Page } from '@playwright/test';
import { COLOR_SCHEMES, type ColorScheme } from './viewports';

/** The axe-core rules whose outcome depends on colours: all a second colour scheme can change. */
const COLOUR_RULES = ['color-contrast', 'link-in-text-block'];

/** What the page returns of one violation: enough for {@link describeNode}. */
interface Violation {
	id: string;
	impact?: string | null;
	nodes: { target: unknown[]; any: { data?: unknown }[] }[];
}

/**
 * The serious and critical accessibility violations axe-core finds on the open page (with
 * `rules`, of those only), one line each. axe-core is put into each frame of the page once and
 * stays there until it navigates, so a second check of the same page (another colour scheme)
 * only runs the rules: without loading axe again, or finishing the run in a page of its own as
 * `@axe-core/playwright` does, which is only needed for frames of other sites (the app has none).
 */
export async function seriousViolations(page: Page, rules?: string[]): Promise<string[]> {
	for (const frame of page.frames()) {
		if (!(await frame.evaluate(() => 'axe' in window))) await frame.evaluate(axe.source);
	}
	const violations = await page.evaluate(async (rules) => {
		const axeInPage = (window as unknown as { axe: typeof axe }).axe;
		// Only violations are read: axe then skips the details of every rule that passed.
		const options: axe.RunOptions = { resultTypes: ['violations'] };
		if (rules) options.runOnly = { type: 'rule', values: rules };
		const results = await axeInPage.run(document, options);
		return results.violations.map(({ id, impact, nodes }) => ({
			id,
			impact,
			nodes: nodes.map(({ target, any }) => ({ target, any: any.map(({ data }) => ({ data })) }))
		}));
	}, rules);
	return (violations as Violation[])
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

/**
 * Runs `check` on the open page in each colour scheme, with the serious accessibility violations
 * of that scheme. The scheme is only CSS (`prefers-color-scheme`), so the page is switched in
 * place rather than loaded again, and after the first scheme's full check only axe's rules about
 * colours can change. (The screen size is not only CSS — the sidebar reads it when the page
 * starts — so a page is loaded afresh for each viewport.)
 */
export async function inEachScheme(
	page: Page,
	check: (scheme: ColorScheme, violations: () => Promise<string[]>) => Promise<void>
): Promise<void> {
	for (const [index, scheme] of COLOR_SCHEMES.entries()) {
		await page.emulateMedia({ colorScheme: scheme });
		await check(scheme, () => seriousViolations(page, index === 0 ? undefined : COLOUR_RULES));
	}
}
