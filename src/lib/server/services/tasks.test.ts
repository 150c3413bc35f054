import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { agents, tasks, taskTombstones, users, type Task } from '../db/schema';
import { AppError, type AppErrorCode } from '../errors';
import { subscribeTask, watchTaskDeletion } from '../live/live-tasks';
import { TaskDeletedError } from '../live/task-feed';
import {
	createTask,
	deleteTask,
	getOwnTask,
	listTasks,
	ownsTask,
	titleFrom,
	touchTask,
	undoNewTaskOnFailure,
	type TaskCursor
} from './tasks';
import type { Viewer } from './viewer';

let temp: TempDb;
let agentId: number;
let otherAgentId: number;

const alice: Viewer = { kind: 'user', id: 'alice', role: 'user' };
const bob: Viewer = { kind: 'user', id: 'bob', role: 'user' };
const admin: Viewer = { kind: 'user', id: 'root', role: 'admin' };
const anon: Viewer = { kind: 'anonymous', anonymousId: 'anon-1' };
const otherAnon: Viewer = { kind: 'anonymous', anonymousId: 'anon-2' };

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
	await temp.db.insert(users).values([
		{ id: 'alice', email: 'alice@example.com', passwordHash: 'x', role: 'user' },
		{ id: 'bob', email: 'bob@example.com', passwordHash: 'x', role: 'user' },
		{ id: 'root', email: 'root@example.com', passwordHash: 'x', role: 'admin' }
	]);
	[{ id: agentId }] = await temp.db.select({ id: agents.id }).from(agents).where(eq(agents.slug, 'assistant'));
	[{ id: otherAgentId }] = await temp.db.select({ id: agents.id }).from(agents).where(eq(agents.slug, 'tool-demo'));
});

afterEach(() => {
	temp.cleanup();
});

async function expectAppError(promise: Promise<unknown>, code: AppErrorCode, field?: string): Promise<AppError> {
	const error = await promise.then(
		() => null,
		(thrown: unknown) => thrown
	);
	expect(error).toBeInstanceOf(AppError);
	expect((error as AppError).code).toBe(code);
	if (field !== undefined) expect((error as AppError).field).toBe(field);
	return error as AppError;
}

describe('createTask', () => {
	it('creates a task owned by the user with a generated id', async () => {
		const task = await createTask(temp.db, { viewer: alice, agentId });
		expect(task.id).toMatch(/^[a-z2-7]{26}$/);
		expect(task.userId).toBe('alice');
		expect(task.anonymousId).toBeNull();
		expect(task.agentId).toBe(agentId);
		expect(task.title).toBe('');
		expect(task.status).toBe('active');
		expect(task.driver).toBe('auto');
	});

	it('keeps a valid client-proposed id', async () => {
		const task = await createTask(temp.db, { viewer: alice, agentId, id: 'Client_id-123' });
		expect(task.id).toBe('Client_id-123');
		expect((await temp.db.select().from(tasks).where(eq(tasks.id, 'Client_id-123')))[0].userId).toBe('alice');
	});

	it.each(['abcdefgh', 'a'.repeat(64), 'A-B_c-9_'])('accepts the id %s', async (id) => {
		expect((await createTask(temp.db, { viewer: alice, agentId, id })).id).toBe(id);
	});

	it('refuses to reuse an id, for the same or another owner, as a conflict on id', async () => {
		await createTask(temp.db, { viewer: alice, agentId, id: 'reused-id-1' });
		await expectAppError(createTask(temp.db, { viewer: alice, agentId, id: 'reused-id-1' }), 'conflict', 'id');
		await expectAppError(createTask(temp.db, { viewer: bob, agentId, id: 'reused-id-1' }), 'conflict', 'id');
		const [stored] = await temp.db.select().from(tasks).where(eq(tasks.id, 'reused-id-1'));
		expect(stored.userId).toBe('alice');
	});

	it.each(['short', 'a'.repeat(65), 'has space', 'semi;colon', 'dots.are.bad', 'ünïcode-id', ''])(
		'rejects the id %j as invalid_input',
		async (id) => {
			await expectAppError(createTask(temp.db, { viewer: alice, agentId, id }), 'invalid_input', 'id');
			expect(await temp.db.select().from(tasks)).toHaveLength(0);
		}
	);

	it('gives an anonymous viewer a task owned by its anonymous id', async () => {
		const task = await createTask(temp.db, { viewer: anon, agentId });
		expect(task.userId).toBeNull();
		expect(task.anonymousId).toBe('anon-1');
	});

	it('stores title, context and driver', async () => {
		const task = await createTask(temp.db, {
			viewer: alice,
			agentId,
			title: 'Trip',
			context: { city: 'Paris' },
			driver: 'user'
		});
		const [stored] = await temp.db.select().from(tasks).where(eq(tasks.id, task.id));
		expect(stored.title).toBe('Trip');
		expect(stored.context).toEqual({ city: 'Paris' });
		expect(stored.driver).toBe('user');
	});
});

