import { expect, type Page } from '@playwright/test';

/**
 * Answers the app's confirmation dialog: clicks its confirming button (`label`) or Cancel, after
 * checking what it says when `says` is given, and waits for it to close.
 */
export async function answerConfirmation(
	page: Page,
	label: string,
	options: { says?: string | RegExp; cancel?: boolean } = {}
): Promise<void> {
	const dialog = page.getByRole('alertdialog');
	await expect(dialog).toBeVisible();
	if (options.says) await expect(dialog).toContainText(options.says);
	await dialog.getByRole('button', { name: options.cancel ? 'Cancel' : label, exact: true }).click();
	await expect(dialog).toHaveCount(0);
}
