import type { LanguageModelV3, LanguageModelV3CallOptions, LanguageModelV3StreamPart } from '@ai-sdk/provider';
import { APICallError, readUIMessageStream, type LanguageModel, type UIMessage, type UIMessageChunk } from 'ai';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { createAccount } from '../auth/accounts';
import { parseConfig, type Config } from '../config';
import { agents, agentTools, tools, type Message, type Task } from '../db/schema';
import { AppError } from '../errors';
import { toUIMessageChunk } from '../protocols/ui-message/to-ui-message-chunk';
import { getUsableAgent, type AgentWithTools } from '../services/agents';
import { listMessages } from '../services/messages';
import { createTask, findTask } from '../services/tasks';
import type { Viewer } from '../services/viewer';
import type { RunEvent } from './events';
import type { ActiveRun } from './run-registry';
import { RunRegistry } from './run-registry';
import { startTurn } from './start-turn';

const fast = parseConfig({ MOCK_TOKEN_DELAY_MS: '0' });
/** The offline model streams its first delta at once and then waits this long before each next one. */
const blocked = parseConfig({ MOCK_TOKEN_DELAY_MS: '10000' });

/** The offline model's echo of a message; `quoted` is the message as it quotes it. */
const ECHO = (quoted: string) =>
	`You said: ${quoted} I am Parley's offline demo model, so I answer without calling an external AI service.`;

let temp: TempDb;
let viewer: Viewer;
let registry: RunRegistry;

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
	const user = await createAccount(temp.db, { email: 'runner@example.com', password: 'correct horse battery' });
	viewer = { kind: 'user', id: user.id, role: user.role };
	registry = new RunRegistry();
});

afterEach(() => {
	vi.restoreAllMocks();
	temp.cleanup();
});

/** An agent the test user may use, and a fresh task of it. */
async function agentAndTask(slug: string): Promise<{ agent: AgentWithTools; task: Task }> {
	const agent = await getUsableAgent(temp.db, viewer, slug);
	const task = await createTask(temp.db, { viewer, agentId: agent.id });
	return { agent, task };
}

/**
 * Starts a turn with one text message, on this test's registry. Without `model` the agent's own
 * model is resolved (the offline model of the seeded agents); with it, that model is called instead.
 */
function start(agent: AgentWithTools, task: Task, text: string, config: Config = fast, model?: LanguageModel): Promise<ActiveRun> {
	return startTurn({
		db: temp.db,
		config,
		task,
		agent,
		request: { type: 'message', parts: [{ type: 'text', text }] },
		registry,
		model
	});
}

/** Every event of a run, read through a subscription until the run ends. */
async function collect(run: ActiveRun): Promise<RunEvent[]> {
	const events: RunEvent[] = [];
	for await (const event of run.subscribe()) events.push(event);
	return events;
}

/** Waits for the first event that matches, then leaves the subscription. */
async function waitForEvent(run: ActiveRun, matches: (event: RunEvent) => boolean): Promise<RunEvent> {
	const reader = run.subscribe().getReader();
	try {
		for (;;) {
			const { value, done } = await reader.read();
			if (done) throw new Error('The run ended before the expected event');
			if (matches(value)) return value;
		}
	} finally {
		await reader.cancel();
	}
}

/** The concatenated deltas of one kind. */
function deltas(events: RunEvent[], type: 'text-delta' | 'reasoning-delta'): string {
	return events.flatMap((event) => (event.type === type ? [event.delta] : [])).join('');
}

/** Event types with runs of the same type collapsed. */
function shape(events: RunEvent[]): string[] {
	return events.map((event) => event.type).filter((type, index, all) => type !== all[index - 1]);
}

/** The stored text of an assistant message. */
function textOf(message: Message): string {
	return message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
}

/** The message the AI SDK's client would build from the run's events, parts without undefined values. */
async function clientView(events: RunEvent[]): Promise<unknown[]> {
	const chunks = events.flatMap((event) => toUIMessageChunk(event) ?? []);
	const stream = new ReadableStream<UIMessageChunk>({
		start(controller) {
			for (const chunk of chunks) controller.enqueue(chunk);
			controller.close();
		}
	});
	let last: UIMessage | undefined;
	for await (const message of readUIMessageStream({ stream })) last = message;
	return (last?.parts ?? []).map((part) =>
		Object.fromEntries(
			Object.entries(part).filter(
				([key, value]) => value !== undefined && key !== 'providerMetadata' && !(part.type === 'reasoning' && key === 'id')
			)
		)
	);
}

const usage = {
	inputTokens: { total: 4, noCache: 4, cacheRead: 0, cacheWrite: 0 },
	outputTokens: { total: 2, text: 2, reasoning: 0 }
};

/** A scripted model: each call runs `onCall`, then streams `parts`. */
function scriptedModel(
	parts: LanguageModelV3StreamPart[],
	onCall: (options: LanguageModelV3CallOptions) => Promise<void> | void = () => {}
): LanguageModelV3 {
	return {
		specificationVersion: 'v3',
		provider: 'scripted',
		modelId: 'scripted',
		supportedUrls: {},
		async doGenerate() {
			throw new Error('Only streaming is scripted');
		},
		async doStream(options) {
			await onCall(options);
			return {
				stream: new ReadableStream<LanguageModelV3StreamPart>({
					start(controller) {
						for (const part of parts) controller.enqueue(part);
						controller.close();
					}
				})
			};
		}
	};
}

