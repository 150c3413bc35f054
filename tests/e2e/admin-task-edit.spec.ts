import { expect, test, type Page } from '@playwright/test';
import { AdminPage, loginAsAdmin } from './pages/admin-page';
import { gotoInteractive } from './pages/goto-interactive';
import { AdminTaskPage } from './pages/admin-task-page';
import { AuthPage } from './pages/auth-page';

const password = 'correct horse battery';
const contextSchema = {
	type: 'object',
	required: ['city'],
	properties: { city: { type: 'string' }, seats: { type: 'integer' } }
};

/** Starts a task with one question and a context through the chat API, as the page's signed-in user. */
async function startTask(page: Page, baseURL: string, id: string, agentId: string, context: Record<string, unknown>) {
	const response = await page.request.post(`${baseURL}/api/chat`, {
		headers: { origin: baseURL },
		data: { id, agentId, context, messages: [{ role: 'user', parts: [{ type: 'text', text: 'Hello there' }] }] }
	});
	expect(response.status()).toBe(200);
	await response.text();
}

test("an admin edits a user's task status and context; the agent's context schema is enforced", async ({ page, browser, baseURL }) => {
	const base = baseURL ?? '';
	const stamp = Date.now();
	const slug = `trip-planner-${stamp}`;
	const email = `traveller-${stamp}@example.com`;
	const taskId = `admin-edit-${stamp}`;

	// The admin makes an agent whose tasks need a context with a city.
	await loginAsAdmin(page);
	const admin = new AdminPage(page);
	// The slug follows the name once the form is interactive.
	await gotoInteractive(page, '/admin/agents/new');
	await admin.fillAgent({ name: `Trip planner ${stamp}`, slug, visibility: 'users' });
	await page.getByLabel('Context schema').fill(JSON.stringify(contextSchema));
	await admin.save('Create agent', /\/admin\/agents\?saved=/);

	// A user starts a task with it, in their own browser.
	const theirs = await browser.newContext({ baseURL: base });
	const person = await theirs.newPage();
	await new AuthPage(person).signUp(email, password);
	await startTask(person, base, taskId, slug, { city: 'Paris' });
	await theirs.close();

	// The admin opens it: the form shows the status and the context, pretty-printed.
	const task = new AdminTaskPage(page);
	await task.openFromList(email, taskId);
	await expect(task.status()).toHaveValue('active');
	await expect(task.context()).toHaveValue(JSON.stringify({ city: 'Paris' }, null, 2));

	// Completed, with a new context: saved, and kept after a reload.
	await task.status().selectOption('completed');
	await task.context().fill('{"city": "Lyon", "seats": 2}');
	await task.save();
	await expect(page.getByText('Saved the task.')).toBeVisible();
	await page.reload();
	await expect(task.status()).toHaveValue('completed');
	await expect(page.locator('.facts')).toContainText('Completed');
	expect(await task.contextValue()).toEqual({ city: 'Lyon', seats: 2 });

	// Invalid JSON is pointed out and never sent.
	const updates: string[] = [];
	page.on('request', (request) => {
		if (request.method() === 'POST' && request.url().includes('/update')) updates.push(request.url());
	});
	await task.context().fill('{"city": ');
	await expect(task.contextError('json')).toContainText('Not valid JSON');
	await task.save();
	await expect(task.context()).toBeFocused();
	expect(updates).toEqual([]);

	// A context the agent's schema refuses: the server's 422 names the field, next to it.
	await task.status().selectOption('archived');
	await task.context().fill('{"city": 5}');
	await expect(task.contextError('json')).toHaveCount(0);
	await task.save();
	await expect(task.contextError('server')).toContainText('context.city must be string');
	expect(updates).toHaveLength(1);
	// Nothing of the refused save was stored.
	await page.reload();
	await expect(task.status()).toHaveValue('completed');
	expect(await task.contextValue()).toEqual({ city: 'Lyon', seats: 2 });
});
