import { expect, type Page } from '@playwright/test';

/**
 * Opens a page and waits until its scripts run. A form filled in before then can be reset when
 * the page hydrates, and its submit skips the page's own handling.
 */
export async function gotoInteractive(page: Page, path: string): Promise<void> {
	await page.goto(path);
	await expect(page.locator('[data-hydrated]')).toHaveCount(1);
}
