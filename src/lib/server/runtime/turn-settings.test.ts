import type { LanguageModelV3, LanguageModelV3CallOptions } from '@ai-sdk/provider';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { createAccount } from '../auth/accounts';
import { parseConfig } from '../config';
import { agents, type Task } from '../db/schema';
import { AppError } from '../errors';
import { OfflineModel } from '../models/offline/offline-model';
import { getUsableAgent, type AgentWithTools } from '../services/agents';
import { createTask } from '../services/tasks';
import { listMessages } from '../services/messages';
import type { Viewer } from '../services/viewer';
import { checkTurnSettings } from './check-turn';
import { modelSettingsOf } from './drive-run';
import type { RunEvent } from './events';
import { RunRegistry } from './run-registry';
import { startTurn } from './start-turn';
import type { TurnSettings } from './turn-settings';

const config = parseConfig({ MOCK_TOKEN_DELAY_MS: '0' });

let temp: TempDb;
let viewer: Viewer;

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
	const user = await createAccount(temp.db, { email: 'settings@example.com', password: 'correct horse battery' });
	viewer = { kind: 'user', id: user.id, role: user.role };
});

afterEach(() => temp.cleanup());

/** The offline model, each of its calls recorded. */
function recordingModel(calls: LanguageModelV3CallOptions[]): LanguageModelV3 {
	const inner = new OfflineModel({ tokenDelayMs: 0 });
	return {
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
}

async function agentAndTask(slug: string): Promise<{ agent: AgentWithTools; task: Task }> {
	const agent = await getUsableAgent(temp.db, viewer, slug);
	return { agent, task: await createTask(temp.db, { viewer, agentId: agent.id }) };
}

/** Runs one turn with `settings` to its end: the model's calls, the run's events and the stored answer's parts. */
async function runTurn(slug: string, text: string, settings: TurnSettings) {
	const { agent, task } = await agentAndTask(slug);
	const calls: LanguageModelV3CallOptions[] = [];
	const run = await startTurn({
		db: temp.db,
		config,
		task,
		agent,
		request: { type: 'message', parts: [{ type: 'text', text }] },
		registry: new RunRegistry(),
		model: recordingModel(calls),
		settings
	});
	const events: RunEvent[] = [];
	for await (const event of run.subscribe()) events.push(event);
	await run.finished;
	const [, answer] = await listMessages(temp.db, task.id);
	const text_ = events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join('');
	return { calls, events, answer, text: text_ };
}

describe('modelSettingsOf', () => {
	const plain = { dropTemperature: false };

	it("keeps the agent's settings when the caller sets nothing", () => {
		expect(modelSettingsOf({}, 0.4, plain)).toStrictEqual({ temperature: 0.4, maxOutputTokens: undefined });
	});

	it("takes the caller's temperature, unless the reasoning settings leave it unset", () => {
		expect(modelSettingsOf({ temperature: 1.2 }, 0.4, plain).temperature).toBe(1.2);
		expect(modelSettingsOf({ temperature: 1.2 }, 0.4, { dropTemperature: true }).temperature).toBeUndefined();
	});

	it('takes the lower of the two output limits', () => {
		expect(modelSettingsOf({ maxOutputTokens: 50 }, null, plain).maxOutputTokens).toBe(50);
		expect(modelSettingsOf({ maxOutputTokens: 50 }, null, { dropTemperature: false, maxOutputTokens: 20 }).maxOutputTokens).toBe(20);
		expect(modelSettingsOf({ maxOutputTokens: 10 }, null, { dropTemperature: false, maxOutputTokens: 20 }).maxOutputTokens).toBe(10);
	});

	it('holds `none` for every step, and a forced choice for the first step only', async () => {
		expect(modelSettingsOf({ toolChoice: 'none' }, null, plain).toolChoice).toBe('none');
		expect(modelSettingsOf({ toolChoice: 'auto' }, null, plain)).not.toHaveProperty('prepareStep');
		const forced = modelSettingsOf({ toolChoice: { type: 'tool', toolName: 'calculator' } }, null, plain);
		expect(forced.toolChoice).toBeUndefined();
		const step = (stepNumber: number) =>
			forced.prepareStep?.({ stepNumber, steps: [], model: 'x', messages: [], experimental_context: undefined });
		expect(await step(0)).toStrictEqual({ toolChoice: { type: 'tool', toolName: 'calculator' } });
		expect(await step(1)).toStrictEqual({});
	});
});

describe('checkTurnSettings', () => {
	const tools = { calculator: { inputSchema: {} } } as never;

	it('accepts a named tool of the turn', () => {
		expect(() => checkTurnSettings({ toolChoice: { type: 'tool', toolName: 'calculator' } }, tools)).not.toThrow();
	});

	it('refuses a named tool the turn does not have, naming tool_choice', () => {
		const refuse = () => checkTurnSettings({ toolChoice: { type: 'tool', toolName: 'weather' } }, tools);
		expect(refuse).toThrow(AppError);
		expect(refuse).toThrow(/"weather"/);
		try {
			refuse();
		} catch (error) {
			expect(error).toMatchObject({ code: 'invalid_input', field: 'tool_choice' });
		}
	});

	it('refuses `required` when the turn has no tools', () => {
		expect(() => checkTurnSettings({ toolChoice: 'required' }, {})).toThrow(AppError);
		expect(() => checkTurnSettings({ toolChoice: 'required' }, tools)).not.toThrow();
	});
});

describe('startTurn with settings', () => {
	it('refuses a named tool the agent does not have before storing anything', async () => {
		const { agent, task } = await agentAndTask('tool-demo');
		await expect(
			startTurn({
				db: temp.db,
				config,
				task,
				agent,
				request: { type: 'message', parts: [{ type: 'text', text: 'Hello' }] },
				registry: new RunRegistry(),
				settings: { toolChoice: { type: 'tool', toolName: 'weather' } }
			})
		).rejects.toMatchObject({ code: 'invalid_input', field: 'tool_choice' });
		expect(await listMessages(temp.db, task.id)).toStrictEqual([]);
	});

	it('sends the output limit, the temperature and the instructions to the model', async () => {
		await temp.db.update(agents).set({ temperature: 0.4, systemPrompt: 'You are kind.' }).where(eq(agents.slug, 'assistant'));
		const { calls } = await runTurn('assistant', 'Hello', { maxOutputTokens: 64, temperature: 1.5, instructions: 'Answer in French.' });
		expect(calls[0]).toMatchObject({ maxOutputTokens: 64, temperature: 1.5 });
		expect(calls[0].prompt[0]).toStrictEqual({ role: 'system', content: 'You are kind.\n\nAnswer in French.' });
	});

	it("keeps the agent's temperature when the caller sets none", async () => {
		await temp.db.update(agents).set({ temperature: 0.4 }).where(eq(agents.slug, 'assistant'));
		const { calls } = await runTurn('assistant', 'Hello', {});
		expect(calls[0].temperature).toBe(0.4);
		expect(calls[0].toolChoice).toBeUndefined();
		expect(calls[0].responseFormat).toBeUndefined();
	});

	it('forces a named tool on the first step only, so that the model answers with its result', async () => {
		const { calls, events } = await runTurn('tool-demo', 'calculator expression="6*7"', {
			toolChoice: { type: 'tool', toolName: 'calculator' }
		});
		expect(calls.map((call) => call.toolChoice)).toStrictEqual([{ type: 'tool', toolName: 'calculator' }, { type: 'auto' }]);
		expect(events.find((event) => event.type === 'tool-call-ready')).toMatchObject({ toolName: 'calculator' });
		expect(events.at(-1)).toMatchObject({ type: 'run-end', reason: 'completed' });
	});

	it('calls a tool on the first step with `required`, then answers', async () => {
		const { calls, events } = await runTurn('tool-demo', 'Hello there', { toolChoice: 'required' });
		expect(calls.map((call) => call.toolChoice)).toStrictEqual([{ type: 'required' }, { type: 'auto' }]);
		expect(events.filter((event) => event.type === 'tool-call-ready')).toHaveLength(1);
		expect(events.filter((event) => event.type === 'step-start')).toHaveLength(2);
		expect(events.at(-1)).toMatchObject({ type: 'run-end', reason: 'completed' });
	});

	it('ends at the limit when the output limit cuts the answer', async () => {
		const { events, answer } = await runTurn('assistant', 'Hello there', { maxOutputTokens: 8 });
		expect(events.at(-1)).toMatchObject({ type: 'run-end', reason: 'limit' });
		expect(answer.status).toBe('complete');
	});

	it('lets no tool be called with `none`', async () => {
		const { calls, events } = await runTurn('tool-demo', 'What can you do?', { toolChoice: 'none' });
		expect(calls.map((call) => call.toolChoice)).toStrictEqual([{ type: 'none' }]);
		expect(events.some((event) => event.type === 'tool-call-ready')).toBe(false);
	});

	it('asks the model for JSON matching the schema, and streams it as text', async () => {
		const schema = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
		const { calls, text, answer } = await runTurn('assistant', 'Name a city in France', { output: { type: 'json', schema, name: 'city' } });
		expect(calls[0].responseFormat).toStrictEqual({ type: 'json', schema, name: 'city' });
		expect(answer.status).toBe('complete');
		expect(JSON.parse(text)).toStrictEqual({ city: 'Name a city in France' });
	});

	it('asks for any JSON without a schema', async () => {
		const { calls } = await runTurn('assistant', 'Hello', { output: { type: 'json' } });
		expect(calls[0].responseFormat).toStrictEqual({ type: 'json' });
	});
});
