import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { seedUsageTask, type SeededAnswer } from '../support/usage-task';
import { inEachScheme } from '../support/axe';
import { VIEWPORTS } from '../support/viewports';
import { adminEmail, loginAsAdmin } from './pages/admin-page';

/** The e2e server's database (tests/playwright.config.ts shares its folder with the workers). */
function databaseUrl() {
	const folder = process.env.E2E_DATA_FOLDER;
	if (!folder) throw new Error('E2E_DATA_FOLDER is not set: run these tests with tests/playwright.config.ts');
	return `file:${join(folder, 'parley.db')}`;
}

/** Three answers: one from a model that reports cached input and reasoning, one that does not, one with no usage at all. */
function answersFor(stamp: string): SeededAnswer[] {
	return [
		{
			text: 'A considered answer.',
			model: `openai:o4-mini-${stamp}`,
			inputTokens: 1200,
			outputTokens: 350,
			reasoningTokens: 120,
			cachedInputTokens: 800
		},
		{
			text: 'A plain answer.',
			model: `mock:plain-${stamp}`,
			inputTokens: 40,
			outputTokens: 7,
			reasoningTokens: null,
			cachedInputTokens: null
		},
		{
			text: 'An answer cut short.',
			model: `mock:plain-${stamp}`,
			inputTokens: null,
			outputTokens: null,
			reasoningTokens: null,
			cachedInputTokens: null
		}
	];
}

/** The cell of a usage table row under a column, by the column's label. */
const cell = (row: Locator, label: string) => row.locator(`td[data-label="${label}"]`);

/** Where a screenshot for people to look at goes. */
function screenshot(name: string): string {
	const folder = resolve(import.meta.dirname, '../../test-results/screenshots');
	mkdirSync(folder, { recursive: true });
	return resolve(folder, name);
}

/** How far the page is wider than the screen, in pixels (0: no overflow). */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

for (const viewport of VIEWPORTS) {
	test.describe(`usage in admin (${viewport.name})`, () => {
		test.use({ viewport: { width: viewport.width, height: viewport.height } });

		test('the task view and the usage page show cached input and reasoning tokens where reported', async ({ page }) => {
			const stamp = `${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
			await loginAsAdmin(page);
			const task = await seedUsageTask({ databaseUrl: databaseUrl(), email: adminEmail, answers: answersFor(stamp) });

			// Each answer shows only the counts it has; the task sums them.
			await page.goto(`/admin/tasks/${task.taskId}`);
			await expect(page.locator('[data-hydrated]')).toHaveCount(1);
			await expect(page.locator('[data-testid="message"][data-role="assistant"]')).toHaveCount(3);
			const perAnswer = page.getByTestId('admin-message-tokens');
			await expect(perAnswer).toHaveText(['1,200 in (800 cached) · 350 out (120 reasoning)', '40 in · 7 out']);
			await expect(perAnswer.first()).toHaveAttribute(
				'title',
				'1,200 input tokens, 800 of them cached; 350 output tokens, 120 of them reasoning'
			);
			await expect(page.getByTestId('admin-task-tokens')).toHaveText('1,240 in (800 cached) · 357 out (120 reasoning)');
			expect(await overflow(page), 'horizontal overflow of the task view').toBe(0);
			await inEachScheme(page, async (scheme, violations) => {
				await page.screenshot({ path: screenshot(`admin-task-usage-${viewport.name}-${scheme}.png`), fullPage: true });
				expect(await violations(), `serious accessibility violations, ${scheme}`).toEqual([]);
			});

			// The usage page sums them per agent and per model; a count never reported is a dash.
			await page.goto('/admin/usage');
			await expect(page.locator('[data-hydrated]')).toHaveCount(1);
			const agent = page.getByTestId('usage-by-agent').locator(`tr[data-agent="${task.agentSlug}"]`);
			await expect(agent.locator('td').first()).toHaveText(task.agentName);
			await expect(cell(agent, 'Runs')).toHaveText('3');
			await expect(cell(agent, 'Input tokens')).toHaveText('1,240');
			await expect(cell(agent, 'Cached input')).toHaveText('800');
			await expect(cell(agent, 'Output tokens')).toHaveText('357');
			await expect(cell(agent, 'Reasoning')).toHaveText('120');

			const models = page.getByTestId('usage-by-model');
			const reasoner = models.locator(`tr[data-model="openai:o4-mini-${stamp}"]`);
			await expect(cell(reasoner, 'Runs')).toHaveText('1');
			await expect(cell(reasoner, 'Cached input')).toHaveText('800');
			await expect(cell(reasoner, 'Reasoning')).toHaveText('120');
			const plain = models.locator(`tr[data-model="mock:plain-${stamp}"]`);
			await expect(cell(plain, 'Runs')).toHaveText('2');
			await expect(cell(plain, 'Input tokens')).toHaveText('40');
			await expect(cell(plain, 'Output tokens')).toHaveText('7');
			await expect(cell(plain, 'Cached input')).toHaveText('—');
			await expect(cell(plain, 'Reasoning')).toHaveText('—');

			// The totals include them (other tests' runs are in the same database, so at least these).
			const total = async (id: string) => Number((await page.getByTestId(id).innerText()).replace(/\D/g, ''));
			expect(await total('usage-total-cached')).toBeGreaterThanOrEqual(800);
			expect(await total('usage-total-reasoning')).toBeGreaterThanOrEqual(120);
			expect(await overflow(page), 'horizontal overflow of the usage page').toBe(0);
			await inEachScheme(page, async (scheme, violations) => {
				await page.screenshot({ path: screenshot(`admin-usage-${viewport.name}-${scheme}.png`), fullPage: true });
				expect(await violations(), `serious accessibility violations, ${scheme}`).toEqual([]);
			});
		});
	});
}
