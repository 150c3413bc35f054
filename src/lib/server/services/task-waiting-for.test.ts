import type { UIMessage } from 'ai';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { createAccount } from '../auth/accounts';
import { tasks, type Task } from '../db/schema';
import { getUsableAgent } from './agents';
import { appendMessage } from './messages';
import { createTask } from './tasks';
import type { Viewer } from './viewer';
import { findTaskWaitingFor } from './task-waiting-for';
import type { ServerCall } from '../protocols/openai/to-stored-messages';

let temp: TempDb;
let alice: Viewer;
let bob: Viewer;
let agentId: number;

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
	const a = await createAccount(temp.db, { email: 'alice@example.com', password: 'correct horse battery' });
	const b = await createAccount(temp.db, { email: 'bob@example.com', password: 'correct horse battery' });
	alice = { kind: 'user', id: a.id, role: a.role };
	bob = { kind: 'user', id: b.id, role: b.role };
	agentId = (await getUsableAgent(temp.db, alice, 'tool-demo')).id;
});

afterEach(() => temp.cleanup());

/** A call of current_time as a caller sends it back. */
const sent = (input: unknown = { timezone: 'UTC' }): ServerCall => ({
	toolCallId: 'call_1',
	toolName: 'current_time',
	input,
	answered: true,
	field: 'messages.2.tool_call_id'
});

/** A task of `viewer` whose last answer holds `parts`; `model` null for history a caller sent. */
async function taskWith(viewer: Viewer, parts: unknown[], model: string | null = 'mock:offline', updatedAt?: Date): Promise<Task> {
	const task = await createTask(temp.db, { viewer, agentId });
	await appendMessage(temp.db, { taskId: task.id, role: 'user', parts: [{ type: 'text', text: 'time?' }] });
	await appendMessage(temp.db, { taskId: task.id, role: 'assistant', parts: parts as UIMessage['parts'], model });
	if (updatedAt) await temp.db.update(tasks).set({ updatedAt }).where(eq(tasks.id, task.id));
	return task;
}

/** current_time's call `call_1`, waiting for approval. */
const waiting = (input: unknown = { timezone: 'UTC' }) => ({
	type: 'tool-current_time',
	toolCallId: 'call_1',
	state: 'approval-requested',
	input,
	approval: { id: 'ap_1' }
});

describe('findTaskWaitingFor', () => {
	it('finds the caller’s task whose last answer waits for that very call', async () => {
		const task = await taskWith(alice, [waiting()]);
		expect((await findTaskWaitingFor(temp.db, alice, agentId, [sent()], 50))?.id).toBe(task.id);
	});

	it('takes the most recently changed of several', async () => {
		const newer = await taskWith(alice, [waiting()], 'mock:offline', new Date(2_000));
		await taskWith(alice, [waiting()], 'mock:offline', new Date(1_000));
		expect((await findTaskWaitingFor(temp.db, alice, agentId, [sent()], 50))?.id).toBe(newer.id);
	});

	it('finds nothing when the call differs, is settled, was not the agent’s, belongs to someone else, or is not last', async () => {
		await taskWith(alice, [waiting({ timezone: 'Europe/Paris' })]);
		await taskWith(alice, [{ ...waiting(), state: 'output-available', output: 'noon' }]);
		await taskWith(alice, [waiting()], null);
		await taskWith(bob, [waiting()]);
		const answered = await taskWith(alice, [waiting()]);
		await appendMessage(temp.db, { taskId: answered.id, role: 'user', parts: [{ type: 'text', text: 'never mind' }] });
		expect(await findTaskWaitingFor(temp.db, alice, agentId, [sent()], 50)).toBeNull();
		expect(await findTaskWaitingFor(temp.db, alice, agentId, [], 50)).toBeNull();
	});

	it('searches only the caller’s most recently changed tasks of the agent', async () => {
		await taskWith(alice, [waiting()], 'mock:offline', new Date(1_000));
		await taskWith(alice, [{ type: 'text', text: 'Hi' }], 'mock:offline', new Date(2_000));
		expect(await findTaskWaitingFor(temp.db, alice, agentId, [sent()], 1)).toBeNull();
		expect(await findTaskWaitingFor(temp.db, alice, agentId, [sent()], 2)).not.toBeNull();
	});
});
