import { asSchema, type ToolExecutionOptions } from 'ai';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { createAccount } from '../auth/accounts';
import { parseConfig } from '../config';
import { agents, files, tasks, type Task } from '../db/schema';
import { AppError } from '../errors';
import type { RunEvent } from '../runtime/events';
import type { ActiveRun } from '../runtime/run-registry';
import { RunRegistry } from '../runtime/run-registry';
import { startTurn } from '../runtime/start-turn';
import { answerToolCalls } from '../turns/answer-tool-calls';
import { getUsableAgent, type AgentWithTools } from '../services/agents';
import { listMessages } from '../services/messages';
import { createTask, findTask } from '../services/tasks';
import type { Viewer } from '../services/viewer';
import { defineAgent, toolsFor, withContext } from './define';
import { codeAgents, collectCodeAgents, contextJsonSchema, idFromPath, syncCodeAgents } from './registry';
import support from '../../../agents/support';
import appointment, { freeSlots } from '../../../agents/appointment';

const config = parseConfig({ MOCK_TOKEN_DELAY_MS: '0' });
const callOptions: ToolExecutionOptions = { toolCallId: 'call_1', messages: [] };

/** The property names of a tool's schema as the model is sent it. */
async function modelFacingProperties(schema: unknown): Promise<string[]> {
	const json = await asSchema(schema as Parameters<typeof asSchema>[0]).jsonSchema;
	return Object.keys((json as { properties?: object }).properties ?? {});
}

describe('withContext', () => {
	const Context = z.object({ userId: z.string(), tier: z.enum(['free', 'pro']) });
	const lookup = withContext({
		description: 'Looks up an account.',
		inputSchema: z.object({ userId: z.string(), tier: z.enum(['free', 'pro']), topic: z.string().describe('What about') }),
		execute: (input) => input
	});

	it('hides the context parameters from the model and injects them by name', async () => {
		const tools = toolsFor({ lookup }, Object.keys(Context.shape), { userId: 'u-42', tier: 'pro' });
		expect(await modelFacingProperties(tools.lookup.inputSchema)).toEqual(['topic']);
		const json = (await asSchema(tools.lookup.inputSchema).jsonSchema) as {
			required?: string[];
			properties: Record<string, { description?: string }>;
		};
		expect(json.required).toEqual(['topic']);
		expect(json.properties.topic.description).toBe('What about');
		expect(await tools.lookup.execute!({ topic: 'billing' }, callOptions)).toEqual({ userId: 'u-42', tier: 'pro', topic: 'billing' });
	});

	it('injects only the keys it is told to, and a value the model tries to give for them is overwritten', async () => {
		const onlyUser = withContext(
			{
				description: 'x',
				inputSchema: z.object({ userId: z.string(), tier: z.string() }),
				execute: (input) => input
			},
			['userId']
		);
		const tools = toolsFor({ onlyUser }, ['userId', 'tier'], { userId: 'u-1', tier: 'pro' });
		expect(await modelFacingProperties(tools.onlyUser.inputSchema)).toEqual(['tier']);
		expect(await tools.onlyUser.execute!({ tier: 'free', userId: 'forged' }, callOptions)).toEqual({ userId: 'u-1', tier: 'free' });
	});

	it('leaves plain AI SDK tools as they are', () => {
		const plain = { description: 'plain', inputSchema: z.object({ a: z.string() }), execute: () => 1 };
		expect(toolsFor({ plain }, ['a'], { a: 'x' }).plain).toBe(plain);
	});

	it('the shipped support agent’s tools never show the user id or tier to the model', async () => {
		const tools = toolsFor(support.tools!, Object.keys(support.Context!.shape), { userId: 'u-7', tier: 'enterprise' });
		for (const name of ['support_plan', 'open_ticket']) {
			const properties = await modelFacingProperties(tools[name].inputSchema);
			expect(properties).not.toContain('userId');
			expect(properties).not.toContain('tier');
		}
		expect(await tools.support_plan.execute!({}, callOptions)).toMatchObject({
			userId: 'u-7',
			tier: 'enterprise',
			channels: ['email', 'chat', 'phone']
		});
	});
});