describe('startTurn: a plain turn', () => {
	it('streams an answer from run-start to run-end and stores both messages', async () => {
		const { agent, task } = await agentAndTask('assistant');
		const run = await start(agent, task, 'Hello there, how are you?');
		expect(registry.get(task.id)).toBe(run);
		const events = await collect(run);
		await run.finished;
		const answer = ECHO('"Hello there, how are you?"');

		expect(events[0]).toStrictEqual({
			type: 'run-start',
			taskId: task.id,
			messageId: run.messageId,
			model: 'mock:offline'
		});
		expect(events.at(-1)).toStrictEqual({
			type: 'run-end',
			reason: 'completed',
			usage: { inputTokens: 15, outputTokens: 35, reasoningTokens: 13, cachedInputTokens: 0 }
		});
		expect(shape(events)).toStrictEqual([
			'run-start',
			'step-start',
			'reasoning-start',
			'reasoning-delta',
			'reasoning-end',
			'text-start',
			'text-delta',
			'text-end',
			'step-end',
			'run-end'
		]);
		expect(events.filter((event) => event.type === 'step-end')).toStrictEqual([
			{ type: 'step-end', usage: { inputTokens: 15, outputTokens: 35, reasoningTokens: 13, cachedInputTokens: 0 } }
		]);
		expect(deltas(events, 'text-delta')).toBe(answer);
		expect(deltas(events, 'reasoning-delta')).toBe('The user asked about "Hello there, how are you?". I will answer directly.');
		// One delta per word; the offline model counts one output token per word.
		expect(events.filter((event) => event.type.endsWith('-delta'))).toHaveLength(35);

		const stored = await listMessages(temp.db, task.id);
		expect(stored).toHaveLength(2);
		expect(stored[0]).toMatchObject({
			position: 0,
			role: 'user',
			kind: 'user',
			status: 'complete',
			parts: [{ type: 'text', text: 'Hello there, how are you?' }],
			model: null
		});
		expect(stored[1]).toMatchObject({
			id: run.messageId,
			position: 1,
			role: 'assistant',
			kind: 'agent',
			status: 'complete',
			error: null,
			model: 'mock:offline',
			inputTokens: 15,
			outputTokens: 35
		});
		expect(stored[1].parts).toStrictEqual([
			{ type: 'step-start' },
			{
				type: 'reasoning',
				text: 'The user asked about "Hello there, how are you?". I will answer directly.',
				state: 'done'
			},
			{ type: 'text', text: answer, state: 'done' }
		]);
		expect(textOf(stored[1])).toBe(deltas(events, 'text-delta'));
		expect(await clientView(events)).toStrictEqual(stored[1].parts);

		expect((await findTask(temp.db, task.id))?.title).toBe('Hello there, how are you?');
		expect(registry.get(task.id)).toBeUndefined();
		expect(run.isEnded).toBe(true);
	});

	it('titles a task with the first words of a long first message, and keeps that title', async () => {
		const { agent, task } = await agentAndTask('assistant');
		const first = 'Please write me a short note about the weather in Paris tomorrow morning and evening';
		const run = await start(agent, task, first);
		await run.finished;
		expect((await findTask(temp.db, task.id))?.title).toBe('Please write me a short note about the weather in Paris…');

		const second = await start(agent, task, 'And in London?');
		await second.finished;
		expect((await findTask(temp.db, task.id))?.title).toBe('Please write me a short note about the weather in Paris…');

		const stored = await listMessages(temp.db, task.id);
		expect(stored.map((message) => [message.position, message.role, message.status])).toStrictEqual([
			[0, 'user', 'complete'],
			[1, 'assistant', 'complete'],
			[2, 'user', 'complete'],
			[3, 'assistant', 'complete']
		]);
		expect(textOf(stored[3])).toBe(ECHO('"And in London?"'));
	});
});

