import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../db';
import { messages, tasks, teams, type Message, type Task } from '../db/schema';
import { AppError } from '../errors';
import { findFiles, type FileRecord } from '../files/file-records';
import { fileIdsOf } from '../files/model-parts';
import { activeBranchIds } from './messages';
import { getOwnTask } from './tasks';
import type { Viewer } from './viewer';

/** Creates a team on first use; nothing happens when it exists. */
export async function ensureTeam(db: Db, id: string): Promise<void> {
	await db.insert(teams).values({ id }).onConflictDoNothing({ target: teams.id });
}

/** Puts a task in a team when it has none yet (a task started over another face). */
export async function adoptIntoTeam(db: Db, task: Task, teamId: string): Promise<Task> {
	if (task.teamId !== null) return task;
	await ensureTeam(db, teamId);
	await db
		.update(tasks)
		.set({ teamId })
		.where(and(eq(tasks.id, task.id), isNull(tasks.teamId)));
	return { ...task, teamId };
}

/** A task of the viewer's with this agent; any other (unknown, someone else's, another agent's) is not found. */
export async function getAgentTask(db: Db, viewer: Viewer, agentId: number, id: string): Promise<Task> {
	const task = await getOwnTask(db, viewer, id, { field: 'id_task' });
	if (task.agentId !== agentId) throw new AppError('not_found', `No task "${id}" was found.`, { field: 'id_task' });
	return task;
}

/** The most tasks one list returns. */
export const TEAM_TASK_LIST_LIMIT = 100;

/** The viewer's tasks with an agent, newest first (at most {@link TEAM_TASK_LIST_LIMIT}). */
export async function listAgentTasks(db: Db, viewer: Viewer, agentId: number): Promise<Task[]> {
	const owner = viewer.kind === 'user' ? eq(tasks.userId, viewer.id) : eq(tasks.anonymousId, viewer.anonymousId);
	return db
		.select()
		.from(tasks)
		.where(and(owner, eq(tasks.agentId, agentId)))
		.orderBy(desc(tasks.createdAt), desc(tasks.id))
		.limit(TEAM_TASK_LIST_LIMIT);
}

/** The histories of some tasks and the files they name, read in two queries. */
export interface TaskHistories {
	/** Each task's history (its active branch), in order; a task without messages has none. */
	messages: Map<string, Message[]>;
	files: Map<string, FileRecord>;
}

/** Reads the histories of some tasks and the files their messages name. */
export async function loadTaskHistories(db: Db, list: Task[]): Promise<TaskHistories> {
	if (list.length === 0) return { messages: new Map(), files: new Map() };
	const ids = list.map((task) => task.id);
	const rows = await db
		.select()
		.from(messages)
		.where(and(inArray(messages.taskId, ids), inArray(messages.id, activeBranchIds(ids))))
		.orderBy(asc(messages.taskId), asc(messages.position));
	const byTask = new Map<string, Message[]>();
	for (const row of rows) {
		const taskMessages = byTask.get(row.taskId);
		if (taskMessages) taskMessages.push(row);
		else byTask.set(row.taskId, [row]);
	}
	return { messages: byTask, files: new Map((await findFiles(db, fileIdsOf(rows))).map((file) => [file.id, file])) };
}
