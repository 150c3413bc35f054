/**
 * The chat's controls that answer a paused run — Approve and Deny on a call that needs approval,
 * the "Send output" form of a client tool's call — and Escape, which stops an answer. Each test
 * checks what the server did and stored: the payment made or not, the answer that followed, the
 * page after a reload.
 */
import { expect, request as apiRequest, test, type APIRequestContext } from '@playwright/test';
import { startPayee, type Payee } from '../support/payee';
import { LONG_ANSWER_END } from '../support/text-deltas';
import { adminEmail, adminPassword } from './pages/admin-page';
import { AuthPage } from './pages/auth-page';
import { ChatPage } from './pages/chat-page';
import { createClientToolAgent } from './pages/playground-page';
import { ToolCallCard } from './pages/tool-call-card';

const appOrigin = `http://127.0.0.1:${process.env.E2E_PORT ?? 4318}`;
const password = 'correct horse battery';
const stamp = Date.now().toString(36);
/** A tool that pays money over HTTP (to the test's payee) and needs approval for each call. */
const payTool = `pay_${stamp}`;
const payerAgent = `payer-${stamp}`;
const weatherAgent = `weather-chat-${stamp}`;

let payee: Payee;
let admin: APIRequestContext;

function uniqueEmail(prefix: string) {
	return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

test.beforeAll(async () => {
	payee = await startPayee();
	admin = await apiRequest.newContext({ baseURL: appOrigin, extraHTTPHeaders: { origin: appOrigin } });
	const login = await admin.post('/login', {
		form: { email: adminEmail, password: adminPassword },
		headers: { accept: 'text/html' },
		maxRedirects: 0
	});
	expect(login.status()).toBe(303);

	const tool = await admin.post('/api/tools/', {
		data: {
			name: payTool,
			kind: 'http',
			description: 'Sends money to a payee.',
			requires_approval: true,
			input_schema: {
				type: 'object',
				properties: { to: { type: 'string', enum: ['alice', 'bob'] }, amount: { type: 'integer', minimum: 1, maximum: 100 } },
				required: ['to', 'amount'],
				additionalProperties: false
			},
			config: { url: `${payee.url}/pay`, method: 'GET', allowed_hosts: ['127.0.0.1'] }
		}
	});
	expect(tool.status(), await tool.text()).toBe(201);
	const agent = await admin.post('/api/agents/', {
		data: { slug: payerAgent, name: 'Payer', model: 'mock:offline', tools: [(await tool.json()).id] }
	});
	expect(agent.status(), await agent.text()).toBe(201);
	await createClientToolAgent(admin, appOrigin, weatherAgent);
});

test.afterAll(async () => {
	await admin?.dispose();
	await payee?.stop();
});

test.beforeEach(() => {
	payee.payments.length = 0;
});

test('Approve runs the call that waited for it, and the answer goes on from its result', async ({ page }) => {
	await new AuthPage(page).signUp(uniqueEmail('approve'), password);
	const chat = new ChatPage(page);
	await chat.pickAgent(payerAgent);
	await chat.send(`${payTool} to=bob amount=5`);

	const card = new ToolCallCard(page, payTool);
	await expect(card.badge).toHaveText('Needs approval');
	await expect(card.input).toContainText('"to": "bob"');
	await chat.waitForIdle();
	// Nothing is paid before the person says so.
	expect(payee.payments).toEqual([]);

	await card.approve.click();
	const answer = chat.answers().first();
	await expect(answer).toContainText(`The ${payTool} tool returned: {"status":200,"body":{"paid":true}}.`);
	await chat.waitForIdle();
	expect(payee.payments).toEqual([{ to: 'bob', amount: '5' }]);
	await expect(card.badge).toHaveText('Done');
	await expect(card.approve).toHaveCount(0);

	// The server kept the call with its result and the answer after it; nothing is paid twice.
	await page.reload();
	await expect(card.badge).toHaveText('Done');
	await expect(card.output).toContainText('"paid": true');
	await expect(card.approve).toHaveCount(0);
	await expect(chat.answers().first()).toContainText(`The ${payTool} tool returned`);
	expect(payee.payments).toHaveLength(1);
});

test('Deny refuses the call: nothing runs, and the answer says it was denied', async ({ page }) => {
	await new AuthPage(page).signUp(uniqueEmail('deny'), password);
	const chat = new ChatPage(page);
	await chat.pickAgent(payerAgent);
	await chat.send(`${payTool} to=alice amount=9`);

	const card = new ToolCallCard(page, payTool);
	await expect(card.badge).toHaveText('Needs approval');
	await chat.waitForIdle();
	await card.deny.click();

	const answer = chat.answers().first();
	await expect(answer).toContainText(`The ${payTool} tool was not run: the call was denied.`);
	await chat.waitForIdle();
	await expect(card.badge).toHaveText('Denied');
	await expect(card.root).toContainText('The call was denied.');

	await page.reload();
	await expect(card.badge).toHaveText('Denied');
	await expect(card.approve).toHaveCount(0);
	await expect(chat.answers().first()).toContainText(`The ${payTool} tool was not run: the call was denied.`);
	expect(payee.payments).toEqual([]);
});

test('a client tool’s call is answered with the "Send output" form, and the answer quotes that output', async ({ page }) => {
	await new AuthPage(page).signUp(uniqueEmail('client-tool'), password);
	const chat = new ChatPage(page);
	await chat.pickAgent(weatherAgent);
	await chat.send('lookup weather city=Paris');

	const card = new ToolCallCard(page, 'lookup_weather');
	await expect(card.badge).toHaveText('Waiting for output');
	await expect(card.input).toContainText('"city": "Paris"');

	// An empty output is refused on the page: nothing is sent.
	let posted = 0;
	page.on('request', (request) => {
		if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/chat') posted++;
	});
	await card.sendOutput.click();
	await expect(card.root.getByText('Enter the tool’s output, as JSON or text.')).toBeVisible();
	await expect(card.outputBox).toHaveAttribute('aria-invalid', 'true');

	await card.outputBox.fill('{"temperature":21}');
	await card.sendOutput.click();
	const answer = chat.answers().first();
	await expect(answer).toContainText('The lookup_weather tool returned: {"temperature":21}.');
	await chat.waitForIdle();
	expect(posted).toBe(1);
	await expect(card.badge).toHaveText('Done');
	await expect(card.sendOutput).toHaveCount(0);

	// Stored as JSON (shown indented), not as the text typed.
	await page.reload();
	await expect(card.badge).toHaveText('Done');
	await expect(card.output).toContainText('"temperature": 21');
	await expect(card.sendOutput).toHaveCount(0);
	await expect(chat.answers().first()).toContainText('The lookup_weather tool returned: {"temperature":21}.');
});

test('Escape in the composer stops the answer: the server keeps what was written, marked as interrupted', async ({ page }) => {
	await new AuthPage(page).signUp(uniqueEmail('escape'), password);
	const chat = new ChatPage(page);
	await chat.send('Until I interrupt you, please write a long answer about the sea');
	const answer = chat.answers().first();
	// Some words have arrived; the focus is still in the composer.
	await expect(answer).toContainText('Here is a long answer about the sea.');
	await expect(chat.input).toBeFocused();

	const stopped = page.waitForResponse((response) => /\/api\/chat\/[^/]+\/stop$/.test(new URL(response.url()).pathname));
	await chat.input.press('Escape');
	expect(await (await stopped).json()).toMatchObject({ stopped: true });
	await expect(page.getByTestId('interrupted')).toBeVisible();
	await chat.waitForIdle();

	// After a reload: the partial answer the server stored, marked as stopped.
	await page.reload();
	await expect(page.getByTestId('interrupted')).toBeVisible();
	await expect(answer).toContainText('Here is a long answer about the sea.');
	await expect(answer).not.toContainText(LONG_ANSWER_END);
});