describe('startTurn: storing and stopping', () => {
	it('stores the user message and a streaming assistant message before the answer, and keeps the partial answer when stopped', async () => {
		const { agent, task } = await agentAndTask('assistant');
		const run = await start(agent, task, 'Tell me something', blocked);

		const during = await listMessages(temp.db, task.id);
		expect(during).toHaveLength(2);
		expect(during[0]).toMatchObject({
			position: 0,
			role: 'user',
			status: 'complete',
			parts: [{ type: 'text', text: 'Tell me something' }]
		});
		expect(during[1]).toMatchObject({
			id: run.messageId,
			position: 1,
			role: 'assistant',
			status: 'streaming',
			model: 'mock:offline',
			parts: []
		});
		expect(registry.get(task.id)).toBe(run);

		// The first delta comes at once; the next one waits 10 s.
		await waitForEvent(run, (event) => event.type === 'reasoning-delta');
		run.stop();
		await run.finished;

		expect(run.abortController.signal.reason).toBe('stopped');
		expect(run.events.at(-1)).toStrictEqual({
			type: 'run-end',
			reason: 'interrupted',
			usage: { inputTokens: undefined, outputTokens: undefined }
		});
		const [, answer] = await listMessages(temp.db, task.id);
		expect(answer).toMatchObject({
			status: 'interrupted',
			error: null,
			inputTokens: null,
			outputTokens: null
		});
		expect(answer.parts).toStrictEqual([{ type: 'step-start' }, { type: 'reasoning', text: 'The ', state: 'done' }]);
		expect(registry.get(task.id)).toBeUndefined();
	});

	it('hands the model a history in which the user message is already stored', async () => {
		const seen: { stored: [string, string][]; prompt: LanguageModelV3CallOptions['prompt'] }[] = [];
		const { agent, task } = await agentAndTask('assistant');
		const model = scriptedModel(
			[
				{ type: 'stream-start', warnings: [] },
				{ type: 'text-start', id: 't' },
				{ type: 'text-delta', id: 't', delta: 'ok' },
				{ type: 'text-end', id: 't' },
				{ type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage }
			],
			async (options) => {
				const stored = await listMessages(temp.db, task.id);
				seen.push({ stored: stored.map((message) => [message.role, message.status]), prompt: options.prompt });
			}
		);
		const run = await start(agent, task, 'Is it stored?', fast, model);
		await run.finished;

		expect(seen).toHaveLength(1);
		expect(seen[0].stored).toStrictEqual([
			['user', 'complete'],
			['assistant', 'streaming']
		]);
		expect(seen[0].prompt).toEqual([
			{ role: 'system', content: 'You are Parley, a helpful assistant. Answer clearly and concisely.' },
			{ role: 'user', content: [{ type: 'text', text: 'Is it stored?' }] }
		]);
		const [, answer] = await listMessages(temp.db, task.id);
		expect(answer).toMatchObject({ status: 'complete', inputTokens: 4, outputTokens: 2 });
		expect(answer.parts).toStrictEqual([{ type: 'step-start' }, { type: 'text', text: 'ok', state: 'done' }]);
	});

	it('stops after the first text delta and keeps the partial text', async () => {
		const { agent, task } = await agentAndTask('assistant');
		const run = await start(agent, task, 'Please stop me early', parseConfig({ MOCK_TOKEN_DELAY_MS: '20' }));
		const events: RunEvent[] = [];
		for await (const event of run.subscribe()) {
			events.push(event);
			if (event.type === 'text-delta' && deltas(events, 'text-delta') === event.delta) run.stop();
		}
		await run.finished;
		const full = ECHO('"Please stop me early".');

		expect(events.at(-1)).toStrictEqual({
			type: 'run-end',
			reason: 'interrupted',
			usage: { inputTokens: undefined, outputTokens: undefined }
		});
		expect(events.some((event) => event.type === 'text-end' || event.type === 'step-end')).toBe(false);
		const [, answer] = await listMessages(temp.db, task.id);
		expect(answer.status).toBe('interrupted');
		const partial = textOf(answer);
		expect(partial).toBe(deltas(events, 'text-delta'));
		expect(partial.startsWith('You ')).toBe(true);
		expect(partial.length).toBeLessThan(full.length);
		expect(full.startsWith(partial)).toBe(true);
		expect(answer.parts).toStrictEqual([
			{ type: 'step-start' },
			{ type: 'reasoning', text: 'The user asked about "Please stop me early". I will answer directly.', state: 'done' },
			{ type: 'text', text: partial, state: 'done' }
		]);
	});

	it('stores what has streamed while the answer goes on, without waiting for the step to end', async () => {
		const { agent, task } = await agentAndTask('assistant');
		const config = parseConfig({ MOCK_TOKEN_DELAY_MS: '10000', STREAM_SAVE_INTERVAL_MS: '100' });
		const run = await start(agent, task, 'Tell me something', config);

		// The first delta comes at once; the next one waits 10 s, the step's end longer still.
		await waitForEvent(run, (event) => event.type === 'reasoning-delta');
		await vi.waitFor(
			async () => {
				const [, answer] = await listMessages(temp.db, task.id);
				expect(answer.parts).toStrictEqual([{ type: 'step-start' }, { type: 'reasoning', text: 'The ', state: 'streaming' }]);
			},
			{ timeout: 5000, interval: 20 }
		);
		const [, during] = await listMessages(temp.db, task.id);
		expect(during.status).toBe('streaming');
		expect(run.events.some((event) => event.type === 'step-end')).toBe(false);

		run.stop();
		await run.finished;
		const [, answer] = await listMessages(temp.db, task.id);
		expect(answer.status).toBe('interrupted');
		expect(answer.parts).toStrictEqual([{ type: 'step-start' }, { type: 'reasoning', text: 'The ', state: 'done' }]);
	});

	it('ends as interrupted when stopped before the model streams anything', async () => {
		const { agent, task } = await agentAndTask('assistant');
		const run = await start(agent, task, 'never mind', blocked);
		run.stop();
		await run.finished;
		expect(run.events).toStrictEqual([
			{ type: 'run-start', taskId: task.id, messageId: run.messageId, model: 'mock:offline' },
			{ type: 'run-end', reason: 'interrupted', usage: { inputTokens: undefined, outputTokens: undefined } }
		]);
		const [, answer] = await listMessages(temp.db, task.id);
		expect(answer).toMatchObject({ status: 'interrupted', error: null, parts: [] });
	});

	it("stops a run by itself when it exceeds the agent's time limit", async () => {
		const [row] = await temp.db
			.insert(agents)
			.values({ slug: 'hasty', name: 'Hasty', model: 'mock:offline', maxRunSeconds: 0 })
			.returning();
		const { agent, task } = await agentAndTask(row.slug);
		const run = await start(agent, task, 'Take your time', blocked);
		await run.finished;
		expect(run.abortController.signal.reason).toBe('timeout');
		expect(run.events.at(-1)).toStrictEqual({
			type: 'run-end',
			reason: 'interrupted',
			usage: { inputTokens: undefined, outputTokens: undefined }
		});
		const [, answer] = await listMessages(temp.db, task.id);
		expect(answer.status).toBe('interrupted');
		// Unlike a person's stop, the time limit leaves a note on the answer.
		expect(answer).toMatchObject({
			status: 'interrupted',
			error: "Stopped after 0 s, this agent's time limit for one answer.",
			inputTokens: null,
			outputTokens: null
		});
		expect(registry.get(task.id)).toBeUndefined();
	});

	it("stops a run exactly at the agent's time limit and notes that limit on the answer", async () => {
		await temp.db.update(agents).set({ maxRunSeconds: 3 }).where(eq(agents.slug, 'assistant'));
		const { agent, task } = await agentAndTask('assistant');
		// A model that streams one delta, then waits until the run is aborted.
		const model = scriptedModel([]);
		model.doStream = async (options) => ({
			stream: new ReadableStream<LanguageModelV3StreamPart>({
				start(controller) {
					controller.enqueue({ type: 'stream-start', warnings: [] });
					controller.enqueue({ type: 'text-start', id: 't' });
					controller.enqueue({ type: 'text-delta', id: 't', delta: 'Thinking ' });
					options.abortSignal?.addEventListener('abort', () => controller.error(options.abortSignal?.reason));
				}
			})
		});
		// Only the run's own timer is faked; the database and the AI SDK run as usual.
		vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
		try {
			const run = await start(agent, task, 'Take your time', fast, model);
			await waitForEvent(run, (event) => event.type === 'text-delta');
			vi.advanceTimersByTime(2999);
			expect(run.abortController.signal.aborted).toBe(false);
			vi.advanceTimersByTime(1);
			expect(run.abortController.signal.reason).toBe('timeout');
			await run.finished;

			expect(run.events.at(-1)).toStrictEqual({
				type: 'run-end',
				reason: 'interrupted',
				usage: { inputTokens: undefined, outputTokens: undefined }
			});
			const [, answer] = await listMessages(temp.db, task.id);
			expect(answer).toMatchObject({
				status: 'interrupted',
				error: "Stopped after 3 s, this agent's time limit for one answer."
			});
			expect(answer.parts).toStrictEqual([{ type: 'step-start' }, { type: 'text', text: 'Thinking ', state: 'done' }]);
			expect(registry.get(task.id)).toBeUndefined();
		} finally {
			vi.useRealTimers();
		}
	});
});

