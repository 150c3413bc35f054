import { expect, test } from '@playwright/test';

test('Swagger UI renders the OpenAPI document from installed assets', async ({ page }) => {
	const requested: string[] = [];
	page.on('request', (request) => requested.push(request.url()));
	await page.goto('/swagger');
	await expect(page.getByText('/api/chat', { exact: true }).first()).toBeVisible();
	await expect(page.locator('.swagger-ui .info .title')).toContainText('Parley');
	// Nothing comes from a CDN.
	expect(requested.filter((url) => !url.startsWith('http://127.0.0.1') && !url.startsWith('data:'))).toEqual([]);
});

test('ReDoc renders the OpenAPI document', async ({ page }) => {
	await page.goto('/redoc');
	await expect(page.getByRole('heading', { name: /Parley/ }).first()).toBeVisible();
	await expect(page.getByRole('heading', { level: 2, name: /Send a message \(or a tool output\) and stream the answer/ })).toBeVisible();
});
