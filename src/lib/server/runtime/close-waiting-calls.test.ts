import type { LanguageModelV3, LanguageModelV3CallOptions } from '@ai-sdk/provider';
import type { UIMessage } from 'ai';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { createAccount } from '../auth/accounts';
import { parseConfig } from '../config';
import { agents, agentTools, tools, type Message, type Task } from '../db/schema';
import { OfflineModel } from '../models/offline/offline-model';
import { getUsableAgent, type AgentWithTools } from '../services/agents';
import { appendMessages, listMessages } from '../services/messages';
import { createTask, findTask } from '../services/tasks';
import type { Viewer } from '../services/viewer';
import { RunRegistry } from './run-registry';
import { startTurn } from './start-turn';
import type { TurnRequest } from './turn-request';
import { closeWaitingCalls, NOT_ANSWERED, prepareHistory } from './turn-request';

const config = parseConfig({ MOCK_TOKEN_DELAY_MS: '0' });

const waitingParts: UIMessage['parts'] = [
	{ type: 'text', text: 'Let me ask.', state: 'done' },
	{ type: 'tool-ask_user', toolCallId: 'call_1', state: 'input-available', input: { question: 'Which one?' } },
	{ type: 'tool-calculator', toolCallId: 'call_2', state: 'approval-requested', input: { expression: '1+1' }, approval: { id: 'ap_1' } },
	{ type: 'tool-current_time', toolCallId: 'call_3', state: 'output-available', input: {}, output: '12:00' }
] as UIMessage['parts'];

describe('closeWaitingCalls', () => {
	it('fails a waiting client call and denies a waiting approval, leaving the rest', () => {
		expect(closeWaitingCalls(waitingParts)).toStrictEqual([
			waitingParts[0],
			{ type: 'tool-ask_user', toolCallId: 'call_1', state: 'output-error', input: { question: 'Which one?' }, errorText: NOT_ANSWERED },
			{
				type: 'tool-calculator',
				toolCallId: 'call_2',
				state: 'output-denied',
				input: { expression: '1+1' },
				approval: { id: 'ap_1', approved: false, reason: NOT_ANSWERED }
			},
			waitingParts[3]
		]);
		// The stored parts are left as they were.
		expect(waitingParts[1]).toMatchObject({ state: 'input-available' });
	});

	it('is undefined when no call waits', () => {
		expect(closeWaitingCalls([waitingParts[0], waitingParts[3]])).toBeUndefined();
	});
});

describe('prepareHistory', () => {
	const message = (id: string, role: Message['role'], parts: UIMessage['parts']) => ({ id, role, parts }) as Message;
	const question = message('q1', 'user', [{ type: 'text', text: 'Ask me' }]);
	const answer = message('a1', 'assistant', waitingParts);
	const next: TurnRequest = { type: 'message', parts: [{ type: 'text', text: 'Never mind' }] };

	it('closes the waiting calls of the last answer when a new question comes', () => {
		const prepared = prepareHistory([question, answer], next);
		expect(prepared.closed?.message.id).toBe('a1');
		expect(prepared.closed?.parts).toStrictEqual(closeWaitingCalls(waitingParts));
	});

	it('closes nothing for an edited question, which starts a branch before the answer', () => {
		expect(prepareHistory([question, answer], { ...next, replaceFrom: 'q1' })).toStrictEqual({ branchAt: 0 });
	});

	it('closes the waiting calls of the answer before the last stored question when the history is answered', () => {
		const later = message('q2', 'user', [{ type: 'text', text: 'Never mind' }]);
		expect(prepareHistory([question, answer, later], { type: 'respond' }).closed?.message.id).toBe('a1');
		expect(prepareHistory([question, answer], { type: 'respond' }).closed).toBeUndefined();
	});
});