describe('deleted task ids', () => {
	it('are never used again, by anyone, however the task was deleted', async () => {
		await createTask(temp.db, { viewer: alice, agentId, id: 'deleted-id-1' });
		await deleteTask(temp.db, alice, 'deleted-id-1');
		const refused = await expectAppError(createTask(temp.db, { viewer: bob, agentId, id: 'deleted-id-1' }), 'conflict', 'id');
		expect(refused.message).toContain('deleted task');
		await expectAppError(createTask(temp.db, { viewer: alice, agentId, id: 'deleted-id-1' }), 'conflict', 'id');

		// Deleting the owner's account deletes the task too, and leaves its id behind all the same.
		await createTask(temp.db, { viewer: bob, agentId, id: 'cascaded-id' });
		await temp.db.delete(users).where(eq(users.id, 'bob'));
		expect(await temp.db.select().from(tasks).where(eq(tasks.id, 'cascaded-id'))).toHaveLength(0);
		await expectAppError(createTask(temp.db, { viewer: anon, agentId, id: 'cascaded-id' }), 'conflict', 'id');
		expect(await temp.db.select().from(tasks)).toHaveLength(0);
	});

	it('deleting a task ends its live subscriptions and tells its watchers', async () => {
		const task = await createTask(temp.db, { viewer: alice, agentId });
		let told = 0;
		await watchTaskDeletion(task.id, () => told++);
		const next = (await subscribeTask(task.id, null)).next();
		const ended = expect(next).rejects.toBeInstanceOf(TaskDeletedError);
		// The subscription listens once it is first read; the watcher listened when it resolved.
		await new Promise<void>((resolve) => setImmediate(resolve));
		await deleteTask(temp.db, alice, task.id);
		await ended;
		expect(told).toBe(1);
	});

	it('a task a failed request made is undone as if never made: its watchers end and its id is free', async () => {
		const task = await createTask(temp.db, { viewer: alice, agentId, id: 'retried-id-1' });
		let told = 0;
		await watchTaskDeletion(task.id, () => told++);
		await expect(
			undoNewTaskOnFailure(temp.db, task.id, async () => {
				throw new Error('refused');
			})
		).rejects.toThrow('refused');
		expect(told).toBe(1);
		expect(await temp.db.select().from(taskTombstones)).toHaveLength(0);
		expect((await createTask(temp.db, { viewer: alice, agentId, id: 'retried-id-1' })).id).toBe('retried-id-1');
	});
});

describe('getOwnTask', () => {
	let task: Task;

	beforeEach(async () => {
		task = await createTask(temp.db, { viewer: alice, agentId, id: 'alice-task' });
	});

	it('returns the task to its owner', async () => {
		expect((await getOwnTask(temp.db, alice, 'alice-task')).id).toBe(task.id);
	});

	it("reports another user's task exactly like a missing one", async () => {
		const foreign = await expectAppError(getOwnTask(temp.db, bob, 'alice-task'), 'not_found', 'taskId');
		await temp.db.delete(tasks).where(eq(tasks.id, 'alice-task'));
		const missing = await expectAppError(getOwnTask(temp.db, bob, 'alice-task'), 'not_found', 'taskId');
		expect(foreign.message).toBe(missing.message);
	});

	it('uses the given field name', async () => {
		await expectAppError(getOwnTask(temp.db, bob, 'alice-task', { field: 'id' }), 'not_found', 'id');
	});

	it('lets an admin see it only with allowAdmin', async () => {
		await expectAppError(getOwnTask(temp.db, admin, 'alice-task'), 'not_found');
		expect((await getOwnTask(temp.db, admin, 'alice-task', { allowAdmin: true })).id).toBe('alice-task');
	});

	it('does not let a non-admin in with allowAdmin', async () => {
		await expectAppError(getOwnTask(temp.db, bob, 'alice-task', { allowAdmin: true }), 'not_found');
		await expectAppError(getOwnTask(temp.db, anon, 'alice-task', { allowAdmin: true }), 'not_found');
	});

	it('lets an anonymous viewer own its tasks by anonymous id', async () => {
		await createTask(temp.db, { viewer: anon, agentId, id: 'anon-task' });
		expect((await getOwnTask(temp.db, anon, 'anon-task')).id).toBe('anon-task');
		await expectAppError(getOwnTask(temp.db, otherAnon, 'anon-task'), 'not_found');
		await expectAppError(getOwnTask(temp.db, alice, 'anon-task'), 'not_found');
		await expectAppError(getOwnTask(temp.db, anon, 'alice-task'), 'not_found');
	});
});

