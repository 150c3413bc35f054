import { DefaultChatTransport, readUIMessageStream, type UIMessage } from 'ai';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { agents, agentTools, tools } from '../../src/lib/server/db/schema';
import { startServer, type TestServer } from '../support/server';
import { signUp, type SessionClient } from '../support/session';

let server: TestServer;
let alice: SessionClient;
let db: Db;

beforeAll(async () => {
	server = await startServer({ MOCK_TOKEN_DELAY_MS: '0' });
	alice = await signUp(server.baseURL, 'alice@example.com');
	db = await openDatabase({ url: server.databaseUrl });
	// A client tool (the caller runs it) on its own agent, and current_time made to need approval.
	const [lookup] = await db
		.insert(tools)
		.values({
			name: 'lookup_weather',
			description: 'Looks up the weather in a city; the caller runs it.',
			kind: 'client',
			inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] }
		})
		.returning();
	const [weather] = await db.insert(agents).values({ slug: 'weather', name: 'Weather', model: 'mock:offline' }).returning();
	await db.insert(agentTools).values({ agentId: weather.id, toolId: lookup.id });
	await db.update(tools).set({ requiresApproval: true }).where(eq(tools.name, 'current_time'));
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

const transport = () =>
	new DefaultChatTransport({
		api: `${server.baseURL}/api/chat`,
		fetch: (input, init) => alice.fetch(String(input), init)
	});

/** Sends messages with the AI SDK's client transport and returns the last streamed message. */
async function send(
	taskId: string,
	messages: UIMessage[],
	options: {
		trigger?: 'submit-message' | 'regenerate-message';
		messageId?: string;
		body?: object;
		/** The answer a continuation adds to, as the Chat client keeps it. */
		continues?: UIMessage;
	} = {}
) {
	const stream = await transport().sendMessages({
		chatId: taskId,
		messages,
		trigger: options.trigger ?? 'submit-message',
		messageId: options.messageId,
		abortSignal: undefined,
		body: options.body
	});
	let last: UIMessage | undefined;
	for await (const message of readUIMessageStream({ message: options.continues, stream, terminateOnError: true })) {
		last = message;
	}
	if (!last) throw new Error('Nothing was streamed');
	return last;
}

function question(text: string, id = `q_${crypto.randomUUID().slice(0, 8)}`): UIMessage {
	return { id, role: 'user', parts: [{ type: 'text', text }] };
}

const newTaskId = () => `task_${crypto.randomUUID().slice(0, 8)}`;

type ToolPart = { type: string; toolCallId: string; state: string; output?: unknown; approval?: { id: string } };
const toolPartOf = (message: UIMessage, name: string) => message.parts.find((part) => part.type === `tool-${name}`) as ToolPart | undefined;
const textOf = (message: { parts: UIMessage['parts'] }) =>
	message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('\n');

async function storedMessages(taskId: string) {
	const response = await alice.fetch(`/api/trpc/tasks.get?input=${encodeURIComponent(JSON.stringify({ id: taskId }))}`);
	const body = await response.json();
	return body.result.data.messages as (UIMessage & { status: string })[];
}

describe('client tools', () => {
	it('pause with the call pending, and the caller’s output continues the same answer', async () => {
		const taskId = newTaskId();
		const ask = question('Please lookup weather city=Paris');
		const paused = await send(taskId, [ask], { body: { agentId: 'weather' } });
		const call = toolPartOf(paused, 'lookup_weather');
		expect(call).toMatchObject({ state: 'input-available', input: { city: 'Paris' } });

		const answered: UIMessage = {
			...paused,
			parts: paused.parts.map((part) =>
				part === (call as unknown) ? { ...part, state: 'output-available', output: { temperature: 21 } } : part
			) as UIMessage['parts']
		};
		const continued = await send(taskId, [ask, answered], { messageId: paused.id, continues: answered });
		expect(continued.id).toBe(paused.id);
		expect(textOf(continued)).toContain('The lookup_weather tool returned: {"temperature":21}');

		const stored = await storedMessages(taskId);
		expect(stored.map((message) => [message.role, message.status])).toEqual([
			['user', 'complete'],
			['assistant', 'complete']
		]);
		expect(stored[1].id).toBe(paused.id);
		expect(toolPartOf(stored[1], 'lookup_weather')).toMatchObject({
			state: 'output-available',
			output: { temperature: 21 }
		});
		expect(textOf(stored[1])).toContain('{"temperature":21}');
	});

	it('refuses a continuation that answers nothing pending', async () => {
		const taskId = newTaskId();
		const ask = question('Please lookup weather city=Oslo');
		const paused = await send(taskId, [ask], { body: { agentId: 'weather' } });
		const response = await alice.fetch('/api/chat', {
			method: 'POST',
			body: JSON.stringify({ id: taskId, messages: [ask, paused], trigger: 'submit-message', messageId: paused.id })
		});
		expect(response.status).toBe(400);
		expect((await response.json()).error.code).toBe('invalid_input');
		expect((await storedMessages(taskId)).length).toBe(2);
	});
});

