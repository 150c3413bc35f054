import { expect, test } from '@playwright/test';
import { startFakeProvider, type FakeProvider } from '../support/fake-providers';
import { startServer, type TestServer } from '../support/server';
import { signUp } from '../support/session';
import { VIEWPORTS } from '../support/viewports';
import { AdminPage } from './pages/admin-page';
import { AuthPage } from './pages/auth-page';

// A server of its own, with DEFAULT_MODEL naming a model of an OpenAI-compatible server (a fake
// that lists its models at GET /v1/models), so that the shared server keeps the offline default.
let provider: FakeProvider;
let server: TestServer;
const email = 'default-model-admin@example.com';
const password = 'correct horse battery';

test.beforeAll(async () => {
	provider = await startFakeProvider('openai-chat', { models: ['fake-model', 'listed-model'] });
	server = await startServer({ DEFAULT_MODEL: 'compatible:fake-model', OPENAI_COMPATIBLE_BASE_URL: provider.baseURL });
	// The first account is an admin.
	await signUp(server.baseURL, email, password);
});

test.afterAll(async () => {
	await server?.stop();
	await provider?.close();
});

for (const viewport of VIEWPORTS) {
	test.describe(`on a ${viewport.name}`, () => {
		test.use({ viewport: { width: viewport.width, height: viewport.height } });

		test('the new-agent form starts on DEFAULT_MODEL and offers the models the server lists', async ({ page }) => {
			await new AuthPage(page).logIn(email, password, server.baseURL);
			await expect(page).not.toHaveURL(/\/login/);
			await page.goto(`${server.baseURL}/admin/agents/new`);
			const model = page.getByLabel('Model', { exact: true });
			await expect(model).toHaveValue('compatible:fake-model');
			await expect(model.locator('option:checked')).toHaveText('OpenAI-compatible · fake-model (compatible:fake-model)');
			// The list is read in the background at start; the form offers it once it is read.
			await expect(async () => {
				await page.reload();
				await expect(model.locator('option')).toHaveText(
					[
						'Offline demo model',
						'OpenAI-compatible · fake-model (compatible:fake-model)',
						'OpenAI-compatible · listed-model (compatible:listed-model)'
					],
					{ timeout: 1000 }
				);
			}).toPass();

			const admin = new AdminPage(page);
			const slug = `local-${viewport.name}`;
			await admin.fillAgent({ name: `Local ${viewport.name}`, slug });
			await admin.save('Create agent', /\/admin\/agents\?saved=/);
			await expect(admin.agentRow(slug)).toContainText('OpenAI-compatible · fake-model');
		});
	});
}
