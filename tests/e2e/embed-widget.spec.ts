/**
 * The embeddable `<parley-chat>` on another site: a static page served from a second origin
 * (listed in the e2e server's CORS_ORIGINS) loads `/widget.js` from Parley with one script tag.
 */
import { createServer, type Server } from 'node:http';
import { expect, request as apiRequest, test, type APIRequestContext, type Locator, type Page, type Request } from '@playwright/test';
import { adminEmail, adminPassword } from './pages/admin-page';

const appOrigin = `http://127.0.0.1:${process.env.E2E_PORT ?? 4318}`;
const sitePort = Number(process.env.E2E_EMBED_SITE_PORT);
/** Another site: `localhost` is not the same origin as the app's `127.0.0.1`. */
const siteOrigin = `http://localhost:${sitePort}`;

const stamp = Date.now().toString(36);
const publicAgent = `front-desk-${stamp}`;
const toolAgent = `counter-${stamp}`;

let site: Server;
let api: APIRequestContext;

/** The host page: one script tag and the element, with page styles that must not reach inside it. */
function hostPage(agent: string): string {
	return `<!doctype html>
<html lang="en">
<head>
	<meta charset="utf-8">
	<meta name="viewport" content="width=device-width, initial-scale=1">
	<title>Outdoor shop</title>
	<style>:root { --accent: lime; --text: red; } body { font-family: serif; } p { color: red; }</style>
</head>
<body>
	<h1>Outdoor shop</h1>
	<script src="${appOrigin}/widget.js" defer></script>
	<parley-chat agent="${agent}" heading="Shop help"></parley-chat>
</body>
</html>`;
}

test.beforeAll(async () => {
	site = createServer((request, response) => {
		const url = new URL(request.url ?? '/', siteOrigin);
		if (url.pathname !== '/') {
			response.writeHead(404).end();
			return;
		}
		response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
		response.end(hostPage(url.searchParams.get('agent') ?? ''));
	});
	await new Promise<void>((resolve, reject) => {
		site.once('error', reject);
		site.listen(sitePort, 'localhost', resolve);
	});

	// Two public agents, made by the admin over the agents API: one plain, one with the calculator.
	api = await apiRequest.newContext({ baseURL: appOrigin, extraHTTPHeaders: { origin: appOrigin } });
	const login = await api.post('/login', {
		form: { email: adminEmail, password: adminPassword },
		headers: { accept: 'text/html' },
		maxRedirects: 0
	});
	expect(login.status()).toBe(303);
	const tools: { id: number; name: string }[] = await (await api.get('/api/tools/')).json();
	const calculator = tools.find((tool) => tool.name === 'calculator');
	expect(calculator).toBeDefined();
	for (const agent of [
		{ slug: publicAgent, name: 'Front desk', visibility: 'public' },
		{ slug: toolAgent, name: 'Counter', visibility: 'public', tools: [calculator?.id] }
	]) {
		const created = await api.post('/api/agents/', { data: agent });
		expect(created.status()).toBe(201);
	}
});

test.afterAll(async () => {
	await api?.dispose();
	await new Promise((resolve) => site?.close(resolve));
});

/** The widget's parts; Playwright's CSS locators reach into its open shadow root. */
function widgetOf(page: Page) {
	const root = page.locator('parley-chat');
	return {
		root,
		input: root.getByRole('textbox', { name: 'Message' }),
		answers: root.locator('[data-role="assistant"]'),
		questions: root.locator('[data-role="user"]'),
		error: root.getByTestId('error')
	};
}

/** Sends a message with Enter; resolves with the chat request it made. */
async function send(page: Page, input: Locator, text: string): Promise<Request> {
	const posted = page.waitForRequest((request) => request.url() === `${appOrigin}/api/chat` && request.method() === 'POST');
	await input.fill(text);
	await input.press('Enter');
	return posted;
}

