import { join } from 'node:path';
import { createClient } from '@libsql/client';
import { expect, type Browser, type BrowserContext } from '@playwright/test';
import type { RouteFixtures, Visitor } from './app-routes';
import { logIn, signUp, type SessionClient } from './session';
import { textPng } from './text-png';

/** The admin of the e2e server, the first account to sign up (tests/support/e2e-admin.ts). */
const adminEmail = process.env.E2E_ADMIN_EMAIL ?? 'admin@example.com';
const adminPassword = process.env.E2E_ADMIN_PASSWORD ?? 'admin password 123';

/** The e2e server's database (tests/playwright.config.ts shares its folder with the workers). */
export function e2eDatabaseUrl(): string {
	const folder = process.env.E2E_DATA_FOLDER;
	if (!folder) throw new Error('E2E_DATA_FOLDER is not set: run these tests with tests/playwright.config.ts');
	return `file:${join(folder, 'parley.db')}`;
}

/** The fixtures and a session for each kind of visitor. */
export interface PreparedRoutes {
	fixtures: RouteFixtures;
	sessions: Record<Exclude<Visitor, 'anonymous'>, SessionClient>;
}

/** Signs a browser context in as `visitor` (a visitor who is not signed in gets no cookie). */
export async function signInContext(context: BrowserContext, prepared: PreparedRoutes, visitor: Visitor, baseURL: string) {
	if (visitor === 'anonymous') return;
	const [name, value] = prepared.sessions[visitor].cookie.split(/=(.*)/s);
	await context.addCookies([{ name, value, url: baseURL }]);
}

/**
 * Makes what the pages of {@link APP_ROUTES} need, through the app where it can: the admin's task
 * is a real chat (an image whose text is read, a tool call, code), a plain user and an API key
 * fill the admin lists, and the task is shared; ids of the seeded catalogue come from the database.
 */
export async function prepareRoutes(browser: Browser, baseURL: string): Promise<PreparedRoutes> {
	const admin = await logIn(baseURL, adminEmail, adminPassword);
	const user = await signUp(baseURL, `pages-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`);
	const prepared: PreparedRoutes = {
		sessions: { admin, user },
		fixtures: { taskId: '', agentId: 0, codeAgentId: 0, toolId: 0, templateId: 0, shareToken: '' }
	};

	const key = await admin.fetch('/settings?/create', { method: 'POST', body: new URLSearchParams({ name: 'Laptop' }) });
	expect(key.ok).toBe(true);

	const context = await browser.newContext({ baseURL });
	try {
		await signInContext(context, prepared, 'admin', baseURL);
		const page = await context.newPage();
		await page.goto('/?agent=tool-demo');
		const input = page.getByRole('textbox', { name: 'Message' });
		await page.locator('form input[type="file"]').setInputFiles({
			name: 'sign.png',
			mimeType: 'image/png',
			buffer: Buffer.from(textPng(['OPEN DAILY']))
		});
		await expect(page.locator('[data-testid="attachment"][data-status="ready"]')).toHaveCount(1);
		await input.fill('Please give me a code example');
		await input.press('Enter');
		await expect(page).toHaveURL(/\/chat\//);
		await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeVisible();
		await input.fill('Use the calculator with expression=6*7');
		await input.press('Enter');
		await expect(page.getByRole('button', { name: 'Send', exact: true })).toBeVisible();
		await expect(page.locator('[data-testid="message"][data-role="assistant"]')).toHaveCount(2);
		// The image's text is read in the background; its status shows under it once done.
		await expect(page.getByTestId('extraction')).toHaveAttribute('data-status', /^(ready|failed)$/, { timeout: 60_000 });
		prepared.fixtures.taskId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
	} finally {
		await context.close();
	}

	const share = await admin.fetch(`/api/tasks/${prepared.fixtures.taskId}/share`, { method: 'POST' });
	expect(share.status).toBe(201);
	prepared.fixtures.shareToken = ((await share.json()) as { token: string }).token;

	const database = createClient({ url: e2eDatabaseUrl() });
	try {
		await database.execute('PRAGMA busy_timeout = 5000');
		const id = async (sql: string, args: (string | number)[] = []) => {
			const rows = (await database.execute({ sql, args })).rows;
			if (rows.length === 0) throw new Error(`Nothing found by ${sql}`);
			return Number(rows[0].id);
		};
		const now = Date.now();
		await database.execute({
			sql: `INSERT OR IGNORE INTO prompt_templates (name, description, template, created_at, updated_at) VALUES (?, ?, ?, ?, ?)`,
			args: ['Support tone', 'How support answers', 'You help {{customer_name}} with {{product}}. Be brief.', now, now]
		});
		prepared.fixtures.templateId = await id(`SELECT id FROM prompt_templates WHERE name = 'Support tone'`);
		prepared.fixtures.agentId = await id(`SELECT id FROM agents WHERE slug = 'shop'`);
		prepared.fixtures.codeAgentId = await id(`SELECT id FROM agents WHERE source = 'code' ORDER BY id LIMIT 1`);
		prepared.fixtures.toolId = await id(`SELECT id FROM tools WHERE name = 'calculator'`);
	} finally {
		database.close();
	}
	return prepared;
}