describe('ownsTask', () => {
	it('matches users by id and anonymous callers by anonymous id', () => {
		expect(ownsTask(alice, { userId: 'alice', anonymousId: null })).toBe(true);
		expect(ownsTask(bob, { userId: 'alice', anonymousId: null })).toBe(false);
		expect(ownsTask(anon, { userId: null, anonymousId: 'anon-1' })).toBe(true);
		expect(ownsTask(otherAnon, { userId: null, anonymousId: 'anon-1' })).toBe(false);
		expect(ownsTask(anon, { userId: 'alice', anonymousId: null })).toBe(false);
	});
});

describe('listTasks', () => {
	/** Creates a task for `viewer` and sets its update time. */
	async function taskAt(viewer: Viewer, id: string, updatedAt: number, agent = agentId) {
		await createTask(temp.db, { viewer, agentId: agent, id });
		await temp.db
			.update(tasks)
			.set({ updatedAt: new Date(updatedAt) })
			.where(eq(tasks.id, id));
	}

	it('lists the newest first, with the agent', async () => {
		await taskAt(alice, 'task-old', 1_000);
		await taskAt(alice, 'task-new', 3_000, otherAgentId);
		await taskAt(alice, 'task-mid', 2_000);

		const { items, nextCursor } = await listTasks(temp.db, alice);

		expect(items.map((item) => item.id)).toEqual(['task-new', 'task-mid', 'task-old']);
		expect(items[0]).toMatchObject({ agentId: otherAgentId, agentSlug: 'tool-demo', agentName: 'Tool demo' });
		expect(items[1]).toMatchObject({ agentId, agentSlug: 'assistant', agentName: 'Assistant', status: 'active' });
		expect(items[0].updatedAt.getTime()).toBe(3_000);
		expect(nextCursor).toBeNull();
	});

	it('pages 7 tasks 3 at a time as 3/3/1 without duplicates or gaps', async () => {
		// Ties in update time straddle both page boundaries, so the id must break them.
		const times = [5_000, 4_000, 3_000, 3_000, 2_000, 2_000, 2_000];
		for (const [i, time] of times.entries()) await taskAt(alice, `task-${i}-xyz`, time);
		const expected = (await listTasks(temp.db, alice, { limit: 100 })).items.map((item) => item.id);
		expect(expected).toEqual(['task-0-xyz', 'task-1-xyz', 'task-3-xyz', 'task-2-xyz', 'task-6-xyz', 'task-5-xyz', 'task-4-xyz']);

		const pages: string[][] = [];
		let cursor: TaskCursor | null = null;
		do {
			const page: Awaited<ReturnType<typeof listTasks>> = await listTasks(temp.db, alice, { limit: 3, cursor });
			pages.push(page.items.map((item) => item.id));
			cursor = page.nextCursor;
		} while (cursor && pages.length < 10);

		expect(pages.map((page) => page.length)).toEqual([3, 3, 1]);
		expect(pages.flat()).toEqual(expected);
		expect(new Set(pages.flat()).size).toBe(7);
	});

	it('orders equal update times by id, descending', async () => {
		await taskAt(alice, 'task-aaaa', 1_000);
		await taskAt(alice, 'task-cccc', 1_000);
		await taskAt(alice, 'task-bbbb', 1_000);
		const { items } = await listTasks(temp.db, alice);
		expect(items.map((item) => item.id)).toEqual(['task-cccc', 'task-bbbb', 'task-aaaa']);
	});

	it('gives a cursor only when more tasks remain', async () => {
		for (let i = 0; i < 3; i++) await taskAt(alice, `task-exact-${i}`, 1_000 + i);
		const full = await listTasks(temp.db, alice, { limit: 3 });
		expect(full.items).toHaveLength(3);
		expect(full.nextCursor).toBeNull();
		const partial = await listTasks(temp.db, alice, { limit: 2 });
		expect(partial.nextCursor).toEqual({ updatedAt: 1_001, id: 'task-exact-1' });
	});

	it("never lists other people's tasks", async () => {
		await taskAt(alice, 'alice-task', 1_000);
		await taskAt(bob, 'bob-task-1', 2_000);
		await taskAt(anon, 'anon-task-1', 3_000);
		await taskAt(admin, 'admin-task', 4_000);

		expect((await listTasks(temp.db, alice)).items.map((item) => item.id)).toEqual(['alice-task']);
		expect((await listTasks(temp.db, bob)).items.map((item) => item.id)).toEqual(['bob-task-1']);
		expect((await listTasks(temp.db, anon)).items.map((item) => item.id)).toEqual(['anon-task-1']);
		expect((await listTasks(temp.db, otherAnon)).items).toEqual([]);
		expect((await listTasks(temp.db, admin)).items.map((item) => item.id)).toEqual(['admin-task']);
	});

	it('filters by agent', async () => {
		await taskAt(alice, 'task-assist', 1_000);
		await taskAt(alice, 'task-tooldemo', 2_000, otherAgentId);
		const { items } = await listTasks(temp.db, alice, { agentId });
		expect(items.map((item) => item.id)).toEqual(['task-assist']);
	});
});

