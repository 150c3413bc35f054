import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { AdminPage, loginAsAdmin } from './pages/admin-page';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';
import { answerConfirmation } from './pages/confirm-dialog';
import { gotoInteractive } from './pages/goto-interactive';

const password = 'correct horse battery';
const screenshots = resolve(import.meta.dirname, '../../test-results/screenshots');

function unique(prefix: string) {
	return `${prefix}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

async function signUpUser(page: Page) {
	await new AuthPage(page).signUp(`${unique('member')}@example.com`, password);
}

test.beforeAll(() => {
	mkdirSync(screenshots, { recursive: true });
});

test('people who are not admins get a 403 on the admin pages', async ({ page }) => {
	await signUpUser(page);
	await expect(page.getByRole('link', { name: 'Admin' })).toHaveCount(0);
	for (const path of ['/admin', '/admin/agents', '/admin/tools/new', '/admin/templates']) {
		const response = await page.goto(path);
		expect(response?.status(), path).toBe(403);
		await expect(page.getByText('Only admins can open the admin pages.')).toBeVisible();
	}
});

test('visitors who are not signed in are sent to log in; /dashboard leads to /admin', async ({ page }) => {
	await page.goto('/admin/agents');
	await expect(page).toHaveURL(/\/login\?next=%2Fadmin%2Fagents/);

	await loginAsAdmin(page);
	await expect(page.getByRole('link', { name: 'Admin' })).toBeVisible();
	await page.goto('/dashboard');
	await expect(page).toHaveURL(/\/admin\/agents$/);
	await expect(page.getByRole('navigation', { name: 'Admin' }).getByRole('link')).toHaveText([
		'Agents',
		'Tools',
		'MCP servers',
		'Templates',
		'Users',
		'API keys',
		'Tasks',
		'Usage'
	]);
});

test('an admin creates an agent with the calculator, and a user chats with it', async ({ page, browser }) => {
	const admin = new AdminPage(page);
	const name = unique('Math helper');
	const slug = name.toLowerCase().replace(/\s+/g, '-');
	await loginAsAdmin(page);

	await page.goto('/admin/agents');
	await expect(admin.agentRow('assistant')).toBeVisible();
	await page.getByRole('link', { name: 'New agent' }).click();
	await expect(page.getByLabel('Model', { exact: true })).toHaveValue('mock:offline');
	await expect(page.getByLabel('Model', { exact: true }).locator('option:checked')).toHaveText('Offline demo model');
	await admin.fillAgent({ name, systemPrompt: 'You do sums.', tools: ['calculator'] });
	// The slug is suggested from the name.
	await expect(page.getByLabel('Slug')).toHaveValue(slug);
	// The page scrolls inside <main>: show the form from its top.
	await page.locator('main').evaluate((main) => main.scrollTo(0, 0));
	await page.screenshot({ path: `${screenshots}/admin-agent-form.png` });
	await admin.save('Create agent', /\/admin\/agents\?saved=/);

	const row = admin.agentRow(slug);
	await expect(row).toContainText(name);
	await expect(row).toContainText('Offline demo model');
	await expect(row).toContainText('calculator');
	await page.screenshot({ path: `${screenshots}/admin-agents-list.png`, fullPage: true });

	// A taken slug is refused next to its field.
	await gotoInteractive(page, '/admin/agents/new');
	await admin.fillAgent({ name: 'Clash', slug });
	await page.getByRole('button', { name: 'Create agent' }).click();
	await expect(page.getByTestId('field-error-slug')).toContainText(`An agent with the slug "${slug}" already exists.`);

	// Someone who is not an admin picks it on / and chats; the calculator answers.
	const context = await browser.newContext();
	const userPage = await context.newPage();
	await signUpUser(userPage);
	const chat = new ChatPage(userPage);
	await chat.pickAgent(slug);
	await chat.send('calculator expression="2+3"');
	await chat.waitForIdle();
	await expect(chat.answers().last()).toContainText('5');
	await context.close();
});

test('duplicate an agent, and delete it after confirming', async ({ page }) => {
	const admin = new AdminPage(page);
	await loginAsAdmin(page);
	await page.goto('/admin/agents');
	await admin.agentRow('tool-demo').getByRole('link', { name: 'Duplicate' }).click();
	await expect(page.getByLabel('Slug')).toHaveValue(/^tool-demo-copy(-\d+)?$/);
	const slug = await page.getByLabel('Slug').inputValue();
	await expect(page.getByRole('checkbox', { name: /^calculator\b/ })).toBeChecked();
	// Reasoning is off unless chosen; the choice is kept.
	await expect(page.getByLabel('Reasoning')).toHaveValue('off');
	await page.getByLabel('Reasoning').selectOption('medium');
	await admin.save('Create agent', /\/admin\/agents\?saved=/);
	await expect(admin.agentRow(slug)).toContainText('calculator');
	await admin.agentRow(slug).getByRole('link', { name: 'Edit' }).click();
	await expect(page.getByLabel('Reasoning')).toHaveValue('medium');
	await page.goto('/admin/agents');

	// Dismissing the confirmation keeps it; accepting deletes it.
	await admin.agentRow(slug).getByRole('button', { name: 'Delete' }).click();
	await answerConfirmation(page, 'Delete', { cancel: true });
	await expect(admin.agentRow(slug)).toBeVisible();
	await admin.agentRow(slug).getByRole('button', { name: 'Delete' }).click();
	await answerConfirmation(page, 'Delete', { says: slug });
	await expect(admin.flash()).toContainText('Deleted');
	await expect(admin.agentRow(slug)).toHaveCount(0);
});

test('an agent with tasks cannot be deleted, and says why', async ({ page }) => {
	const admin = new AdminPage(page);
	await loginAsAdmin(page);
	const slug = unique('busy');
	await gotoInteractive(page, '/admin/agents/new');
	await admin.fillAgent({ name: slug, slug });
	await admin.save('Create agent', /\/admin\/agents\?saved=/);

	const chat = new ChatPage(page);
	await page.goto(`/?agent=${slug}`);
	await chat.pickAgent(slug);
	await chat.send('Hello there');
	await chat.waitForIdle();

	await page.goto('/admin/agents');
	await admin.agentRow(slug).getByRole('button', { name: 'Delete' }).click();
	await answerConfirmation(page, 'Delete');
	await expect(page.getByRole('alert')).toContainText('has 1 task and cannot be deleted');
	await expect(admin.agentRow(slug)).toBeVisible();
});

test('the context schema and input schema are checked as you type', async ({ page }) => {
	await loginAsAdmin(page);
	await gotoInteractive(page, '/admin/agents/new');
	const contextSchema = page.getByLabel('Context schema (JSON Schema, optional)');
	await contextSchema.fill('{ "type": "object", ');
	await expect(page.getByTestId('json-error-context_schema')).toContainText('Not valid JSON');
	await expect(contextSchema).toHaveAttribute('aria-invalid', 'true');
	await contextSchema.fill('{ "type": "object" }');
	await expect(page.getByTestId('json-error-context_schema')).toHaveCount(0);

	await gotoInteractive(page, '/admin/tools/new');
	const inputSchema = page.getByLabel('Input schema (JSON Schema)');
	await inputSchema.fill('{ "type": "string" }');
	await expect(page.getByTestId('json-error-input_schema')).toContainText('"type": "object"');
	await inputSchema.fill('[1, 2');
	await expect(page.getByTestId('json-error-input_schema')).toContainText('Not valid JSON');
});

test('an admin creates, edits and deletes an HTTP tool', async ({ page }) => {
	const admin = new AdminPage(page);
	const name = unique('lookup_order').replace(/-/g, '_');
	await loginAsAdmin(page);
	await page.goto('/admin/tools');
	// Built-in tools show their implementation.
	await expect(admin.toolRow('calculator')).toContainText('built-in calculator');

	await page.getByRole('link', { name: 'New tool' }).click();
	await page.getByRole('radio', { name: /HTTP/ }).check();
	await page.getByLabel('Name', { exact: true }).fill(name);
	await page.getByLabel('URL template').fill('ftp://example.com/{{id}}');
	await page.getByLabel('Header name 1').fill('X-Api-Key');
	await page.getByLabel('Header value 1').fill('secret');
	await page.getByLabel('Input schema (JSON Schema)').fill('{ "type": "object", "properties": { "id": { "type": "string" } } }');
	await page.getByRole('button', { name: 'Create tool' }).click();
	// The server's check of the HTTP config shows at the HTTP fields.
	await expect(page.getByTestId('field-error-config')).toContainText('url');

	await page.getByLabel('URL template').fill('https://example.com/orders/{{id}}');
	await page.getByLabel('Requires approval').check();
	await admin.save('Create tool', /\/admin\/tools\?saved=/);
	await expect(admin.toolRow(name)).toContainText('GET https://example.com/orders/{{id}}');
	await expect(admin.toolRow(name)).toContainText('Approval');

	await admin.toolRow(name).getByRole('link', { name: 'Edit' }).click();
	await expect(page.getByLabel('Header value 1')).toHaveValue('secret');
	await page.getByLabel('Method').selectOption('POST');
	await admin.save('Save changes', /\/admin\/tools\?saved=/);
	await expect(admin.toolRow(name)).toContainText('POST https://example.com/orders/{{id}}');

	await admin.toolRow(name).getByRole('button', { name: 'Delete' }).click();
	await answerConfirmation(page, 'Delete');
	await expect(admin.flash()).toContainText('Deleted');
	await expect(admin.toolRow(name)).toHaveCount(0);
});

test('templates: the preview fills variables, agents use them, and deleting warns who uses it', async ({ page }) => {
	const admin = new AdminPage(page);
	const name = unique('Support tone');
	await loginAsAdmin(page);
	await gotoInteractive(page, '/admin/templates/new');
	await page.getByLabel('Name', { exact: true }).fill(name);
	await page.getByLabel('Template', { exact: true }).fill('Answer {{customer.name}} politely in {{language}}.');
	await page.getByLabel('Sample context (JSON)').fill('{ "customer": { "name": "Ada" }, "language": "French" }');
	await expect(page.getByTestId('template-preview')).toHaveText('Answer Ada politely in French.');
	await admin.save('Create template', /\/admin\/templates\?saved=/);
	await expect(admin.templateRow(name)).toContainText('customer.name');

	// An agent uses it.
	const slug = unique('templated');
	await gotoInteractive(page, '/admin/agents/new');
	await admin.fillAgent({ name: slug, slug });
	await page.getByLabel('Prompt template').selectOption({ label: name });
	await admin.save('Create agent', /\/admin\/agents\?saved=/);

	await page.goto('/admin/templates');
	await expect(admin.templateRow(name)).toContainText(slug);
	await admin.templateRow(name).getByRole('button', { name: 'Delete' }).click();
	await answerConfirmation(page, 'Delete', { says: slug });
	await expect(admin.flash()).toContainText('Deleted');
	await expect(admin.templateRow(name)).toHaveCount(0);
});