describe('tools that need approval', () => {
	async function pausedForApproval(taskId: string) {
		const ask = question('What is the current time timezone=UTC');
		const paused = await send(taskId, [ask], { body: { agentId: 'tool-demo' } });
		const call = toolPartOf(paused, 'current_time');
		expect(call?.state).toBe('approval-requested');
		return { ask, paused, call: call as ToolPart & { approval: { id: string } } };
	}

	function answer(paused: UIMessage, call: ToolPart & { approval: { id: string } }, approved: boolean): UIMessage {
		return {
			...paused,
			parts: paused.parts.map((part) =>
				part === (call as unknown) ? { ...part, state: 'approval-responded', approval: { id: call.approval.id, approved } } : part
			) as UIMessage['parts']
		};
	}

	it('run after approval', async () => {
		const taskId = newTaskId();
		const { ask, paused, call } = await pausedForApproval(taskId);
		const approved = answer(paused, call, true);
		const continued = await send(taskId, [ask, approved], { messageId: paused.id, continues: approved });
		expect(toolPartOf(continued, 'current_time')?.state).toBe('output-available');
		expect(textOf(continued)).toContain('The current_time tool returned');
		const stored = await storedMessages(taskId);
		expect(toolPartOf(stored[1], 'current_time')).toMatchObject({ state: 'output-available' });
	});

	it('do not run when denied, and the model is told so', async () => {
		const taskId = newTaskId();
		const { ask, paused, call } = await pausedForApproval(taskId);
		const denied = answer(paused, call, false);
		const continued = await send(taskId, [ask, denied], { messageId: paused.id, continues: denied });
		expect(toolPartOf(continued, 'current_time')?.state).toBe('output-denied');
		expect(textOf(continued)).toContain('The current_time tool was not run');
		const stored = await storedMessages(taskId);
		expect(toolPartOf(stored[1], 'current_time')?.state).toBe('output-denied');
	});
});

describe('regenerate and edit', () => {
	it('regenerate replaces the last answer', async () => {
		const taskId = newTaskId();
		const ask = question('Hello once');
		const first = await send(taskId, [ask]);
		const again = await send(taskId, [ask], { trigger: 'regenerate-message', messageId: first.id });
		expect(again.id).not.toBe(first.id);
		const stored = await storedMessages(taskId);
		expect(stored.map((message) => message.id)).toEqual([stored[0].id, again.id]);
		expect(textOf(stored[1])).toContain('You said: "Hello once"');
	});

	it('an edited last question is a new version of it, answered; an edit naming the old version edits the same place', async () => {
		const taskId = newTaskId();
		const ask = question('What is libSQL?');
		await send(taskId, [ask]);
		const followUp = question('And Turso?');
		await send(taskId, [ask, followUp]);
		expect((await storedMessages(taskId)).length).toBe(4);

		const edited: UIMessage = { ...followUp, parts: [{ type: 'text', text: 'And Drizzle?' }] };
		await send(taskId, [ask, edited], { messageId: followUp.id });
		const stored = await storedMessages(taskId);
		expect(stored.map((message) => message.role)).toEqual(['user', 'assistant', 'user', 'assistant']);
		// The old version keeps its id, so the new one has its own.
		expect(stored[2].id).not.toBe(followUp.id);
		expect(textOf(stored[2])).toBe('And Drizzle?');
		expect(textOf(stored[3])).toContain('You said: "And Drizzle?"');

		// A client still holding the first version's id edits the question at its place again.
		const again: UIMessage = { ...followUp, parts: [{ type: 'text', text: 'And Kysely?' }] };
		await send(taskId, [ask, again], { messageId: followUp.id });
		const after = await storedMessages(taskId);
		expect(after.map(textOf).filter((text, index) => index % 2 === 0)).toEqual(['What is libSQL?', 'And Kysely?']);
		expect(after).toHaveLength(4);
	});
});

describe('task context', () => {
	it('is checked against the agent’s context schema: 422 naming the field, else accepted', async () => {
		await db
			.update(agents)
			.set({
				contextSchema: { type: 'object', properties: { plan: { enum: ['free', 'pro'] } }, required: ['plan'] }
			})
			.where(eq(agents.slug, 'weather'));
		const response = await alice.fetch('/api/chat', {
			method: 'POST',
			body: JSON.stringify({
				id: newTaskId(),
				agentId: 'weather',
				context: { plan: 'gold' },
				messages: [question('Hi')]
			})
		});
		expect(response.status).toBe(422);
		expect(await response.json()).toMatchObject({ error: { code: 'unprocessable', field: 'context.plan' } });

		const accepted = await send(newTaskId(), [question('Hi')], { body: { agentId: 'weather', context: { plan: 'pro' } } });
		expect(textOf(accepted)).toContain('You said: "Hi"');
	});
});