describe('touchTask', () => {
	it('sets the title only when it is empty, and bumps the update time', async () => {
		await createTask(temp.db, { viewer: alice, agentId, id: 'touch-me' });
		await temp.db
			.update(tasks)
			.set({ updatedAt: new Date(1_000) })
			.where(eq(tasks.id, 'touch-me'));

		await touchTask(temp.db, 'touch-me', 'First title');
		let [stored] = await temp.db.select().from(tasks).where(eq(tasks.id, 'touch-me'));
		expect(stored.title).toBe('First title');
		expect(stored.updatedAt.getTime()).toBeGreaterThan(1_000);

		await touchTask(temp.db, 'touch-me', 'Second title');
		[stored] = await temp.db.select().from(tasks).where(eq(tasks.id, 'touch-me'));
		expect(stored.title).toBe('First title');
	});

	it('keeps an existing title when given none', async () => {
		await createTask(temp.db, { viewer: alice, agentId, id: 'titled-1', title: 'Kept' });
		await temp.db
			.update(tasks)
			.set({ updatedAt: new Date(1_000) })
			.where(eq(tasks.id, 'titled-1'));
		await touchTask(temp.db, 'titled-1');
		const [stored] = await temp.db.select().from(tasks).where(eq(tasks.id, 'titled-1'));
		expect(stored.title).toBe('Kept');
		expect(stored.updatedAt.getTime()).toBeGreaterThan(1_000);
	});

	it('moves a touched task to the top of the list', async () => {
		await createTask(temp.db, { viewer: alice, agentId, id: 'older-task' });
		await createTask(temp.db, { viewer: alice, agentId, id: 'newer-task' });
		await temp.db
			.update(tasks)
			.set({ updatedAt: new Date(1_000) })
			.where(eq(tasks.id, 'older-task'));
		await temp.db
			.update(tasks)
			.set({ updatedAt: new Date(2_000) })
			.where(eq(tasks.id, 'newer-task'));
		await touchTask(temp.db, 'older-task');
		expect((await listTasks(temp.db, alice)).items[0].id).toBe('older-task');
	});
});

describe('titleFrom', () => {
	it('keeps short text, collapsing whitespace', () => {
		expect(titleFrom('  Hello   there\n\tfriend  ')).toBe('Hello there friend');
		expect(titleFrom('x'.repeat(60))).toBe('x'.repeat(60));
	});

	it('shortens long text at a word boundary with an ellipsis', () => {
		const text = 'The quick brown fox jumps over the lazy dog and keeps running far beyond the hills';
		const title = titleFrom(text);
		expect(title).toBe('The quick brown fox jumps over the lazy dog and keeps…');
		expect(title.length).toBeLessThanOrEqual(61);
		const kept = title.slice(0, -1);
		expect(text.startsWith(kept)).toBe(true);
		expect(text[kept.length]).toBe(' ');
	});

	it('honours a custom maximum length', () => {
		expect(titleFrom('alpha beta gamma delta', 12)).toBe('alpha beta…');
	});

	it('cuts inside a word when the only space is too early', () => {
		expect(titleFrom(`a ${'b'.repeat(80)}`, 20)).toBe(`a ${'b'.repeat(18)}…`);
		expect(titleFrom('c'.repeat(100), 10)).toBe(`${'c'.repeat(10)}…`);
	});
});