test('chats with a public agent from another site, keeping its anonymous id and conversation', async ({ page }) => {
	await page.goto(`${siteOrigin}/?agent=${publicAgent}`);
	const widget = widgetOf(page);
	await expect(widget.root.getByTestId('empty')).toBeVisible();
	await expect(widget.root.getByText('Shop help')).toBeVisible();
	// The host page's variables do not leak into the widget.
	await expect(widget.root.getByTestId('send')).not.toHaveCSS('background-color', 'rgb(0, 255, 0)');

	const first = await send(page, widget.input, 'Hello from the shop');
	expect(first.headers()['x-anonymous-id']).toBeUndefined();
	await expect(widget.questions.first()).toHaveText('Hello from the shop');
	await expect(widget.answers.first()).toContainText('You said:');
	await expect(widget.answers.first()).toContainText("I am Parley's offline demo model");
	await expect(widget.answers.first()).toHaveAttribute('data-status', 'complete');

	// The id the server made is kept per server origin, and the conversation's task beside it.
	const stored = await page.evaluate(
		([server, agent]) => ({
			anonymousId: localStorage.getItem(`parley:anonymous-id:${server}`),
			taskId: localStorage.getItem(`parley:task-id:${server}:${agent}`)
		}),
		[appOrigin, publicAgent]
	);
	expect(stored.anonymousId).toMatch(/^anon_/);
	expect(stored.taskId).toBe(first.postDataJSON().id);

	// Shift+Enter writes a new line; Enter sends, with the same id, continuing the same task.
	await widget.input.fill('Second');
	await widget.input.press('Shift+Enter');
	await expect(widget.input).toHaveValue('Second\n');
	const second = await send(page, widget.input, 'Second question');
	expect(second.headers()['x-anonymous-id']).toBe(stored.anonymousId);
	expect(second.postDataJSON()).toMatchObject({ id: stored.taskId, agentId: publicAgent });
	expect(second.postDataJSON().messages).toHaveLength(1);
	await expect(widget.answers.nth(1)).toHaveAttribute('data-status', 'complete');
	await expect(widget.answers.nth(1)).toContainText('Second question');

	// A reload shows the conversation again; "New chat" starts over.
	await page.reload();
	await expect(widget.questions).toHaveText(['Hello from the shop', 'Second question']);
	await expect(widget.answers.nth(1)).toContainText('Second question');
	await widget.root.getByTestId('new-conversation').click();
	await expect(widget.root.getByTestId('empty')).toBeVisible();
	const third = await send(page, widget.input, 'A fresh start');
	expect(third.postDataJSON().id).not.toBe(stored.taskId);
	expect(third.headers()['x-anonymous-id']).toBe(stored.anonymousId);
	await expect(widget.answers.first()).toHaveAttribute('data-status', 'complete');
});

test('is refused for an agent that is not public', async ({ page }) => {
	await page.goto(`${siteOrigin}/?agent=assistant`);
	const widget = widgetOf(page);
	await expect(widget.error).toContainText('This agent is not available here.');
	await expect(widget.error).toContainText('Log in or send an API key');
	await expect(widget.input).toBeDisabled();
	await expect(widget.root.getByTestId('send')).toBeDisabled();
});

test('shows tool calls with their results, and stops an answer', async ({ page }) => {
	await page.setViewportSize({ width: 375, height: 720 });
	await page.goto(`${siteOrigin}/?agent=${toolAgent}`);
	const widget = widgetOf(page);
	await send(page, widget.input, 'Use the calculator expression="6*7"');
	const card = widget.root.getByTestId('tool-call');
	await expect(card).toHaveAttribute('data-state', 'output-available');
	await expect(card).toContainText('calculator');
	await expect(card.getByTestId('tool-output')).toContainText('42');
	await expect(widget.answers.first()).toHaveAttribute('data-status', 'complete');
	await expect(widget.answers.first()).toContainText('42');
	// At phone width nothing overflows sideways.
	const overflow = await widget.root.evaluate((element) => {
		const log = element.shadowRoot?.querySelector('.log');
		return log ? log.scrollWidth - log.clientWidth : -1;
	});
	expect(overflow).toBe(0);

	await send(page, widget.input, 'Until I interrupt you, please write a long answer about tents');
	const answer = widget.answers.nth(1);
	await expect(answer).toContainText(/tents/i);
	await widget.root.getByTestId('stop').click();
	await expect(answer).toHaveAttribute('data-status', 'interrupted');
	await expect(answer).toContainText('Stopped.');
	await expect(widget.root.getByTestId('send')).toBeVisible();
});

test('shows an agent’s widget and sends what is chosen in it', async ({ page }) => {
	// `appointment` is a public agent defined in code: "book an appointment" shows a picker.
	await page.goto(`${siteOrigin}/?agent=appointment`);
	const widget = widgetOf(page);
	await send(page, widget.input, 'I would like to book an appointment');
	const picker = widget.root.locator('[data-testid="widget"][data-widget-type="appointment_picker"]');
	await expect(picker).toBeVisible();
	await expect(widget.answers.first()).toHaveAttribute('data-status', 'complete');

	const posted = page.waitForRequest((request) => request.url() === `${appOrigin}/api/chat`);
	await picker.getByRole('button').first().click();
	const [message] = (await posted).postDataJSON().messages;
	expect(message.role).toBe('user');
	expect(message.parts[1]).toMatchObject({ type: 'data-widget-submit', data: { type: 'appointment_picker' } });
	await expect(widget.questions.nth(1)).toHaveText(message.parts[0].text);
	await expect(widget.answers.nth(1)).toContainText('Your appointment is booked');
	await expect(picker).toHaveAttribute('data-submitted', 'true');
});

test('/widget/demo shows the snippet for this server and a live instance', async ({ page }) => {
	await page.goto(`/widget/demo?agent=${publicAgent}`);
	await expect(page.getByTestId('widget-snippet')).toHaveText(
		`<script src="${appOrigin}/widget.js" defer></script>\n<parley-chat agent="${publicAgent}"></parley-chat>`
	);
	await expect(page.getByRole('link', { name: publicAgent })).toBeVisible();
	const widget = widgetOf(page);
	await send(page, widget.input, 'Hello from the demo');
	await expect(widget.answers.first()).toContainText('You said:');
	await expect(widget.answers.first()).toHaveAttribute('data-status', 'complete');
});
