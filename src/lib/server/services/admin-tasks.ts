import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { agents, tasks, users, type Message, type TaskStatus } from '../db/schema';
import { AppError } from '../errors';
import { validateTaskContext } from './context-schema';
import { listMessages } from './messages';
import { isAdmin, type Viewer } from './viewer';
import { sumTokenCounts, type TokenCounts } from '../../usage/token-counts';

/** Where the admin task list continues: the creation time and id of the last task shown. */
export interface AdminTaskCursor {
	createdAt: number;
	id: string;
}

/** A task as the admin task browser lists it. */
export interface AdminTaskSummary {
	id: string;
	title: string;
	status: TaskStatus;
	agentSlug: string;
	agentName: string;
	/** The owner's email, or null for an anonymous caller's task. */
	ownerEmail: string | null;
	anonymousId: string | null;
	messageCount: number;
	createdAt: Date;
	updatedAt: Date;
}

/** What the admin task list can be narrowed to. */
export interface AdminTaskListOptions {
	limit?: number;
	cursor?: AdminTaskCursor | null;
	/** The owner's email, exactly (case-insensitive). */
	userEmail?: string;
	agentSlug?: string;
}

/** Every user's tasks, newest first, a page at a time. */
export async function listAllTasks(
	db: Db,
	options: AdminTaskListOptions = {}
): Promise<{ items: AdminTaskSummary[]; nextCursor: AdminTaskCursor | null }> {
	const limit = Math.min(Math.max(options.limit ?? 30, 1), 100);
	const cursor = options.cursor;
	const rows = await db
		.select({
			id: tasks.id,
			title: tasks.title,
			status: tasks.status,
			agentSlug: agents.slug,
			agentName: agents.name,
			ownerEmail: users.email,
			anonymousId: tasks.anonymousId,
			messageCount: sql<number>`(SELECT count(*) FROM "messages" WHERE "messages"."task_id" = "tasks"."id")`,
			createdAt: tasks.createdAt,
			updatedAt: tasks.updatedAt
		})
		.from(tasks)
		.innerJoin(agents, eq(agents.id, tasks.agentId))
		.leftJoin(users, eq(users.id, tasks.userId))
		.where(
			and(
				options.userEmail ? eq(users.email, options.userEmail.trim().toLowerCase()) : undefined,
				options.agentSlug ? eq(agents.slug, options.agentSlug) : undefined,
				cursor
					? or(
							lt(tasks.createdAt, new Date(cursor.createdAt)),
							and(eq(tasks.createdAt, new Date(cursor.createdAt)), lt(tasks.id, cursor.id))
						)
					: undefined
			)
		)
		.orderBy(desc(tasks.createdAt), desc(tasks.id))
		.limit(limit + 1);
	const items = rows.slice(0, limit).map((row) => ({ ...row, messageCount: Number(row.messageCount) }));
	const last = items.at(-1);
	return {
		items,
		nextCursor: rows.length > limit && last ? { createdAt: last.createdAt.getTime(), id: last.id } : null
	};
}

/** One task as the admin pages show and edit it: the summary without the count, plus its context. */
export type AdminTaskView = Omit<AdminTaskSummary, 'messageCount'> & { context: Record<string, unknown> | null };

/** One task, any owner's, with all of its messages, for reading in admin. */
export interface AdminTaskDetail {
	task: AdminTaskView;
	messages: Message[];
	/** Token totals over the task's messages; a count no message reported is `null`. */
	totals: TokenCounts;
}

async function findTaskView(db: Db, id: string): Promise<AdminTaskView> {
	const [task] = await db
		.select({
			id: tasks.id,
			title: tasks.title,
			status: tasks.status,
			agentSlug: agents.slug,
			agentName: agents.name,
			ownerEmail: users.email,
			anonymousId: tasks.anonymousId,
			context: tasks.context,
			createdAt: tasks.createdAt,
			updatedAt: tasks.updatedAt
		})
		.from(tasks)
		.innerJoin(agents, eq(agents.id, tasks.agentId))
		.leftJoin(users, eq(users.id, tasks.userId))
		.where(eq(tasks.id, id));
	if (!task) throw new AppError('not_found', 'No such task.', { field: 'id' });
	return { ...task, context: task.context ?? null };
}

/** Any user's task with its messages; `not_found` when there is none. */
export async function getTaskForAdmin(db: Db, id: string): Promise<AdminTaskDetail> {
	const task = await findTaskView(db, id);
	const list = await listMessages(db, id);
	return { task, messages: list, totals: sumTokenCounts(list) };
}

/** What an admin may change on any task. */
export interface AdminTaskUpdate {
	status?: TaskStatus;
	/** The whole new context; `null` clears it. Checked against the agent's context schema. */
	context?: Record<string, unknown> | null;
}

/**
 * Changes any user's task's status and context, as an admin: `forbidden` for anyone else,
 * `not_found` for an unknown task, `unprocessable` (422, naming the field) when the context does
 * not match the agent's context schema. Nothing is stored unless everything is valid.
 */
export async function updateTaskAsAdmin(db: Db, viewer: Viewer, taskId: string, update: AdminTaskUpdate): Promise<AdminTaskView> {
	if (!isAdmin(viewer)) throw new AppError('forbidden', 'Only admins may edit tasks.');
	const [row] = await db
		.select({ contextSchema: agents.contextSchema })
		.from(tasks)
		.innerJoin(agents, eq(agents.id, tasks.agentId))
		.where(eq(tasks.id, taskId));
	if (!row) throw new AppError('not_found', 'No such task.', { field: 'id' });
	if (update.context !== undefined) validateTaskContext(row.contextSchema, update.context);
	const changes = {
		...(update.status !== undefined ? { status: update.status } : {}),
		...(update.context !== undefined ? { context: update.context } : {})
	};
	if (Object.keys(changes).length > 0) {
		await db
			.update(tasks)
			.set({ ...changes, updatedAt: new Date() })
			.where(eq(tasks.id, taskId));
	}
	return findTaskView(db, taskId);
}
