import { eq } from 'drizzle-orm';
import { getConfig } from '../config';
import type { Db } from '../db';
import { agents, tasks } from '../db/schema';
import { runRegistry, type ActiveRun, type RunRegistry } from '../runtime/run-registry';
import { isRunning } from '../runtime/runs';
import { TaskListFeed } from './task-list-feed';
import type { SidebarTask } from './task-list-event';

let feed: TaskListFeed | undefined;
let stopRelay: (() => void) | undefined;

/** The process's feed of task-list changes (through Redis when `REDIS_URL` is set). */
export function getTaskListFeed(): TaskListFeed {
	const config = getConfig();
	feed ??= new TaskListFeed({ maxReadersPerUser: config.TASK_LIST_FEEDS_PER_USER, redisUrl: config.REDIS_URL });
	return feed;
}

/** A task as the sidebar shows it, with its owner; undefined when it is gone. */
export async function readSidebarTask(
	db: Db,
	id: string,
	running?: boolean
): Promise<{ userId: string | null; playground: boolean; task: SidebarTask } | undefined> {
	const [row] = await db
		.select({
			id: tasks.id,
			title: tasks.title,
			status: tasks.status,
			agentSlug: agents.slug,
			agentName: agents.name,
			createdAt: tasks.createdAt,
			updatedAt: tasks.updatedAt,
			userId: tasks.userId,
			playground: tasks.playground
		})
		.from(tasks)
		.innerJoin(agents, eq(agents.id, tasks.agentId))
		.where(eq(tasks.id, id));
	if (!row) return undefined;
	const { userId, playground, createdAt, updatedAt, ...rest } = row;
	return {
		userId,
		playground,
		task: {
			...rest,
			createdAt: createdAt.getTime(),
			updatedAt: updatedAt.getTime(),
			running: running ?? (await isRunning(id))
		}
	};
}

/**
 * Tells the owner's sidebars that a task is new or changed. Tasks of anonymous callers and
 * playground tasks are never told about. Failures are logged, never thrown.
 */
export async function announceTask(db: Db, id: string, running?: boolean): Promise<void> {
	// Nobody to tell: the task is not even read.
	if (!getTaskListFeed().hasListeners()) return;
	try {
		const found = await readSidebarTask(db, id, running);
		if (!found?.userId || found.playground) return;
		await getTaskListFeed().publish(found.userId, { type: 'task', task: found.task });
	} catch (error) {
		console.error(`[parley] could not tell the sidebars about task ${id}`, error);
	}
}

/** Tells a user's sidebars that a task of theirs was deleted. */
export async function announceTaskDeleted(userId: string, id: string): Promise<void> {
	await getTaskListFeed().publish(userId, { type: 'task-deleted', id });
}

/**
 * Tells the sidebars about one run: once its question (and the task's title) is stored, the task
 * as running; once it has ended, the task as it then is. A run that never started tells nothing.
 */
export async function relayRunToTaskList(db: Db, run: ActiveRun): Promise<void> {
	const started = await new Promise<boolean>((resolve) => {
		const stop = run.listen((event) => {
			if (event.type !== 'run-start') return;
			stop();
			resolve(true);
		});
		void run.finished.then(() => resolve(false));
	});
	if (!started) return;
	await announceTask(db, run.taskId, true);
	await run.finished;
	await announceTask(db, run.taskId, false);
}

/** Starts telling the sidebars about every run of this process. Call once, at start-up. */
export function startTaskListRelay(db: Db, registry: RunRegistry = runRegistry): void {
	stopRelay ??= registry.observe((run) => {
		relayRunToTaskList(db, run).catch((error) => console.error(`[parley] the sidebar relay of task ${run.taskId} failed`, error));
	});
}

/** Stops relaying and ends every sidebar's feed (the server stops). */
export async function closeTaskList(): Promise<void> {
	stopRelay?.();
	stopRelay = undefined;
	const current = feed;
	feed = undefined;
	await current?.close();
}
