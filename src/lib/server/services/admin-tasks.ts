import { and, desc, eq, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { agents, tasks, users, type Message, type TaskStatus } from '../db/schema';
import { AppError } from '../errors';
import { listMessages } from './messages';

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

/** One task, any owner's, with all of its messages, for reading in admin. */
export interface AdminTaskDetail {
	task: Omit<AdminTaskSummary, 'messageCount'>;
	messages: Message[];
	/** Token totals over the task's messages. */
	totals: { inputTokens: number; outputTokens: number };
}

/** Any user's task with its messages; `not_found` when there is none. */
export async function getTaskForAdmin(db: Db, id: string): Promise<AdminTaskDetail> {
	const [task] = await db
		.select({
			id: tasks.id,
			title: tasks.title,
			status: tasks.status,
			agentSlug: agents.slug,
			agentName: agents.name,
			ownerEmail: users.email,
			anonymousId: tasks.anonymousId,
			createdAt: tasks.createdAt,
			updatedAt: tasks.updatedAt
		})
		.from(tasks)
		.innerJoin(agents, eq(agents.id, tasks.agentId))
		.leftJoin(users, eq(users.id, tasks.userId))
		.where(eq(tasks.id, id));
	if (!task) throw new AppError('not_found', 'No such task.', { field: 'id' });
	const list = await listMessages(db, id);
	const totals = list.reduce(
		(sum, message) => ({
			inputTokens: sum.inputTokens + (message.inputTokens ?? 0),
			outputTokens: sum.outputTokens + (message.outputTokens ?? 0)
		}),
		{ inputTokens: 0, outputTokens: 0 }
	);
	return { task, messages: list, totals };
}
