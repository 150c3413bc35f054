import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { createAccount } from '../auth/accounts';
import { parseConfig } from '../config';
import { messages, tasks, type Message, type Task } from '../db/schema';
import { AppError } from '../errors';
import { getUsableAgent, type AgentWithTools } from '../services/agents';
import { chooseVersion, listMessageNodes, listMessages, messageVersions } from '../services/messages';
import { createTask, findTask } from '../services/tasks';
import type { Viewer } from '../services/viewer';
import { RunRegistry } from './run-registry';
import { startTurn } from './start-turn';
import type { TurnRequest } from './turn-request';

const fast = parseConfig({ MOCK_TOKEN_DELAY_MS: '0' });

let temp: TempDb;
let viewer: Viewer;
let registry: RunRegistry;
let agent: AgentWithTools;
let task: Task;

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
	const user = await createAccount(temp.db, { email: 'brancher@example.com', password: 'correct horse battery' });
	viewer = { kind: 'user', id: user.id, role: user.role };
	registry = new RunRegistry();
	agent = await getUsableAgent(temp.db, viewer, 'assistant');
	task = await createTask(temp.db, { viewer, agentId: agent.id });
});

afterEach(() => temp.cleanup());

/** Runs one turn to its end. */
async function turn(request: TurnRequest): Promise<void> {
	const run = await startTurn({ db: temp.db, config: fast, task, agent, request, registry });
	for await (const event of run.subscribe()) void event;
}

const ask = (text: string, extra: Partial<Extract<TurnRequest, { type: 'message' }>> = {}) =>
	turn({ type: 'message', parts: [{ type: 'text', text }], ...extra });

/** The text of a stored message. */
const textOf = (message: Message) => message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');

/** The task's history as role and text, user questions in full, answers as `answer`. */
async function history(): Promise<string[]> {
	return (await listMessages(temp.db, task.id)).map((message) =>
		message.role === 'user' ? textOf(message) : `answer to ${/You said: "(.*?)"\. I am/.exec(textOf(message))?.[1] ?? '?'}`
	);
}

/** A task of three questions and answers: q1, a1, q2, a2, q3, a3. */
async function threeTurns(): Promise<Message[]> {
	for (const question of ['one', 'two', 'three']) await ask(question);
	return listMessages(temp.db, task.id);
}

describe('branches', () => {
	it('chains each new message to the one before it, and ends the task at the last', async () => {
		const stored = await threeTurns();
		expect(stored.map((message) => message.parentId)).toEqual([null, ...stored.slice(0, -1).map((message) => message.id)]);
		expect((await findTask(temp.db, task.id))?.activeLeafId).toBe(stored.at(-1)!.id);
	});

	it('edits the first question of a long task as a new version, keeping the old branch whole', async () => {
		const before = await threeTurns();
		await ask('uno', { replaceFrom: before[0].id, messageId: before[0].id });
		expect(await history()).toEqual(['uno', 'answer to uno']);
		const [question] = await listMessages(temp.db, task.id);
		// The client's id was taken by the old version, so the new one has its own; it starts the task.
		expect(question.id).not.toBe(before[0].id);
		expect(question.parentId).toBeNull();
		expect((await messageVersions(temp.db, task.id, [question])).get(question.id)).toEqual([before[0].id, question.id]);
		// Nothing was deleted: the first version and everything after it are still stored.
		expect(await temp.db.select().from(messages).where(eq(messages.taskId, task.id))).toHaveLength(8);

		// Back to the first version: its whole branch is the history again, down to its last answer.
		await chooseVersion(temp.db, task.id, before[0].id);
		expect((await listMessages(temp.db, task.id)).map((message) => message.id)).toEqual(before.map((message) => message.id));
	});

	it('regenerates a middle answer as a new version, the questions before it kept', async () => {
		const before = await threeTurns();
		await turn({ type: 'regenerate', messageId: before[3].id });
		const after = await listMessages(temp.db, task.id);
		expect(after.slice(0, 3).map((message) => message.id)).toEqual(before.slice(0, 3).map((message) => message.id));
		expect(after).toHaveLength(4);
		expect(after[3].id).not.toBe(before[3].id);
		expect(after[3].parentId).toBe(before[2].id);
		expect((await messageVersions(temp.db, task.id, [after[3]])).get(after[3].id)).toEqual([before[3].id, after[3].id]);

		// A new question goes on from the new version.
		await ask('four');
		expect(await history()).toEqual(['one', 'answer to one', 'two', 'answer to two', 'four', 'answer to four']);
	});

	it('chooses the newest branch below a version, and refuses a message of another task', async () => {
		const before = await threeTurns();
		await ask('dos', { replaceFrom: before[2].id });
		await chooseVersion(temp.db, task.id, before[2].id);
		expect(await history()).toEqual(['one', 'answer to one', 'two', 'answer to two', 'three', 'answer to three']);
		// The first answer's newest branch is the edit's.
		await chooseVersion(temp.db, task.id, before[1].id);
		expect(await history()).toEqual(['one', 'answer to one', 'dos', 'answer to dos']);
		expect(await chooseVersion(temp.db, task.id, 'not-a-message')).toBe(false);
		const other = await createTask(temp.db, { viewer, agentId: agent.id });
		expect(await chooseVersion(temp.db, other.id, before[0].id)).toBe(false);
	});

	it('refuses to regenerate what is not an answer of the history', async () => {
		const before = await threeTurns();
		await expect(turn({ type: 'regenerate', messageId: before[0].id })).rejects.toThrow(AppError);
		await expect(turn({ type: 'regenerate', messageId: 'elsewhere' })).rejects.toThrow(
			'Only an answer of this task can be answered again.'
		);
		expect(await listMessageNodes(temp.db, task.id)).toHaveLength(6);
	});

	it('reads the branch a task was left on, whatever was written after it elsewhere in the tree', async () => {
		const before = await threeTurns();
		await ask('uno', { replaceFrom: before[0].id });
		await temp.db.update(tasks).set({ activeLeafId: before[3].id }).where(eq(tasks.id, task.id));
		expect(await history()).toEqual(['one', 'answer to one', 'two', 'answer to two']);
	});
});