describe('the registry', () => {
	it('names agents by their path, dotted', () => {
		expect(idFromPath('/src/agents/support.ts')).toBe('support');
		expect(idFromPath('/src/agents/sales/premium.ts')).toBe('sales.premium');
		expect(idFromPath('/src/agents/sales/index.ts')).toBe('sales');
	});

	it('registers the shipped agents', () => {
		expect([...codeAgents().keys()].sort()).toEqual(['appointment', 'support']);
		expect(codeAgents().get('support')!.contextKeys).toEqual(['userId', 'tier']);
	});

	it('refuses a module without an agent, a bad id and a repeated id, naming the file', () => {
		const agent = defineAgent({ name: 'A' });
		expect(() => collectCodeAgents({ '/src/agents/a.ts': {} })).toThrow(/\/src\/agents\/a\.ts: .*defineAgent/);
		expect(() => collectCodeAgents({ '/src/agents/Bad Name.ts': { default: agent } })).toThrow(/Bad Name/);
		expect(() =>
			collectCodeAgents({ '/src/agents/a.ts': { default: agent }, '/src/agents/b.ts': { default: { ...agent, id: 'a' } } })
		).toThrow(/already used/);
		expect(collectCodeAgents({ '/src/agents/sales/premium.ts': { default: agent } }).has('sales.premium')).toBe(true);
	});

	it('stores a context schema callers may leave out when createContext fills it in', () => {
		expect(contextJsonSchema(support)).toMatchObject({ type: 'object', properties: { userId: {}, tier: {} } });
		expect(contextJsonSchema(support)).not.toHaveProperty('required');
		expect(contextJsonSchema(appointment)).toMatchObject({ properties: { timeZone: { type: 'string', default: 'UTC' } } });
	});
});

describe('free appointment times', () => {
	it('offers four times on each of the next three working days, in the time zone', () => {
		// A Friday afternoon in Paris: Monday, Tuesday and Wednesday are offered.
		const slots = freeSlots(new Date('2026-11-27T15:00:00Z'), 'Europe/Paris');
		expect(slots).toHaveLength(12);
		expect(slots[0]).toEqual({ start: '2026-11-30T08:00:00.000Z', end: '2026-11-30T08:30:00.000Z' });
		expect(slots[11].start).toBe('2026-12-02T15:00:00.000Z');
		expect(freeSlots(new Date('2026-07-01T10:00:00Z'), 'UTC')[0].start).toBe('2026-07-02T09:00:00.000Z');
	});
});