describe('startTurn: tools', () => {
	it('runs a server tool over two steps and quotes its result', async () => {
		const { agent, task } = await agentAndTask('tool-demo');
		const run = await start(agent, task, 'calculator expression="6*7"');
		const events = await collect(run);
		await run.finished;

		const toolEvents = events.filter((event) => event.type.startsWith('tool-'));
		expect(toolEvents).toStrictEqual([
			{ type: 'tool-call-start', toolCallId: 'call_1', toolName: 'calculator' },
			{ type: 'tool-call-delta', toolCallId: 'call_1', inputTextDelta: '{"expression":"6*7"}' },
			{
				type: 'tool-call-ready',
				toolCallId: 'call_1',
				toolName: 'calculator',
				input: { expression: '6*7' },
				clientExecuted: false
			},
			{ type: 'tool-output', toolCallId: 'call_1', output: { expression: '6*7', result: 42 } }
		]);
		expect(events.filter((event) => event.type === 'step-start')).toHaveLength(2);
		expect(events.filter((event) => event.type === 'step-end')).toStrictEqual([
			{ type: 'step-end', usage: { inputTokens: 21, outputTokens: 19, reasoningTokens: 12, cachedInputTokens: 0 } },
			{ type: 'step-end', usage: { inputTokens: 41, outputTokens: 20, reasoningTokens: 15, cachedInputTokens: 0 } }
		]);
		expect(events.at(-1)).toStrictEqual({
			type: 'run-end',
			reason: 'completed',
			usage: { inputTokens: 62, outputTokens: 39, reasoningTokens: 27, cachedInputTokens: 0 }
		});

		const [, answer] = await listMessages(temp.db, task.id);
		expect(answer).toMatchObject({ status: 'complete', inputTokens: 62, outputTokens: 39 });
		expect(answer.parts).toStrictEqual([
			{ type: 'step-start' },
			{
				type: 'reasoning',
				text: 'The user asked about "calculator expression="6*7"". I will call the calculator tool.',
				state: 'done'
			},
			{ type: 'text', text: 'Let me use the calculator tool.', state: 'done' },
			{
				type: 'tool-calculator',
				toolCallId: 'call_1',
				state: 'output-available',
				input: { expression: '6*7' },
				output: { expression: '6*7', result: 42 }
			},
			{ type: 'step-start' },
			{
				type: 'reasoning',
				text: 'I received the result of the calculator tool. I will report it to the user.',
				state: 'done'
			},
			{ type: 'text', text: 'The calculator tool returned: {"expression":"6*7","result":42}.', state: 'done' }
		]);
		expect(textOf(answer)).toBe(deltas(events, 'text-delta'));
		// What is stored is what the AI SDK client builds from the same stream.
		expect(await clientView(events)).toStrictEqual(answer.parts);
	});

	it('reports a failing tool and still completes the run', async () => {
		const { agent, task } = await agentAndTask('tool-demo');
		const run = await start(agent, task, 'calculator expression="1/0"');
		const events = await collect(run);
		await run.finished;

		expect(events.filter((event) => event.type === 'tool-error' || event.type === 'tool-output')).toStrictEqual([
			{ type: 'tool-error', toolCallId: 'call_1', errorText: 'Division by zero' }
		]);
		expect(events.at(-1)).toMatchObject({ type: 'run-end', reason: 'completed' });

		const [, answer] = await listMessages(temp.db, task.id);
		expect(answer.status).toBe('complete');
		expect(answer.error).toBeNull();
		expect(answer.parts.filter((part) => part.type === 'tool-calculator')).toStrictEqual([
			{
				type: 'tool-calculator',
				toolCallId: 'call_1',
				state: 'output-error',
				input: { expression: '1/0' },
				errorText: 'Division by zero'
			}
		]);
		expect(answer.parts.at(-1)).toStrictEqual({
			type: 'text',
			text: 'The calculator tool failed: Division by zero.',
			state: 'done'
		});
		expect(textOf(answer)).toBe('Let me use the calculator tool.The calculator tool failed: Division by zero.');
		expect(await clientView(events)).toStrictEqual(answer.parts);
	});

	it('stores a call of an unknown tool as the client sees it, its input apart as rawInput', async () => {
		const { agent, task } = await agentAndTask('tool-demo');
		const prompts: LanguageModelV3CallOptions['prompt'][] = [];
		const steps: LanguageModelV3StreamPart[][] = [
			[
				{ type: 'stream-start', warnings: [] },
				{ type: 'tool-input-start', id: 'call_x', toolName: 'nosuch' },
				{ type: 'tool-input-delta', id: 'call_x', delta: '{"expr":1}' },
				{ type: 'tool-input-end', id: 'call_x' },
				{ type: 'tool-call', toolCallId: 'call_x', toolName: 'nosuch', input: '{"expr":1}' },
				{ type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_calls' }, usage }
			],
			[
				{ type: 'stream-start', warnings: [] },
				{ type: 'text-start', id: 't' },
				{ type: 'text-delta', id: 't', delta: 'No such tool.' },
				{ type: 'text-end', id: 't' },
				{ type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage }
			]
		];
		const model = scriptedModel([]);
		model.doStream = async (options) => {
			prompts.push(options.prompt);
			const parts = steps[prompts.length - 1] ?? steps[1];
			return {
				stream: new ReadableStream<LanguageModelV3StreamPart>({
					start(controller) {
						for (const part of parts) controller.enqueue(part);
						controller.close();
					}
				})
			};
		};
		const run = await start(agent, task, 'Use a tool you do not have', fast, model);
		const events = await collect(run);
		await run.finished;

		const errorText = "Model tried to call unavailable tool 'nosuch'. Available tools: calculator, current_time.";
		expect(events.filter((event) => event.type.startsWith('tool-'))).toStrictEqual([
			{ type: 'tool-call-start', toolCallId: 'call_x', toolName: 'nosuch' },
			{ type: 'tool-call-delta', toolCallId: 'call_x', inputTextDelta: '{"expr":1}' },
			{ type: 'tool-call-invalid', toolCallId: 'call_x', toolName: 'nosuch', input: { expr: 1 }, errorText },
			{ type: 'tool-error', toolCallId: 'call_x', errorText }
		]);
		expect(events.at(-1)).toMatchObject({ type: 'run-end', reason: 'completed' });
		const [, answer] = await listMessages(temp.db, task.id);
		expect(answer.status).toBe('complete');
		expect(answer.parts).toStrictEqual([
			{ type: 'step-start' },
			{ type: 'tool-nosuch', toolCallId: 'call_x', state: 'output-error', rawInput: { expr: 1 }, errorText },
			{ type: 'step-start' },
			{ type: 'text', text: 'No such tool.', state: 'done' }
		]);
		expect(await clientView(events)).toStrictEqual(answer.parts);

		// The stored call goes back to the model, with its error, on the next turn.
		const next = await start(agent, task, 'Never mind', fast, model);
		await next.finished;
		expect(next.events.at(-1)).toMatchObject({ type: 'run-end', reason: 'completed' });
		expect(prompts).toHaveLength(3);
		expect(prompts[2].slice(2, 4)).toEqual([
			{ role: 'assistant', content: [{ type: 'tool-call', toolCallId: 'call_x', toolName: 'nosuch', input: { expr: 1 } }] },
			{
				role: 'tool',
				content: [{ type: 'tool-result', toolCallId: 'call_x', toolName: 'nosuch', output: { type: 'error-text', value: errorText } }]
			}
		]);
	});

	it('ends awaiting input when a client tool is called', async () => {
		const [tool] = await temp.db
			.insert(tools)
			.values({
				name: 'ask_user',
				kind: 'client',
				description: 'Asks the user a question.',
				inputSchema: { type: 'object', properties: { question: { type: 'string' } }, required: ['question'] }
			})
			.returning();
		const [row] = await temp.db.insert(agents).values({ slug: 'asker', name: 'Asker', model: 'mock:offline' }).returning();
		await temp.db.insert(agentTools).values({ agentId: row.id, toolId: tool.id, position: 0 });
		const { agent, task } = await agentAndTask('asker');
		const run = await start(agent, task, 'ask_user question="Which one?"');
		const events = await collect(run);
		await run.finished;

		expect(events.find((event) => event.type === 'tool-call-ready')).toStrictEqual({
			type: 'tool-call-ready',
			toolCallId: 'call_1',
			toolName: 'ask_user',
			input: { question: 'Which one?' },
			clientExecuted: true
		});
		expect(events.at(-1)).toMatchObject({ type: 'run-end', reason: 'awaiting-input' });
		expect(events.filter((event) => event.type === 'step-start')).toHaveLength(1);
		const [, answer] = await listMessages(temp.db, task.id);
		expect(answer.status).toBe('complete');
		expect(answer.parts.at(-1)).toStrictEqual({
			type: 'tool-ask_user',
			toolCallId: 'call_1',
			state: 'input-available',
			input: { question: 'Which one?' }
		});
	});

	it('ends awaiting input when a tool needs approval', async () => {
		await temp.db.update(tools).set({ requiresApproval: true }).where(eq(tools.name, 'calculator'));
		const { agent, task } = await agentAndTask('tool-demo');
		const run = await start(agent, task, 'calculator expression="6*7"');
		const events = await collect(run);
		await run.finished;

		const request = events.find((event) => event.type === 'tool-approval-request');
		if (request?.type !== 'tool-approval-request') throw new Error('No approval request');
		expect(request.toolCallId).toBe('call_1');
		expect(events.some((event) => event.type === 'tool-output')).toBe(false);
		expect(events.at(-1)).toMatchObject({ type: 'run-end', reason: 'awaiting-input' });
		const [, answer] = await listMessages(temp.db, task.id);
		expect(answer.parts.at(-1)).toStrictEqual({
			type: 'tool-calculator',
			toolCallId: 'call_1',
			state: 'approval-requested',
			input: { expression: '6*7' },
			approval: { id: request.approvalId }
		});
	});

	it('ends at the limit when the step limit stops a tool run', async () => {
		await temp.db.update(agents).set({ maxSteps: 1 }).where(eq(agents.slug, 'tool-demo'));
		const { agent, task } = await agentAndTask('tool-demo');
		const run = await start(agent, task, 'calculator expression="6*7"');
		const events = await collect(run);
		await run.finished;

		expect(events.filter((event) => event.type === 'step-start')).toHaveLength(1);
		expect(events.at(-1)).toStrictEqual({
			type: 'run-end',
			reason: 'limit',
			usage: { inputTokens: 21, outputTokens: 19, reasoningTokens: 12, cachedInputTokens: 0 }
		});
		const [, answer] = await listMessages(temp.db, task.id);
		expect(answer.status).toBe('complete');
		expect(answer.parts.at(-1)).toMatchObject({ type: 'tool-calculator', state: 'output-available' });
	});
});

describe('startTurn: errors', () => {
	it('refuses an agent whose provider is not configured before storing anything', async () => {
		const [row] = await temp.db.insert(agents).values({ slug: 'hosted', name: 'Hosted', model: 'openai:gpt-4o' }).returning();
		const { agent, task } = await agentAndTask(row.slug);
		const attempt = start(agent, task, 'Hello');
		await expect(attempt).rejects.toBeInstanceOf(AppError);
		await expect(attempt).rejects.toMatchObject({
			code: 'invalid_input',
			field: 'model',
			message: 'The model "openai:gpt-4o" needs the openai provider, which is not configured on this server.'
		});
		expect(await listMessages(temp.db, task.id)).toStrictEqual([]);
		expect(registry.size).toBe(0);
		expect((await findTask(temp.db, task.id))?.title).toBe('');
	});

	it('stores the partial answer and an error when the model fails mid-stream', async () => {
		const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
		const model = scriptedModel([
			{ type: 'stream-start', warnings: [] },
			{ type: 'text-start', id: 't' },
			{ type: 'text-delta', id: 't', delta: 'Partial ' },
			{
				type: 'error',
				error: new APICallError({
					message: 'upstream exploded',
					url: 'https://provider.example/v1',
					requestBodyValues: {},
					statusCode: 500
				})
			}
		]);
		const { agent, task } = await agentAndTask('assistant');
		const run = await start(agent, task, 'Hello', fast, model);
		const events = await collect(run);
		await run.finished;

		expect(events).toStrictEqual([
			{ type: 'run-start', taskId: task.id, messageId: run.messageId, model: 'mock:offline' },
			{ type: 'step-start' },
			{ type: 'text-start', id: 't' },
			{ type: 'text-delta', id: 't', delta: 'Partial ' },
			{ type: 'run-error', message: 'The model provider had an error (HTTP 500). Try again shortly.' }
		]);
		const [, answer] = await listMessages(temp.db, task.id);
		expect(answer).toMatchObject({
			status: 'error',
			error: 'The model provider had an error (HTTP 500). Try again shortly.',
			inputTokens: null,
			outputTokens: null
		});
		expect(answer.parts).toStrictEqual([{ type: 'step-start' }, { type: 'text', text: 'Partial ', state: 'done' }]);
		// Logged once, by the runtime with its task; not again by the AI SDK's own error handler.
		expect(consoleError).toHaveBeenCalledTimes(1);
		expect(consoleError).toHaveBeenCalledWith(`[parley] run on task ${task.id} failed`, expect.any(APICallError));
		// The provider's own text is never stored or sent.
		expect(JSON.stringify(events)).not.toContain('upstream exploded');
		expect(registry.get(task.id)).toBeUndefined();
	});

	it('stores an error when the model call itself is refused', async () => {
		const consoleError = vi.spyOn(console, 'error').mockImplementation(() => {});
		const model = scriptedModel([], () => {
			throw new APICallError({
				message: 'bad key',
				url: 'https://provider.example/v1',
				requestBodyValues: {},
				statusCode: 401
			});
		});
		const { agent, task } = await agentAndTask('assistant');
		const run = await start(agent, task, 'Hello', fast, model);
		await run.finished;
		expect(run.events.at(-1)).toStrictEqual({ type: 'run-error', message: 'The model provider rejected the API key (HTTP 401).' });
		expect(run.events.some((event) => event.type === 'run-end')).toBe(false);
		const [, answer] = await listMessages(temp.db, task.id);
		expect(answer).toMatchObject({ status: 'error', error: 'The model provider rejected the API key (HTTP 401).', parts: [] });
		expect(consoleError).toHaveBeenCalledTimes(1);
		expect(consoleError).toHaveBeenCalledWith(`[parley] run on task ${task.id} failed`, expect.any(APICallError));
	});
});

describe('startTurn: files the model cannot fetch itself', () => {
	/** A local server that counts the requests it gets; local addresses are refused unless allowed. */
	async function localFileServer() {
		let hits = 0;
		const server = createServer((_request, response) => {
			hits++;
			response.writeHead(200, { 'content-type': 'image/png' });
			response.end(Buffer.from([0x89, 0x50, 0x4e, 0x47]));
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/secret.png`;
		return { url, hits: () => hits, close: () => new Promise((resolve) => server.close(resolve)) };
	}

	function startWithFile(agent: AgentWithTools, task: Task, url: string, config: Config, model: LanguageModel) {
		return startTurn({
			db: temp.db,
			config,
			task,
			agent,
			request: {
				type: 'message',
				parts: [
					{ type: 'text', text: 'Look' },
					{ type: 'file', mediaType: 'image/png', url }
				]
			},
			registry,
			model
		});
	}

	it('never fetches a private address for the model: the answer fails and the server is not reached', async () => {
		vi.spyOn(console, 'error').mockImplementation(() => {});
		const files = await localFileServer();
		try {
			const { agent, task } = await agentAndTask('assistant');
			const run = await startWithFile(agent, task, files.url, fast, scriptedModel([{ type: 'stream-start', warnings: [] }]));
			const events = await collect(run);
			await run.finished;
			expect(events.at(-1)?.type).toBe('run-error');
			expect(files.hits()).toBe(0);
			const [, answer] = await listMessages(temp.db, task.id);
			expect(answer.status).toBe('error');
		} finally {
			await files.close();
		}
	});

	it('fetches it when the host is allowed, and the model gets the bytes', async () => {
		const files = await localFileServer();
		try {
			const { agent, task } = await agentAndTask('assistant');
			let sent: unknown;
			const model = scriptedModel(
				[
					{ type: 'stream-start', warnings: [] },
					{ type: 'text-start', id: 't' },
					{ type: 'text-delta', id: 't', delta: 'A picture.' },
					{ type: 'text-end', id: 't' },
					{ type: 'finish', finishReason: { unified: 'stop', raw: 'stop' }, usage }
				],
				(options) => {
					sent = options.prompt.flatMap((message) => (message.role === 'user' ? message.content : []));
				}
			);
			const allowed = parseConfig({ MOCK_TOKEN_DELAY_MS: '0', HTTP_TOOL_ALLOWED_HOSTS: '127.0.0.1' });
			const run = await startWithFile(agent, task, files.url, allowed, model);
			await collect(run);
			await run.finished;
			expect(files.hits()).toBe(1);
			expect(sent).toContainEqual(
				expect.objectContaining({ type: 'file', mediaType: 'image/png', data: new Uint8Array([0x89, 0x50, 0x4e, 0x47]) })
			);
		} finally {
			await files.close();
		}
	});
});

describe('startTurn: concurrency and subscribers', () => {
	it('refuses a second turn on a task that is answering', async () => {
		const { agent, task } = await agentAndTask('assistant');
		const run = await start(agent, task, 'First', blocked);
		const second = start(agent, task, 'Second', fast);
		await expect(second).rejects.toBeInstanceOf(AppError);
		await expect(second).rejects.toMatchObject({ code: 'conflict', field: 'id' });
		const stored = await listMessages(temp.db, task.id);
		expect(stored.map((message) => [message.role, message.status])).toStrictEqual([
			['user', 'complete'],
			['assistant', 'streaming']
		]);
		expect(registry.get(task.id)).toBe(run);

		run.stop();
		await run.finished;
		// Once the first run is over, the task takes a new turn.
		const third = await start(agent, task, 'Third', fast);
		await third.finished;
		expect((await listMessages(temp.db, task.id)).map((message) => message.position)).toStrictEqual([0, 1, 2, 3]);
	});

	it('lets only one of two turns started at once on a task begin, and stores nothing for the other', async () => {
		const { agent, task } = await agentAndTask('assistant');
		const results = await Promise.allSettled([start(agent, task, 'First'), start(agent, task, 'Second')]);

		const fulfilled = results.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
		const rejected = results.flatMap((result) => (result.status === 'rejected' ? [result.reason as unknown] : []));
		expect(fulfilled).toHaveLength(1);
		expect(rejected).toHaveLength(1);
		expect(rejected[0]).toBeInstanceOf(AppError);
		expect(rejected[0]).toMatchObject({ code: 'conflict', field: 'id' });

		const [run] = fulfilled;
		const winner = results[0].status === 'fulfilled' ? 'First' : 'Second';
		await run.finished;
		const stored = await listMessages(temp.db, task.id);
		expect(stored.map((message) => [message.position, message.role, message.status])).toStrictEqual([
			[0, 'user', 'complete'],
			[1, 'assistant', 'complete']
		]);
		expect(stored[0].parts).toStrictEqual([{ type: 'text', text: winner }]);
		expect(stored[1].id).toBe(run.messageId);
		expect(textOf(stored[1])).toBe(ECHO(`"${winner}".`));
		expect((await findTask(temp.db, task.id))?.title).toBe(winner);
		expect(registry.size).toBe(0);
	});

	it('allows turns on different tasks at the same time', async () => {
		const one = await agentAndTask('assistant');
		const two = await agentAndTask('assistant');
		const first = await start(one.agent, one.task, 'One', blocked);
		const second = await start(two.agent, two.task, 'Two', fast);
		expect(registry.size).toBe(2);
		await second.finished;
		first.stop();
		await first.finished;
		expect(registry.size).toBe(0);
	});

	it('goes on when a subscriber leaves', async () => {
		const { agent, task } = await agentAndTask('assistant');
		const run = await start(agent, task, 'Keep going without me', parseConfig({ MOCK_TOKEN_DELAY_MS: '1' }));
		const onCancel = vi.fn();
		const reader = run.subscribe({ onCancel }).getReader();
		expect(await reader.read()).toMatchObject({ done: false, value: { type: 'run-start' } });
		await reader.cancel();
		expect(onCancel).toHaveBeenCalledTimes(1);
		expect(run.isEnded).toBe(false);
		expect(run.abortController.signal.aborted).toBe(false);

		await run.finished;
		expect(run.events.at(-1)).toMatchObject({ type: 'run-end', reason: 'completed' });
		const [, answer] = await listMessages(temp.db, task.id);
		expect(answer.status).toBe('complete');
		expect(textOf(answer)).toBe(ECHO('"Keep going without me".'));
		// A subscriber that comes back gets the whole run.
		expect(await collect(run)).toStrictEqual(run.events);
	});
});

describe('startTurn: provider options and metadata', () => {
	const signature = { anthropic: { signature: 'sig-abc' } };
	const thought = { google: { thoughtSignature: 'thought-xyz' } };

	/** A model whose calls are recorded; the first streams reasoning with a signature and a tool call, the second text. */
	function signingModel(calls: LanguageModelV3CallOptions[]): LanguageModelV3 {
		return {
			specificationVersion: 'v3',
			provider: 'anthropic.messages',
			modelId: 'claude-sonnet-4-5',
			supportedUrls: {},
			async doGenerate() {
				throw new Error('Only streaming is scripted');
			},
			async doStream(options) {
				calls.push(options);
				const parts: LanguageModelV3StreamPart[] =
					calls.length === 1
						? [
								{ type: 'stream-start', warnings: [] },
								{ type: 'reasoning-start', id: 'r' },
								{ type: 'reasoning-delta', id: 'r', delta: 'Thinking it over.' },
								{ type: 'reasoning-delta', id: 'r', delta: '', providerMetadata: signature },
								{ type: 'reasoning-end', id: 'r' },
								{
									type: 'tool-call',
									toolCallId: 'call_1',
									toolName: 'calculator',
									input: '{"expression":"6*7"}',
									providerMetadata: thought
								},
								{ type: 'finish', finishReason: { unified: 'tool-calls', raw: 'tool_use' }, usage }
							]
						: [
								{ type: 'stream-start', warnings: [] },
								{ type: 'text-start', id: 't' },
								{ type: 'text-delta', id: 't', delta: 'It is 42.' },
								{ type: 'text-end', id: 't' },
								{
									type: 'finish',
									finishReason: { unified: 'stop', raw: 'end_turn' },
									usage: {
										inputTokens: { total: 9, noCache: 3, cacheRead: 6, cacheWrite: 0 },
										outputTokens: { total: 5, text: 2, reasoning: 3 }
									}
								}
							];
				return {
					stream: new ReadableStream<LanguageModelV3StreamPart>({
						start(controller) {
							for (const part of parts) controller.enqueue(part);
							controller.close();
						}
					})
				};
			}
		};
	}

	it('sends the agent’s reasoning options, keeps signatures on the stored parts and sends them back', async () => {
		await temp.db
			.update(agents)
			.set({ model: 'anthropic:claude-sonnet-4-5', reasoning: 'medium', temperature: 0.4 })
			.where(eq(agents.slug, 'tool-demo'));
		const { agent, task } = await agentAndTask('tool-demo');
		const calls: LanguageModelV3CallOptions[] = [];
		const run = await start(agent, task, 'What is 6*7?', fast, signingModel(calls));
		const events = await collect(run);
		await run.finished;

		// Extended thinking with a budget, and no temperature, as Anthropic requires.
		expect(calls[0].providerOptions).toStrictEqual({ anthropic: { thinking: { type: 'enabled', budgetTokens: 8192 } } });
		expect(calls[0].temperature).toBeUndefined();
		// A delta that only carries a signature is not streamed to anyone.
		expect(events.filter((event) => event.type === 'reasoning-delta')).toStrictEqual([
			{ type: 'reasoning-delta', id: 'r', delta: 'Thinking it over.' }
		]);
		const [, answer] = await listMessages(temp.db, task.id);
		expect(answer.parts).toContainEqual({ type: 'reasoning', text: 'Thinking it over.', state: 'done', providerMetadata: signature });
		expect(answer.parts).toContainEqual(
			expect.objectContaining({ type: 'tool-calculator', toolCallId: 'call_1', callProviderMetadata: thought })
		);
		expect(answer).toMatchObject({ inputTokens: 13, outputTokens: 7, reasoningTokens: 3, cachedInputTokens: 6 });

		// The second step of the same run already replays them: the reasoning with its signature, the call with its thought signature.
		const assistant = calls[1].prompt.find((message) => message.role === 'assistant');
		expect(assistant?.content).toContainEqual({
			type: 'reasoning',
			text: 'Thinking it over.',
			providerOptions: signature
		});
		expect(assistant?.content).toContainEqual(
			expect.objectContaining({ type: 'tool-call', toolCallId: 'call_1', providerOptions: thought })
		);

		// So does the next turn, built from what was stored.
		const nextCalls: LanguageModelV3CallOptions[] = [];
		const next = await start(agent, (await findTask(temp.db, task.id))!, 'And 7*8?', fast, signingModel(nextCalls));
		await collect(next);
		await next.finished;
		const replayed = nextCalls[0].prompt.find((message) => message.role === 'assistant');
		expect(replayed?.content).toContainEqual({ type: 'reasoning', text: 'Thinking it over.', providerOptions: signature });
		expect(replayed?.content).toContainEqual(
			expect.objectContaining({ type: 'tool-call', toolCallId: 'call_1', providerOptions: thought })
		);
	});

	it('sends no reasoning options when reasoning is off, and the agent’s temperature', async () => {
		await temp.db.update(agents).set({ temperature: 0.4 }).where(eq(agents.slug, 'assistant'));
		const { agent, task } = await agentAndTask('assistant');
		const calls: LanguageModelV3CallOptions[] = [];
		const run = await start(
			agent,
			task,
			'Hello',
			fast,
			scriptedModel([{ type: 'stream-start', warnings: [] }], (options) => void calls.push(options))
		);
		await run.finished;
		expect(agent.reasoning).toBe('off');
		expect(calls[0].providerOptions).toBeUndefined();
		expect(calls[0].temperature).toBe(0.4);
	});
});
