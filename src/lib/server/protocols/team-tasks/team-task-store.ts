import { and, asc, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from '../../db';
import { messages, tasks, teams, type Message, type Task } from '../../db/schema';
import { AppError } from '../../errors';
import { removeTaskFiles } from '../../files/file-cleanup';
import { findFiles } from '../../files/file-records';
import { activeBranchIds } from '../../services/messages';
import { getOwnTask, removeTask } from '../../services/tasks';
import type { Viewer } from '../../services/viewer';
import type { TeamTask } from './schemas';
import { fileIdsOf, toTeamTask } from './to-team-task';

// These queries belong in services (teams.ts, tasks.ts); they live here until those modules
// offer them, since the team-agent API is their only caller so far.

/** Creates a team on first use; nothing happens when it exists. */
export async function ensureTeam(db: Db, id: string): Promise<void> {
	await db.insert(teams).values({ id }).onConflictDoNothing({ target: teams.id });
}

/** Puts a task in a team when it has none yet (a task started over another face). */
export async function adoptIntoTeam(db: Db, task: Task, teamId: string): Promise<Task> {
	if (task.teamId !== null) return task;
	await ensureTeam(db, teamId);
	await db.update(tasks).set({ teamId }).where(and(eq(tasks.id, task.id), isNull(tasks.teamId)));
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
	const owner =
		viewer.kind === 'user' ? eq(tasks.userId, viewer.id) : eq(tasks.anonymousId, viewer.anonymousId);
	return db
		.select()
		.from(tasks)
		.where(and(owner, eq(tasks.agentId, agentId)))
		.orderBy(desc(tasks.createdAt), desc(tasks.id))
		.limit(TEAM_TASK_LIST_LIMIT);
}

/** Deletes a task with its files (see `removeTask`): its messages go with it, its followers end. */
export async function deleteTask(db: Db, id: string): Promise<void> {
	await removeTaskFiles(db, id);
	await removeTask(db, id);
}

/** Tasks as the team-agent API shows them, loading their messages and files in two queries. */
export async function loadTeamTasks(db: Db, list: Task[], idTeamAgent: string): Promise<TeamTask[]> {
	if (list.length === 0) return [];
	const ids = list.map((task) => task.id);
	const rows = await db
		.select()
		.from(messages)
		// Each task's history: its active branch.
		.where(and(inArray(messages.taskId, ids), inArray(messages.id, activeBranchIds(ids))))
		.orderBy(asc(messages.taskId), asc(messages.position));
	const byTask = new Map<string, Message[]>();
	for (const row of rows) {
		const taskMessages = byTask.get(row.taskId);
		if (taskMessages) taskMessages.push(row);
		else byTask.set(row.taskId, [row]);
	}
	const files = new Map((await findFiles(db, fileIdsOf(rows))).map((file) => [file.id, file]));
	return list.map((task) => toTeamTask(task, byTask.get(task.id) ?? [], { idTeamAgent, files }));
}

/** One task as the team-agent API shows it. */
export async function loadTeamTask(db: Db, task: Task, idTeamAgent: string): Promise<TeamTask> {
	const [teamTask] = await loadTeamTasks(db, [task], idTeamAgent);
	return teamTask;
}