describe('code agents on the runtime', () => {
	let temp: TempDb;
	let viewer: Viewer;
	let registry: RunRegistry;

	beforeEach(async () => {
		temp = await createTempDb({ seed: true });
		await syncCodeAgents(temp.db, config);
		// The first account is the admin; the test's viewer is a plain user.
		await createAccount(temp.db, { email: 'admin@example.com', password: 'correct horse battery' });
		const user = await createAccount(temp.db, { email: 'coder@example.com', password: 'correct horse battery' });
		viewer = { kind: 'user', id: user.id, role: user.role };
		registry = new RunRegistry();
	});

	afterEach(() => temp.cleanup());

	async function agentAndTask(slug: string, context?: Record<string, unknown>): Promise<{ agent: AgentWithTools; task: Task }> {
		const agent = await getUsableAgent(temp.db, viewer, slug);
		const task = await createTask(temp.db, { viewer, agentId: agent.id, context });
		return { agent, task };
	}

	async function turn(
		agent: AgentWithTools,
		task: Task,
		parts: Parameters<typeof startTurn>[0]['request'] extends infer R ? (R extends { type: 'message'; parts: infer P } ? P : never) : never
	): Promise<RunEvent[]> {
		const run: ActiveRun = await startTurn({ db: temp.db, config, task, agent, registry, request: { type: 'message', parts } });
		const events: RunEvent[] = [];
		for await (const event of run.subscribe()) events.push(event);
		return events;
	}

	it('mirrors them as read-only rows, updated when the module changes, and never over an admin’s agent', async () => {
		const [row] = await temp.db.select().from(agents).where(eq(agents.slug, 'support'));
		expect(row).toMatchObject({ source: 'code', name: 'Support', visibility: 'public', model: 'mock:offline' });
		const changed = new Map(codeAgents());
		changed.set('support', { ...changed.get('support')!, definition: { ...support, name: 'Help desk' } });
		await syncCodeAgents(temp.db, config, changed);
		const [renamed] = await temp.db.select().from(agents).where(eq(agents.slug, 'support'));
		expect(renamed).toMatchObject({ id: row.id, name: 'Help desk' });

		await temp.db.insert(agents).values({ slug: 'sales.premium', name: 'Made by an admin', model: 'mock:offline' });
		const clash = collectCodeAgents({ '/src/agents/sales/premium.ts': { default: defineAgent({ name: 'From code' }) } });
		await syncCodeAgents(temp.db, config, clash);
		const [kept] = await temp.db.select().from(agents).where(eq(agents.slug, 'sales.premium'));
		expect(kept).toMatchObject({ name: 'Made by an admin', source: 'database' });
	});

	it('makes the context once per task and its tool reads the injected user id and tier', async () => {
		const { agent, task } = await agentAndTask('support');
		const events = await turn(agent, task, [{ type: 'text', text: 'What does my support plan include?' }]);
		const ready = events.find((event) => event.type === 'tool-call-ready');
		expect(ready).toMatchObject({ toolName: 'support_plan' });
		expect(ready && 'input' in ready ? Object.keys(ready.input as object) : []).not.toContain('userId');
		const output = events.find((event) => event.type === 'tool-output');
		expect(output).toMatchObject({
			output: { userId: viewer.kind === 'user' ? viewer.id : '', tier: 'pro', responseTime: '4 business hours' }
		});
		const stored = (await findTask(temp.db, task.id))!;
		expect(stored.context).toEqual({ userId: viewer.kind === 'user' ? viewer.id : '', tier: 'pro' });
		expect(stored.runOptions).toMatchObject({ contextCreated: true });

		// Made once: a later change (an admin's edit) is what the next answer sees.
		await temp.db
			.update(tasks)
			.set({ context: { userId: 'edited', tier: 'free' } })
			.where(eq(tasks.id, task.id));
		const again = await turn(agent, (await findTask(temp.db, task.id))!, [{ type: 'text', text: 'And my support plan now?' }]);
		expect(again.find((event) => event.type === 'tool-output')).toMatchObject({ output: { userId: 'edited', tier: 'free' } });
	});

	it('takes the plan a caller gives, and refuses a context that does not fit, storing nothing', async () => {
		const given = await agentAndTask('support', { tier: 'enterprise' });
		await turn(given.agent, given.task, [{ type: 'text', text: 'hello' }]);
		expect((await findTask(temp.db, given.task.id))!.context).toMatchObject({ tier: 'enterprise' });

		const { agent, task } = await agentAndTask('appointment', { timeZone: 'Mars/Olympus' });
		const refused = startTurn({
			db: temp.db,
			config,
			task,
			agent,
			registry,
			request: { type: 'message', parts: [{ type: 'text', text: 'book' }] }
		});
		await expect(refused).rejects.toMatchObject({ code: 'unprocessable', field: 'context.timeZone' });
		await expect(refused).rejects.toBeInstanceOf(AppError);
		expect(await listMessages(temp.db, task.id)).toEqual([]);
		expect(registry.get(task.id)).toBeUndefined();
	});

	it('shows a widget: a data-widget part, the message kind `widget`; the submission continues to a booking', async () => {
		const { agent, task } = await agentAndTask('appointment');
		const events = await turn(agent, task, [{ type: 'text', text: 'Book an appointment please' }]);
		const widget = events.find((event) => event.type === 'widget');
		expect(widget).toMatchObject({ widget: { type: 'appointment_picker', data: { timeZone: 'UTC', durationMinutes: 30 } } });
		expect(events.at(-1)).toMatchObject({ type: 'run-end', reason: 'completed' });
		const [, answer] = await listMessages(temp.db, task.id);
		expect(answer).toMatchObject({ role: 'assistant', kind: 'widget', status: 'complete' });
		expect(answer.parts.map((part) => part.type)).toEqual(['step-start', 'text', 'data-widget']);

		const id = widget!.type === 'widget' ? widget!.id : '';
		const slot = (widget as { widget: { data: { slots: { start: string; end: string }[] } } }).widget.data.slots[1];
		const booked = await turn(agent, (await findTask(temp.db, task.id))!, [
			{ type: 'text', text: 'Tomorrow 10:30' },
			{ type: 'data-widget-submit', data: { widgetId: id, type: 'appointment_picker', value: slot } }
		] as never);
		const text = booked.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join('');
		expect(text).toMatch(/^Your appointment is booked for .+ \(UTC\), 30 minutes\. Your reference is APT-[0-9A-Z]{6}\.$/);
		const messages = await listMessages(temp.db, task.id);
		expect(messages.map((message) => message.kind)).toEqual(['user', 'widget', 'user', 'agent']);

		const forged = await turn(agent, (await findTask(temp.db, task.id))!, [
			{ type: 'text', text: 'Midnight' },
			{
				type: 'data-widget-submit',
				data: { widgetId: id, type: 'appointment_picker', value: { start: '2020-01-01T00:00:00Z', end: '2020-01-01T00:30:00Z' } }
			}
		] as never);
		expect(forged.find((event) => event.type === 'text-delta')).toMatchObject({ delta: expect.stringMatching(/not one I offered/) });
	});

	it('a widget tool pauses the answer at its call with the widget tied to it; the submitted value is the call’s output', async () => {
		const { agent, task } = await agentAndTask('support');
		const events = await turn(agent, task, [{ type: 'text', text: 'Can you show the contact form?' }]);
		const ready = events.find((event) => event.type === 'tool-call-ready');
		expect(ready).toMatchObject({ toolName: 'contact_form', clientExecuted: true });
		const callId = ready!.type === 'tool-call-ready' ? ready!.toolCallId : '';
		expect(events.find((event) => event.type === 'widget')).toEqual({
			type: 'widget',
			id: callId,
			widget: {
				type: 'form',
				toolCallId: callId,
				toolName: 'contact_form',
				data: expect.objectContaining({ schema: expect.objectContaining({ required: ['name', 'email'] }) })
			}
		});
		expect(events.at(-1)).toMatchObject({ type: 'run-end', reason: 'awaiting-input' });

		const current = (await findTask(temp.db, task.id))!;
		const { run } = await answerToolCalls({
			db: temp.db,
			config,
			task: current,
			agent,
			registry,
			answers: [{ toolCallId: callId, output: { name: 'Ada', email: 'ada@example.com' } }]
		});
		const continued: RunEvent[] = [];
		for await (const event of run!.subscribe()) continued.push(event);
		const text = continued.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join('');
		expect(text).toContain('ada@example.com');
		const messages = await listMessages(temp.db, task.id);
		expect(messages).toHaveLength(2);
		expect(messages[1]).toMatchObject({ kind: 'widget', status: 'complete' });
		expect(messages[1].parts).toContainEqual(
			expect.objectContaining({ type: 'tool-contact_form', state: 'output-available', output: { name: 'Ada', email: 'ada@example.com' } })
		);
	});

	it('respond reads the task’s files and their text, and may not read another task’s', async () => {
		const reader = collectCodeAgents({
			'/src/agents/reader.ts': {
				default: defineAgent({
					name: 'Reader',
					async respond({ files: attached, getFileText, stream }) {
						stream.write(attached.map((file) => `${file.name} (${file.mediaType}, ${file.extractionStatus})`).join(', '));
						stream.write(` | ${await getFileText(attached[0].id)}`);
						await getFileText('someone-elses-file');
					}
				})
			}
		});
		await syncCodeAgents(temp.db, config, reader);
		const registered = codeAgents();
		registered.set('reader', reader.get('reader')!);
		try {
			const { agent, task } = await agentAndTask('reader');
			const other = await agentAndTask('reader');
			const file = { mimeType: 'text/plain', size: 11, storageKey: 'x', sha256: 'y', extractionStatus: 'ready' as const };
			await temp.db.insert(files).values([
				{ ...file, id: 'notes-file', name: 'notes.txt', taskId: task.id, extractedText: 'hello notes' },
				{ ...file, id: 'someone-elses-file', name: 'secret.txt', taskId: other.task.id, extractedText: 'secret' }
			]);
			const events = await turn(agent, task, [{ type: 'text', text: 'read' }]);
			const text = events.flatMap((event) => (event.type === 'text-delta' ? [event.delta] : [])).join('');
			expect(text).toBe('notes.txt (text/plain, ready) | hello notes');
			// Another task's file is not found: the answer ends with that error, its text kept.
			expect(events.at(-1)).toEqual({ type: 'run-error', message: 'The task has no file "someone-elses-file".' });
		} finally {
			registered.delete('reader');
		}
	});

	it('a respond that fails stores the partial answer as an error with a safe message', async () => {
		const failing = collectCodeAgents({
			'/src/agents/failing.ts': {
				default: defineAgent({
					name: 'Failing',
					respond({ stream }) {
						stream.write('Starting…');
						throw new Error('secret internals');
					}
				})
			}
		});
		await syncCodeAgents(temp.db, config, failing);
		const registered = codeAgents();
		registered.set('failing', failing.get('failing')!);
		try {
			const { agent, task } = await agentAndTask('failing');
			const events = await turn(agent, task, [{ type: 'text', text: 'go' }]);
			expect(events.at(-1)).toEqual({ type: 'run-error', message: 'The agent failed while answering. Try again.' });
			const [, answer] = await listMessages(temp.db, task.id);
			expect(answer).toMatchObject({ status: 'error', error: 'The agent failed while answering. Try again.' });
			expect(answer.parts).toContainEqual(expect.objectContaining({ type: 'text', text: 'Starting…' }));
		} finally {
			registered.delete('failing');
		}
	});
});
