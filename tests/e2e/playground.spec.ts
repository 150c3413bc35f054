import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { AuthPage } from './pages/auth-page';
import { loginAsAdmin } from './pages/admin-page';
import { createClientToolAgent, PlaygroundPage } from './pages/playground-page';

const password = 'correct horse battery';

function uniqueEmail(prefix: string) {
	return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@example.com`;
}

test('the UI stream shows raw events as they arrive, filters them, and renders the answer', async ({ page }) => {
	await new AuthPage(page).signUp(uniqueEmail('playground'), password);
	await page.getByRole('link', { name: 'Playground' }).click();
	await expect(page).toHaveURL(/\/playground$/);
	const playground = new PlaygroundPage(page);
	await expect(page.getByText('No events yet.')).toBeVisible();
	await expect(playground.sessionId).toHaveText('new');
	await expect(page.getByTestId('endpoint')).toHaveText('POST /api/chat');

	await playground.send('Hello playground, how are the streams?');
	await expect(playground.eventsOfType('text-delta').first()).toBeVisible();
	await expect(playground.lastAnswer()).toContainText('You said: "Hello playground, how are the streams?"');
	await playground.waitForIdle();
	await expect(playground.eventsOfType('finish')).toHaveCount(1);
	await expect(playground.eventsOfType('[DONE]')).toHaveCount(1);
	await expect(playground.statuses()).toHaveText(['200 OK']);
	await expect(playground.sessionId).not.toHaveText('new');

	// Every event is timed from the start of the request, and opens to its JSON.
	const total = await playground.events.count();
	await expect(playground.eventCount).toHaveText(`${total} events`);
	const firstDelta = playground.eventsOfType('text-delta').first();
	await expect(firstDelta).toContainText(/\d+ms/);
	await firstDelta.getByRole('button').click();
	await expect(firstDelta.getByLabel('Payload')).toContainText('"type": "text-delta"');

	// Filter by event type (chips), then by text as well.
	const deltas = await playground.eventsOfType('text-delta').count();
	await playground.typeChip('text-delta').click();
	await expect(playground.events).toHaveCount(deltas);
	await expect(playground.eventCount).toHaveText(`${deltas} of ${total} events`);
	await playground.filter.fill('streams');
	await expect(playground.events).toHaveCount(1);
	await expect(playground.events.first()).toHaveAttribute('data-type', 'text-delta');
	await expect(playground.events.first()).toContainText('streams?');
	await page.getByRole('button', { name: 'All', exact: true }).click();
	await playground.filter.fill('');
	await expect(playground.events).toHaveCount(total);

	// A follow-up continues the same task; New session starts over.
	const task = await playground.sessionId.innerText();
	await playground.send('And a second message');
	await expect(playground.lastAnswer()).toContainText('You said: "And a second message"');
	await playground.waitForIdle();
	await expect(playground.sessionId).toHaveText(task);
	await expect(playground.statuses()).toHaveText(['200 OK', '200 OK']);
	await page.getByRole('button', { name: 'New session' }).click();
	await expect(playground.sessionId).toHaveText('new');
	await expect(playground.events).toHaveCount(0);
});

test('the agent API, /v1 and /v1/responses stream their own events and render the answer', async ({ page }) => {
	await new AuthPage(page).signUp(uniqueEmail('playground-faces'), password);
	const playground = new PlaygroundPage(page);
	await playground.goto();

	await playground.pickProtocol('agent-api');
	await expect(page.getByTestId('endpoint')).toHaveText('POST /api/agent/stream/');
	await playground.send('Hello agent API');
	await expect(playground.eventsOfType('text_delta').first()).toBeVisible();
	await expect(playground.lastAnswer()).toContainText('You said: "Hello agent API"');
	await playground.waitForIdle();
	await expect(playground.eventsOfType('done')).toHaveCount(1);
	await expect(playground.eventsOfType('openai_event').first()).toContainText('response.created');
	const session = await playground.sessionId.innerText();
	await playground.send('Same session please');
	await expect(playground.lastAnswer()).toContainText('You said: "Same session please"');
	await playground.waitForIdle();
	await expect(playground.sessionId).toHaveText(session);

	await playground.pickProtocol('openai');
	await expect(page.getByText('No events yet.')).toBeVisible();
	await playground.send('Hello OpenAI face');
	await expect(playground.eventsOfType('chat.completion.chunk').first()).toBeVisible();
	await expect(playground.lastAnswer()).toContainText('You said: "Hello OpenAI face"');
	await playground.waitForIdle();
	await expect(playground.eventsOfType('[DONE]')).toHaveCount(1);
	await expect(playground.eventsOfType('chat.completion.chunk').last()).toContainText('usage');

	// The Responses face: its events by type, and the next message continues the same task.
	await playground.pickProtocol('openai-responses');
	await expect(page.getByTestId('endpoint')).toHaveText('POST /v1/responses');
	await playground.send('Hello Responses');
	await expect(playground.eventsOfType('response.output_text.delta').first()).toBeVisible();
	await expect(playground.lastAnswer()).toContainText('You said: "Hello Responses"');
	await playground.waitForIdle();
	await expect(playground.eventsOfType('response.completed')).toHaveCount(1);
	await expect(playground.eventsOfType('[DONE]')).toHaveCount(1);
	const task = await playground.sessionId.innerText();
	await playground.send('Still there?');
	await expect(playground.lastAnswer()).toContainText('You said: "Still there?"');
	await playground.waitForIdle();
	await expect(playground.sessionId).toHaveText(task);
	await expect(playground.eventsOfType('response.completed')).toHaveCount(2);

	// Each protocol keeps its own session: back on the agent API, its events are still there.
	await playground.pickProtocol('agent-api');
	await expect(playground.sessionId).toHaveText(session);
	await expect(playground.answers).toHaveCount(2);
});

test('AG-UI streams its events with their ids, continues its thread, and Stop cancels the run keeping the partial answer', async ({
	page
}) => {
	await new AuthPage(page).signUp(uniqueEmail('playground-ag-ui'), password);
	const playground = new PlaygroundPage(page);
	await playground.goto({ protocol: 'ag-ui' });
	await expect(page.getByTestId('endpoint')).toHaveText('POST /ag-ui/{agent}');
	await playground.send('Hello AG-UI');
	await expect(playground.eventsOfType('TEXT_MESSAGE_CONTENT').first()).toBeVisible();
	await expect(playground.lastAnswer()).toContainText('You said: "Hello AG-UI"');
	await playground.waitForIdle();
	await expect(playground.eventsOfType('RUN_STARTED')).toHaveCount(1);
	await expect(playground.eventsOfType('RUN_STARTED')).toContainText('#0');
	await expect(playground.eventsOfType('REASONING_MESSAGE_CONTENT').first()).toBeVisible();
	await expect(playground.eventsOfType('RUN_FINISHED')).toHaveCount(1);
	const thread = await playground.sessionId.innerText();
	await playground.send('Same thread please');
	await expect(playground.lastAnswer()).toContainText('You said: "Same thread please"');
	await playground.waitForIdle();
	await expect(playground.sessionId).toHaveText(thread);
	await expect(playground.eventsOfType('RUN_FINISHED')).toHaveCount(2);

	// The run belongs to the server: Stop cancels it there, and the partial answer is kept.
	await playground.send('Until I interrupt you, please write a long answer about the sea');
	await expect(playground.lastAnswer()).toContainText('Here is a long answer');
	await page.getByRole('button', { name: 'Stop', exact: true }).click();
	await playground.waitForIdle();
	await expect(playground.lastAnswer()).toContainText('Stopped');
	await page.goto(`/chat/${thread}`);
	await expect(page.getByTestId('interrupted')).toBeVisible();
});

test('A2A streams JSON-RPC responses, continues its task, and Stop cancels the task keeping the partial answer', async ({ page }) => {
	await new AuthPage(page).signUp(uniqueEmail('playground-a2a'), password);
	const playground = new PlaygroundPage(page);
	await playground.goto({ protocol: 'a2a' });
	await expect(page.getByTestId('endpoint')).toHaveText('POST /a2a/{agent}');
	await playground.send('Hello A2A');
	await expect(playground.eventsOfType('artifactUpdate').first()).toBeVisible();
	await expect(playground.lastAnswer()).toContainText('You said: "Hello A2A"');
	await playground.waitForIdle();
	await expect(playground.eventsOfType('task')).toHaveCount(1);
	await expect(playground.eventsOfType('statusUpdate').last()).toContainText('completed');
	const task = await playground.sessionId.innerText();
	await playground.send('Same task please');
	await expect(playground.lastAnswer()).toContainText('You said: "Same task please"');
	await playground.waitForIdle();
	await expect(playground.sessionId).toHaveText(task);

	await playground.send('Until I interrupt you, please write a long answer about the sea');
	await expect(playground.lastAnswer()).toContainText('Here is a long answer');
	await page.getByRole('button', { name: 'Stop', exact: true }).click();
	await playground.waitForIdle();
	await expect(playground.lastAnswer()).toContainText('Stopped');
	await page.goto(`/chat/${task}`);
	await expect(page.getByTestId('interrupted')).toBeVisible();
});

test('assistant transport in both formats: data-stream lines and SSE events, rendered the same', async ({ page }) => {
	await new AuthPage(page).signUp(uniqueEmail('playground-assistant'), password);
	const playground = new PlaygroundPage(page);
	await playground.goto({ protocol: 'assistant-data-stream' });
	await expect(page.getByTestId('endpoint')).toHaveText('POST /assistant');
	await playground.send('Hello data stream');
	await expect(playground.eventsOfType('0').first()).toBeVisible();
	await expect(playground.lastAnswer()).toContainText('You said: "Hello data stream"');
	await playground.waitForIdle();
	await expect(playground.eventsOfType('aui-state').first()).toBeVisible();
	await expect(playground.eventsOfType('d')).toHaveCount(1);
	// The thread goes on in the same task.
	const session = await playground.sessionId.innerText();
	await playground.send('And again');
	await expect(playground.lastAnswer()).toContainText('You said: "And again"');
	await playground.waitForIdle();
	await expect(playground.sessionId).toHaveText(session);

	await playground.pickProtocol('assistant-transport');
	await expect(page.getByTestId('endpoint')).toHaveText('POST /assistant?protocol=assistant-transport');
	await playground.send('Hello SSE');
	await expect(playground.eventsOfType('text-delta').first()).toBeVisible();
	await expect(playground.lastAnswer()).toContainText('You said: "Hello SSE"');
	await playground.waitForIdle();
	await expect(playground.eventsOfType('message-finish')).toHaveCount(1);
	await expect(playground.eventsOfType('[DONE]')).toHaveCount(1);
	await expect(playground.statuses()).toHaveText(['200 OK']);
});

// Each protocol continues through its own endpoint (the assistant transport names the agent in the query).
const continuations: Record<string, RegExp> = {
	'ui-stream': /POST \/api\/chat /,
	'agent-api': /POST \/api\/agent\/tool-output\/ /,
	openai: /POST \/v1\/chat\/completions /,
	'openai-responses': /POST \/v1\/responses /,
	'assistant-data-stream': /POST \/assistant\?agent=[\w-]+ /,
	'assistant-transport': /POST \/assistant\?agent=[\w-]+&protocol=assistant-transport /,
	'ag-ui': /POST \/ag-ui\/[\w-]+ /,
	a2a: /POST \/a2a\/[\w-]+ /
};

// One test a protocol, so that they spread over the workers.
test.describe('a pending client tool call is answered on the page and the run continues', () => {
	test.describe.configure({ mode: 'parallel' });
	for (const [protocol, path] of Object.entries(continuations)) {
		test(`over ${protocol}`, async ({ page, baseURL }) => {
			// The e2e server's first account, the admin, defines the client tool and the agent.
			await loginAsAdmin(page);
			const slug = `weather-${protocol}-${Date.now().toString(36)}`;
			await createClientToolAgent(page.request, baseURL!, slug);

			const playground = new PlaygroundPage(page);
			await playground.goto({ agent: slug });
			await playground.pickProtocol(protocol);
			await playground.send('lookup weather city=Paris');
			const card = page.getByTestId('tool-call');
			await expect(card).toHaveAttribute('data-state', 'waiting');
			await expect(card).toContainText('lookup_weather');
			await expect(card.getByLabel('Input')).toContainText('"city": "Paris"');
			if (protocol === 'agent-api') {
				const folder = resolve(import.meta.dirname, '../../test-results/screenshots');
				mkdirSync(folder, { recursive: true });
				await page.screenshot({ path: resolve(folder, 'playground.png') });
			}
			await playground.answerTool('lookup_weather', '{"temperature":21}');

			await expect(page.getByTestId('sent-output')).toContainText('{"temperature":21}');
			await expect(playground.lastAnswer()).toContainText('The lookup_weather tool returned: {"temperature":21}');
			await playground.waitForIdle();
			await expect(card).toHaveAttribute('data-state', 'output-available');
			await expect(playground.statuses()).toHaveText(['200 OK', '200 OK']);
			await expect(page.getByTestId('exchange').last()).toContainText(path);
		});
	}
});

test('errors, Stop, and Copy as curl', async ({ page, context, baseURL }) => {
	await context.grantPermissions(['clipboard-read', 'clipboard-write']);
	await new AuthPage(page).signUp(uniqueEmail('playground-errors'), password);
	const playground = new PlaygroundPage(page);
	await playground.goto({ protocol: 'agent-api' });

	// A message over the length limit: the JSON error is shown with its status.
	await playground.send('x'.repeat(100_001));
	const problem = page.getByTestId('http-error');
	await expect(problem).toContainText('HTTP 400');
	await expect(problem).toContainText('"field": "message"');
	await expect(playground.statuses()).toHaveText(['400 Bad Request']);

	await page.getByRole('button', { name: 'Copy as curl' }).click();
	await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
	const command = await page.evaluate(() => navigator.clipboard.readText());
	expect(command).toContain(`curl -N -X POST '${baseURL}/api/agent/stream/'`);
	expect(command).toContain(`-H 'content-type: application/json'`);
	expect(command).toContain('-H "Authorization: Bearer $PARLEY_KEY"');
	expect(command).toContain(`--data-raw '{"agent_id":"assistant","message":"xxx`);
	expect(command).not.toContain('parley_session');

	// Stop on the UI stream ends the run on the server too, keeping the partial answer.
	await playground.pickProtocol('ui-stream');
	await playground.send('Until I interrupt you, please write a long answer about the sea');
	await expect(playground.lastAnswer()).toContainText('Here is a long answer');
	await page.getByRole('button', { name: 'Stop', exact: true }).click();
	await playground.waitForIdle();
	await expect(playground.lastAnswer()).toContainText('Stopped');
	const stoppedTask = await playground.sessionId.innerText();
	await page.goto(`/chat/${stoppedTask}`);
	await expect(page.getByTestId('interrupted')).toBeVisible();

	// Team-agent API: multipart, copied as -F fields.
	await playground.goto({ protocol: 'team-tasks' });
	await playground.send('Hello teams');
	await expect(playground.lastAnswer()).toContainText('You said: "Hello teams"');
	await playground.waitForIdle();
	await expect(playground.eventsOfType('finished')).toHaveCount(1);
	await page.getByRole('button', { name: 'Copy as curl' }).click();
	await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
	const multipart = await page.evaluate(() => navigator.clipboard.readText());
	expect(multipart).toContain(`-H 'accept: text/event-stream'`);
	expect(multipart).toContain(`-F 'id_team_agent=assistant'`);
	expect(multipart).toContain(`-F 'text=Hello teams'`);
});
