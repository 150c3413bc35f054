import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDb, type TempDb } from '../../../../../tests/support/temp-db';
import { createAccount } from '../../auth/accounts';
import { tasks } from '../../db/schema';
import type { SessionUser } from '../../auth/session';
import { parseConfig } from '../../config';
import { ActiveRun, RunRegistry, runRegistry } from '../../runtime/run-registry';
import { getUsableAgent } from '../../services/agents';
import { createTask, touchTask } from '../../services/tasks';
import type { Viewer } from '../../services/viewer';
import { relayRunToTaskList } from '../../task-list/live-task-list';
import { TaskListFeed } from '../../task-list/task-list-feed';
import { createCallerFactory } from '../trpc';
import { appRouter } from './_app';

const createCaller = createCallerFactory(appRouter);
const config = parseConfig({});

let temp: TempDb;
let owner: SessionUser;
let stranger: SessionUser;
let ownerViewer: Viewer;
let agentId: number;

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
	owner = await createAccount(temp.db, { email: 'owner@example.com', password: 'correct horse battery' });
	stranger = await createAccount(temp.db, { email: 'stranger@example.com', password: 'correct horse battery' });
	ownerViewer = { kind: 'user', id: owner.id, role: owner.role };
	agentId = (await getUsableAgent(temp.db, ownerViewer, 'assistant')).id;
});

afterEach(() => temp.cleanup());

const callerOf = (user: SessionUser | null) => createCaller({ db: temp.db, config, user });

/** The update time of the last task made by `titled`: each is a millisecond newer than the one before. */
let clock = Date.now();

/** A task of the owner's with a title, newer than the one made before (two may be made in one millisecond). */
async function titled(title: string, viewer: Viewer = ownerViewer) {
	const task = await createTask(temp.db, { viewer, agentId });
	await touchTask(temp.db, task.id, title);
	await temp.db
		.update(tasks)
		.set({ updatedAt: new Date(++clock) })
		.where(eq(tasks.id, task.id));
	return task.id;
}

async function codeOf(promise: Promise<unknown>): Promise<string> {
	const error = await promise.then(
		() => null,
		(thrown: unknown) => thrown
	);
	expect(error).toBeInstanceOf(TRPCError);
	return (error as TRPCError).code;
}

describe('tasks.sidebar', () => {
	it('pages the caller’s own tasks, newest first, without playground or archived ones', async () => {
		const first = await titled('First chat');
		const second = await titled('Second chat');
		const archived = await titled('Archived chat');
		await callerOf(owner).tasks.setStatus({ id: archived, status: 'archived' });
		await titled('Tried in the playground', { ...ownerViewer, playground: true });
		await titled('Someone else’s', { kind: 'user', id: stranger.id, role: stranger.role });

		const page = await callerOf(owner).tasks.sidebar({ limit: 1 });
		expect(page.items.map((task) => task.title)).toStrictEqual(['Second chat']);
		expect(page.items[0]).toMatchObject({ id: second, agentSlug: 'assistant', agentName: 'Assistant', running: false });
		expect(typeof page.items[0].updatedAt).toBe('number');
		const next = await callerOf(owner).tasks.sidebar({ limit: 1, cursor: page.nextCursor });
		expect(next.items.map((task) => task.id)).toStrictEqual([first]);
		expect(next.nextCursor).toBeNull();
	});

	it('finds words in titles as it pages, and marks a task whose answer is being written', async () => {
		const tides = await titled('How do ocean tides work?');
		await titled('Which river is the longest?');
		const run = new ActiveRun(tides, 'answer-1');
		runRegistry.add(run);
		try {
			const found = await callerOf(owner).tasks.sidebar({ query: 'tide' });
			expect(found.items.map((task) => [task.id, task.running])).toStrictEqual([[tides, true]]);
		} finally {
			run.end();
			await run.finished;
		}
		expect((await callerOf(owner).tasks.sidebar({ query: 'tide' })).items[0].running).toBe(false);
	});

	it('refuses oversized input and callers who are not signed in', async () => {
		expect(await codeOf(callerOf(owner).tasks.sidebar({ limit: 101 }))).toBe('BAD_REQUEST');
		expect(await codeOf(callerOf(owner).tasks.sidebar({ limit: 0 }))).toBe('BAD_REQUEST');
		expect(await codeOf(callerOf(owner).tasks.sidebar({ query: 'x'.repeat(201) }))).toBe('BAD_REQUEST');
		expect(await codeOf(callerOf(owner).tasks.sidebar({ cursor: { updatedAt: 1, id: 'x'.repeat(65) } }))).toBe('BAD_REQUEST');
		expect(await codeOf(callerOf(null).tasks.sidebar({}))).toBe('UNAUTHORIZED');
	});
});