describe('startTurn: a new question after calls that wait', () => {
	let temp: TempDb;
	let viewer: Viewer;

	beforeEach(async () => {
		temp = await createTempDb({ seed: true });
		const user = await createAccount(temp.db, { email: 'waiting@example.com', password: 'correct horse battery' });
		viewer = { kind: 'user', id: user.id, role: user.role };
	});

	afterEach(() => temp.cleanup());

	/** An agent with a client tool `ask_user` and the calculator, which needs approval. */
	async function askerTask(): Promise<{ agent: AgentWithTools; task: Task }> {
		const [ask] = await temp.db
			.insert(tools)
			.values({
				name: 'ask_user',
				kind: 'client',
				description: 'Asks the user a question.',
				inputSchema: { type: 'object', properties: { question: { type: 'string' } }, required: ['question'] }
			})
			.returning();
		await temp.db.update(tools).set({ requiresApproval: true }).where(eq(tools.name, 'calculator'));
		const [calculator] = await temp.db.select().from(tools).where(eq(tools.name, 'calculator'));
		const [row] = await temp.db.insert(agents).values({ slug: 'asker', name: 'Asker', model: 'mock:offline' }).returning();
		await temp.db.insert(agentTools).values([
			{ agentId: row.id, toolId: ask.id, position: 0 },
			{ agentId: row.id, toolId: calculator.id, position: 1 }
		]);
		const agent = await getUsableAgent(temp.db, viewer, 'asker');
		return { agent, task: await createTask(temp.db, { viewer, agentId: agent.id }) };
	}

	async function turn(agent: AgentWithTools, task: Task, text: string, model?: LanguageModelV3) {
		const run = await startTurn({
			db: temp.db,
			config,
			task: (await findTask(temp.db, task.id))!,
			agent,
			request: { type: 'message', parts: [{ type: 'text', text }] },
			registry: new RunRegistry(),
			model
		});
		for await (const event of run.subscribe()) void event;
		await run.finished;
	}

	it('closes them before the question is stored, and the model sees them closed', async () => {
		const { agent, task } = await askerTask();
		await turn(agent, task, 'ask_user question="Which one?" and calculator expression="1+1"');
		const [, waiting] = await listMessages(temp.db, task.id);
		expect(waiting.parts.filter((part) => part.type.startsWith('tool-')).map((part) => (part as { state: string }).state)).toStrictEqual([
			'input-available',
			'approval-requested'
		]);

		const calls: LanguageModelV3CallOptions[] = [];
		const inner = new OfflineModel({ tokenDelayMs: 0 });
		const recording: LanguageModelV3 = {
			specificationVersion: 'v3',
			provider: 'offline',
			modelId: 'mock',
			supportedUrls: {},
			doGenerate: (options) => inner.doGenerate(options),
			doStream: (options) => {
				calls.push(options);
				return inner.doStream(options);
			}
		};
		await turn(agent, task, 'Never mind, hello', recording);

		const messages = await listMessages(temp.db, task.id);
		expect(messages.map((message) => message.role)).toStrictEqual(['user', 'assistant', 'user', 'assistant']);
		const closed = messages[1].parts.filter((part) => part.type.startsWith('tool-'));
		expect(closed).toMatchObject([
			{ type: 'tool-ask_user', state: 'output-error', errorText: NOT_ANSWERED },
			{ type: 'tool-calculator', state: 'output-denied', approval: { approved: false, reason: NOT_ANSWERED } }
		]);
		expect(messages[3].status).toBe('complete');
		// The model gets a result for each call it made: the history is consistent.
		const results = calls[0].prompt.flatMap((message) => (message.role === 'tool' ? message.content : []));
		expect(results).toMatchObject([
			{ type: 'tool-result', toolCallId: 'call_1', output: { type: 'error-text', value: NOT_ANSWERED } },
			// The AI SDK sends a denied call as an error result.
			{ type: 'tool-result', toolCallId: 'call_2', output: { type: 'error-text' } }
		]);
	});

	it('closes them when the stored history is answered after a question a caller appended', async () => {
		const { agent, task } = await askerTask();
		await turn(agent, task, 'ask_user question="Which one?"');
		await appendMessages(temp.db, task.id, [{ role: 'user', parts: [{ type: 'text', text: 'Something else' }] }]);
		const run = await startTurn({
			db: temp.db,
			config,
			task: (await findTask(temp.db, task.id))!,
			agent,
			request: { type: 'respond' },
			registry: new RunRegistry()
		});
		await run.finished;
		const [, answer] = await listMessages(temp.db, task.id);
		expect(answer.parts.at(-1)).toMatchObject({ type: 'tool-ask_user', state: 'output-error', errorText: NOT_ANSWERED });
	});
});
