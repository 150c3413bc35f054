import { expect, type APIRequestContext, type Locator, type Page } from '@playwright/test';

/** The playground: agent and protocol pickers, the raw event log and the rendered answer. */
export class PlaygroundPage {
	readonly input: Locator;
	readonly events: Locator;
	readonly answers: Locator;
	readonly eventCount: Locator;
	readonly filter: Locator;
	readonly sessionId: Locator;

	constructor(private readonly page: Page) {
		this.input = page.getByRole('textbox', { name: 'Message' });
		this.events = page.getByTestId('raw-event');
		this.answers = page.getByTestId('answer');
		this.eventCount = page.getByTestId('event-count');
		this.filter = page.getByRole('searchbox', { name: 'Filter events' });
		this.sessionId = page.getByTestId('session-id');
	}

	/** Opens the playground, optionally with an agent and a protocol chosen in the address. */
	async goto(options: { agent?: string; protocol?: string } = {}) {
		const query = new URLSearchParams(Object.entries(options).filter((entry): entry is [string, string] => entry[1] !== undefined));
		await this.page.goto(`/playground${query.size > 0 ? `?${query}` : ''}`);
		await expect(this.page.getByRole('heading', { name: 'Rendered answer' })).toBeVisible();
	}

	async pickAgent(slug: string) {
		await this.page.getByTestId('agent-picker').selectOption(slug);
	}

	async pickProtocol(id: string) {
		await this.page.getByTestId('protocol-picker').selectOption(id);
	}

	/** Types a message and sends it with Enter. */
	async send(text: string) {
		await this.input.fill(text);
		await this.input.press('Enter');
	}

	/** The raw events of one type. */
	eventsOfType(type: string) {
		return this.page.locator(`[data-testid="raw-event"][data-type="${type}"]`);
	}

	/** The filter chip of an event type. */
	typeChip(type: string) {
		return this.page.locator(`[data-testid="type-chip"][data-type="${type}"]`);
	}

	/** The last rendered answer. */
	lastAnswer() {
		return this.answers.last();
	}

	/** The status line of each request sent in this session. */
	statuses() {
		return this.page.getByTestId('exchange-status');
	}

	/** Waits until nothing streams: the Send button is back. */
	async waitForIdle() {
		await expect(this.page.getByRole('button', { name: 'Stop', exact: true })).toHaveCount(0);
		await expect(this.page.getByRole('button', { name: 'Send', exact: true })).toBeVisible();
	}

	/** Answers a pending client tool call with an output typed as JSON or text. */
	async answerTool(toolName: string, output: string) {
		await this.page.getByLabel(`Output of ${toolName}`).fill(output);
		await this.page.getByRole('button', { name: 'Send output' }).click();
	}
}

/** A request context call that changes data: the session cookie authenticates it, so it must carry the site's Origin. */
function originHeaders(baseURL: string) {
	return { origin: baseURL };
}

/** Creates (or finds) a client tool and an agent that uses it, through the admin CRUD API. */
export async function createClientToolAgent(request: APIRequestContext, baseURL: string, slug: string) {
	const toolResponse = await request.post(`${baseURL}/api/tools/`, {
		headers: originHeaders(baseURL),
		data: {
			name: 'lookup_weather',
			kind: 'client',
			description: 'Looks up the weather in a city; the caller runs it.',
			input_schema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }
		}
	});
	let toolId: number;
	if (toolResponse.status() === 201) {
		toolId = ((await toolResponse.json()) as { id: number }).id;
	} else {
		// Another spec made it first on the shared server.
		expect(toolResponse.status()).toBe(409);
		const tools = (await (await request.get(`${baseURL}/api/tools/`)).json()) as { id: number; name: string }[];
		toolId = tools.find((tool) => tool.name === 'lookup_weather')?.id ?? -1;
	}
	const agentResponse = await request.post(`${baseURL}/api/agents/`, {
		headers: originHeaders(baseURL),
		data: { slug, name: 'Weather', model: 'mock:offline', tools: [toolId] }
	});
	expect(agentResponse.status(), await agentResponse.text()).toBe(201);
	const agent = (await agentResponse.json()) as { id: number; slug: string; tools: number[] };
	expect(agent.tools).toEqual([toolId]);
	return agent;
}