describe('tasks.list source filter', () => {
	it('lists every task by default, and only chats or only playground tasks when asked', async () => {
		await titled('A chat');
		await titled('A try', { ...ownerViewer, playground: true });
		const titles = async (source?: 'all' | 'chats' | 'playground') =>
			(await callerOf(owner).tasks.list({ source })).items.map((task) => [task.title, task.playground]);
		expect(await titles()).toStrictEqual([
			['A try', true],
			['A chat', false]
		]);
		expect(await titles('chats')).toStrictEqual([['A chat', false]]);
		expect(await titles('playground')).toStrictEqual([['A try', true]]);
		expect(await codeOf(callerOf(owner).tasks.list({ source: 'elsewhere' as 'all' }))).toBe('BAD_REQUEST');
	});
});

/** Subscribes to the live task list as someone; `next()` reads the next event. */
async function follow(user: SessionUser) {
	const controller = new AbortController();
	const caller = createCaller({ db: temp.db, config, user }, { signal: controller.signal });
	const events = (await caller.tasks.listLive())[Symbol.asyncIterator]();
	return {
		next: async () => (await events.next()).value,
		stop: async () => {
			controller.abort();
			await events.return?.();
		}
	};
}

describe('tasks.listLive', () => {
	it('tells the owner of renames, archiving and deletions of their tasks, and nobody else', async () => {
		const id = await titled('Before');
		const strangerTask = await titled('Theirs', { kind: 'user', id: stranger.id, role: stranger.role });
		const mine = await follow(owner);
		const theirs = await follow(stranger);
		try {
			expect(await mine.next()).toStrictEqual({ type: 'ready' });
			expect(await theirs.next()).toStrictEqual({ type: 'ready' });
			await callerOf(owner).tasks.rename({ id, title: 'After' });
			expect(await mine.next()).toMatchObject({ type: 'task', task: { id, title: 'After', status: 'active', running: false } });
			await callerOf(owner).tasks.setStatus({ id, status: 'archived' });
			expect(await mine.next()).toMatchObject({ type: 'task', task: { id, status: 'archived' } });
			await callerOf(owner).tasks.delete({ id });
			expect(await mine.next()).toStrictEqual({ type: 'task-deleted', id });
			// The stranger's first event is about their own task.
			await callerOf(stranger).tasks.rename({ id: strangerTask, title: 'Still theirs' });
			expect(await theirs.next()).toMatchObject({ type: 'task', task: { id: strangerTask, title: 'Still theirs' } });
		} finally {
			await mine.stop();
			await theirs.stop();
		}
	});

	it('tells of a run once its question is stored (with the title), and again when it ends; never of playground tasks', async () => {
		const id = await titled('Lighthouses');
		const playground = await titled('A try', { ...ownerViewer, playground: true });
		const registry = new RunRegistry();
		const mine = await follow(owner);
		try {
			expect(await mine.next()).toStrictEqual({ type: 'ready' });
			for (const taskId of [playground, id]) {
				const run = new ActiveRun(taskId, `answer-${taskId}`);
				registry.add(run);
				const relayed = relayRunToTaskList(temp.db, run);
				run.emit({ type: 'run-start', taskId, messageId: run.messageId, model: 'mock:offline' });
				if (taskId === id) {
					expect(await mine.next()).toMatchObject({ type: 'task', task: { id, title: 'Lighthouses', running: true } });
				}
				run.end();
				await relayed;
			}
			expect(await mine.next()).toMatchObject({ type: 'task', task: { id, running: false } });
		} finally {
			await mine.stop();
		}
	});

	it('refuses callers who are not signed in', async () => {
		expect(await codeOf(callerOf(null).tasks.listLive())).toBe('UNAUTHORIZED');
	});
});

describe('TaskListFeed', () => {
	it('keeps at most so many readers a user, lets a reader go when its client leaves, and resets a slow reader', async () => {
		const feed = new TaskListFeed({ maxReadersPerUser: 2 });
		const first = new AbortController();
		await feed.subscribe('u1', first.signal);
		const second = await feed.subscribe('u1');
		await expect(feed.subscribe('u1')).rejects.toMatchObject({ code: 'rate_limited' });
		// Another user is counted apart.
		await feed.subscribe('u2');
		first.abort();
		expect(feed.readerCount('u1')).toBe(1);
		for (let index = 0; index < 150; index++) await feed.publish('u1', { type: 'task-deleted', id: `t${index}` });
		expect((await second.next()).value).toStrictEqual({ type: 'reset' });
		// What came after the reset is kept (fewer than the limit), then the feed's close ends the reader.
		await feed.close();
		const rest: unknown[] = [];
		for await (const event of second) rest.push(event);
		expect(rest).toHaveLength(49);
		expect(rest.at(-1)).toStrictEqual({ type: 'task-deleted', id: 't149' });
	});
});
