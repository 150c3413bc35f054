import type { UIMessage } from 'ai';
import { and, desc, eq, lt, ne, or, sql, type Placeholder, type SQL } from 'drizzle-orm';
import { textOf } from '$lib/text-of';
import type { Db } from '../db';
import type { BatchItem } from 'drizzle-orm/batch';
import { boundQuery, jsonOrNull, nullableJsonPlaceholder, prepared, valuePlaceholder } from '../db/prepared';
import { agents, tasks, taskTombstones, type Task, type TaskRunOptions, type TaskStatus } from '../db/schema';
import { AppError } from '../errors';
import { removeTaskFiles } from '../files/file-cleanup';
import { limitAnonymousTask } from '../http/rate-limit';
import { clientTaskIdPattern, newId } from '../ids';
import { endDeletedTask } from '../live/live-tasks';
import { announceTask, announceTaskDeleted } from '../task-list/live-task-list';
import { insertMessagesQuery, type HistoryMessageInput } from './messages';
import { indexPendingSearch } from './search-index';
import { isAdmin, type Viewer } from './viewer';

export type { Task, TaskRunOptions, TaskStatus };

/** A task as lists show it. */
export interface TaskSummary {
	id: string;
	title: string;
	status: TaskStatus;
	agentId: number;
	agentSlug: string;
	agentName: string;
	/** Started from the playground (kept out of the chat sidebar). */
	playground: boolean;
	createdAt: Date;
	updatedAt: Date;
}

/** The owner columns of a task created by a viewer. */
function ownerOf(viewer: Viewer) {
	return viewer.kind === 'user' ? { userId: viewer.id, anonymousId: null } : { userId: null, anonymousId: viewer.anonymousId };
}

/** Whether a viewer owns a task. */
export function ownsTask(viewer: Viewer, task: Pick<Task, 'userId' | 'anonymousId'>): boolean {
	return viewer.kind === 'user' ? task.userId === viewer.id : task.anonymousId === viewer.anonymousId;
}

/** Makes a short title from the first words of a message. */
export function titleFrom(text: string, maxLength = 60): string {
	const words = text.replace(/\s+/g, ' ').trim();
	if (words.length <= maxLength) return words;
	// Look one character past the limit, so that a word ending exactly at it is kept.
	const cut = words.slice(0, maxLength + 1);
	const lastSpace = cut.lastIndexOf(' ');
	return `${(lastSpace > maxLength / 2 ? cut.slice(0, lastSpace) : cut.slice(0, maxLength)).trimEnd()}…`;
}

/** The title a task takes from a question: its first words, or "New task" when it has no text. */
export function questionTitle(parts: UIMessage['parts']): string {
	return titleFrom(textOf(parts, ' ')) || 'New task';
}

/** The message of the database trigger that refuses the id of a deleted task (drizzle/0005). */
const TOMBSTONE_MESSAGE = 'parley: the task id belonged to a deleted task';

/** Whether an error (or one of its causes: drizzle wraps the driver's) is the tombstone trigger's. */
function isTombstoneRefusal(error: unknown): boolean {
	for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
		if (cause.message.includes(TOMBSTONE_MESSAGE)) return true;
	}
	return false;
}

/** What a new task is made of. */
export interface NewTaskInput {
	viewer: Viewer;
	agentId: number;
	id?: string;
	title?: string;
	context?: Record<string, unknown> | null;
	teamId?: string | null;
	driver?: Task['driver'];
	runOptions?: TaskRunOptions | null;
}

/** Checks a new task's id and its caller's allowance, and makes the row it will be stored as. */
async function newTaskValues(input: NewTaskInput) {
	if (input.id !== undefined && !clientTaskIdPattern.test(input.id)) {
		throw new AppError('invalid_input', 'A task id must be 8–64 letters, digits, "_" or "-".', { field: 'id' });
	}
	if (input.viewer.kind === 'anonymous') await limitAnonymousTask(input.viewer);
	const now = new Date();
	return {
		id: input.id ?? newId(),
		agentId: input.agentId,
		...ownerOf(input.viewer),
		title: input.title ?? '',
		context: input.context ?? null,
		teamId: input.teamId ?? null,
		driver: input.driver ?? 'auto',
		runOptions: input.runOptions ?? null,
		playground: input.viewer.playground === true,
		createdAt: now,
		updatedAt: now
	};
}

/** The conflict a failed insert of a new task means (its id is taken, or was a deleted task's); undefined for another failure. */
export function newTaskConflict(error: unknown, id: string): AppError | undefined {
	if (isIdTaken(error)) return new AppError('conflict', 'That task id is already taken.', { field: 'id' });
	if (isTombstoneRefusal(error)) {
		return new AppError('conflict', `The task id "${id}" belonged to a deleted task and cannot be used again.`, { field: 'id' });
	}
	return undefined;
}

/**
 * Creates a task. A proposed id must match `[A-Za-z0-9_-]{8,64}` and be unused (`conflict`
 * otherwise); the id of a deleted task is never used again (`conflict` too), so that nothing
 * bound to that task follows the id to a new one. An anonymous caller's task counts against its
 * address's `ANONYMOUS_TASKS_PER_HOUR` (429 when over). A viewer calling from the playground
 * makes a playground task. `history` is stored in the same transaction: the task and its
 * history are made together, or not at all.
 */
export async function createTask(db: Db, input: NewTaskInput & { history?: readonly HistoryMessageInput[] }): Promise<Task> {
	const values = await newTaskValues(input);
	let task: Task | undefined;
	try {
		const history = insertMessagesQuery(db, values.id, input.history ?? []);
		if (history) {
			// A taken id fails the whole batch, so that no history is ever added to another task.
			[[task]] = await db.batch([db.insert(tasks).values(values).returning(), history]);
		} else {
			[task] = await db.insert(tasks).values(values).onConflictDoNothing({ target: tasks.id }).returning();
		}
	} catch (error) {
		throw newTaskConflict(error, values.id) ?? error;
	}
	if (!task) throw new AppError('conflict', 'That task id is already taken.', { field: 'id' });
	return task;
}

/**
 * A new task checked as {@link createTask} checks it, not yet stored: the task as it will be, and
 * its insert, to run in the transaction that stores its first question (a taken id then fails
 * that transaction; {@link newTaskConflict} says so).
 */
export async function prepareNewTask(db: Db, input: NewTaskInput): Promise<{ task: Task; insert: BatchItem<'sqlite'> }> {
	const values = await newTaskValues(input);
	return { task: { ...values, status: 'active', activeLeafId: null }, insert: insertTaskQuery(db, values) };
}

/** The columns of a new task's row, as {@link newTaskValues} makes them. */
type NewTaskRow = Awaited<ReturnType<typeof newTaskValues>>;

const insertTask = (db: Db) =>
	db
		.insert(tasks)
		.values({
			id: sql.placeholder('id'),
			agentId: sql.placeholder('agentId'),
			userId: sql.placeholder('userId'),
			anonymousId: sql.placeholder('anonymousId'),
			title: sql.placeholder('title'),
			context: nullableJsonPlaceholder('context'),
			teamId: sql.placeholder('teamId'),
			driver: sql.placeholder('driver'),
			runOptions: nullableJsonPlaceholder('runOptions'),
			playground: sql.placeholder('playground'),
			createdAt: sql.placeholder('createdAt'),
			updatedAt: sql.placeholder('updatedAt')
		} satisfies Record<keyof NewTaskRow, Placeholder | SQL>)
		.prepare();

/** The insert of a new task's row, not yet run (for `db.batch`). */
function insertTaskQuery(db: Db, values: NewTaskRow): BatchItem<'sqlite'> {
	return boundQuery(prepared(db, insertTask), {
		...values,
		context: jsonOrNull(values.context),
		runOptions: jsonOrNull(values.runOptions)
	});
}

/** Whether an error (or one of its causes) is the unique constraint on task ids. */
function isIdTaken(error: unknown): boolean {
	for (let cause = error, depth = 0; cause instanceof Error && depth < 5; cause = cause.cause, depth++) {
		if (/UNIQUE constraint failed: tasks\.id/.test(cause.message)) return true;
	}
	return false;
}

/** Stores a task's run options (whether every tool call goes to the caller); unchanged options write nothing. */
export async function setTaskRunOptions(db: Db, task: Task, runOptions: TaskRunOptions): Promise<Task> {
	const current = task.runOptions ?? {};
	const changed = (Object.keys(runOptions) as (keyof TaskRunOptions)[]).some(
		(key) => (current[key] ?? false) !== (runOptions[key] ?? false)
	);
	if (!changed) return task;
	const merged = { ...task.runOptions, ...runOptions };
	await db.update(tasks).set({ runOptions: merged }).where(eq(tasks.id, task.id));
	return { ...task, runOptions: merged };
}

/** Finds a task by id, whoever owns it. */
export async function findTask(db: Db, id: string): Promise<Task | undefined> {
	return prepared(db, taskById).get({ id });
}

const taskById = (db: Db) =>
	db
		.select()
		.from(tasks)
		.where(eq(tasks.id, sql.placeholder('id')))
		.prepare();

/**
 * A task the viewer owns (or, with `allowAdmin`, any task for an admin). Someone else's task is
 * reported exactly like a missing one.
 */
export async function getOwnTask(
	db: Db,
	viewer: Viewer,
	id: string,
	options: { allowAdmin?: boolean; field?: string } = {}
): Promise<Task> {
	const task = await findTask(db, id);
	if (!task || !(ownsTask(viewer, task) || (options.allowAdmin && isAdmin(viewer)))) {
		throw new AppError('not_found', `No task "${id}" was found.`, { field: options.field ?? 'taskId' });
	}
	return task;
}

/** The update that marks a task as changed now (and titles it when it has no title), not yet run. */
export function touchTaskQuery(db: Db, id: string, titleWhenEmpty?: string): BatchItem<'sqlite'> {
	const { query, values } = taskTouch(db, id, titleWhenEmpty);
	return boundQuery(query, values);
}

/** Marks a task as changed now, and sets its title when it has none. */
export async function touchTask(db: Db, id: string, titleWhenEmpty?: string): Promise<void> {
	const { query, values } = taskTouch(db, id, titleWhenEmpty);
	await query.run(values);
}

const touchTaskAt = (db: Db) =>
	db
		.update(tasks)
		.set({ updatedAt: valuePlaceholder<Date>('now') })
		.where(eq(tasks.id, sql.placeholder('id')))
		.prepare();

const touchTaskTitled = (db: Db) =>
	db
		.update(tasks)
		.set({
			updatedAt: valuePlaceholder<Date>('now'),
			title: sql`CASE WHEN ${tasks.title} = '' THEN ${sql.placeholder('title')} ELSE ${tasks.title} END`
		})
		.where(eq(tasks.id, sql.placeholder('id')))
		.prepare();

/** The prepared update marking a task as changed, and the values it takes. */
function taskTouch(db: Db, id: string, titleWhenEmpty: string | undefined) {
	return { query: prepared(db, titleWhenEmpty ? touchTaskTitled : touchTaskAt), values: { id, now: new Date(), title: titleWhenEmpty } };
}

/** An opaque position in a task list: the last task's update time and id. */
export interface TaskCursor {
	updatedAt: number;
	id: string;
}

/**
 * An FTS5 query from what a person typed: each word must appear, as a prefix, so that "tid"
 * finds "tides". Quotes and operators are never passed through. Null when there is no word.
 */
export function toSearchQuery(text: string): string | null {
	const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
	if (words.length === 0) return null;
	return words
		.slice(0, 12)
		.map((word) => `"${word}"*`)
		.join(' ');
}

/** Which tasks a list shows by where they were started: `chats` leaves out playground tasks. */
export const taskSources = ['all', 'chats', 'playground'] as const;
export type TaskSource = (typeof taskSources)[number];

/** What a task list can be narrowed to. */
export interface TaskListOptions {
	/** Every task (the default), only those not started from the playground, or only those. */
	source?: TaskSource;
	limit?: number;
	cursor?: TaskCursor | null;
	agentId?: number;
	status?: TaskStatus;
	/** Leaves out archived tasks (when no `status` is asked for). */
	hideArchived?: boolean;
	/** Words to find in titles and message text. */
	query?: string;
}

/** The viewer's tasks, most recently updated first, a page at a time. */
export async function listTasks(
	db: Db,
	viewer: Viewer,
	options: TaskListOptions = {}
): Promise<{ items: TaskSummary[]; nextCursor: TaskCursor | null }> {
	const limit = Math.min(Math.max(options.limit ?? 30, 1), 100);
	const owner = viewer.kind === 'user' ? eq(tasks.userId, viewer.id) : eq(tasks.anonymousId, viewer.anonymousId);
	const cursor = options.cursor;
	const search = options.query ? toSearchQuery(options.query) : null;
	// A search sees every write made before it: documents still waiting for their batch are indexed
	// first. Should that fail (another process holding the database too long), it searches what is indexed.
	if (search !== null) {
		await indexPendingSearch(db).catch((error: unknown) => console.error('[parley] indexing tasks for search failed:', error));
	}
	const rows = await db
		.select({
			id: tasks.id,
			title: tasks.title,
			status: tasks.status,
			agentId: tasks.agentId,
			agentSlug: agents.slug,
			agentName: agents.name,
			playground: tasks.playground,
			createdAt: tasks.createdAt,
			updatedAt: tasks.updatedAt
		})
		.from(tasks)
		.innerJoin(agents, eq(agents.id, tasks.agentId))
		.where(
			and(
				owner,
				options.source === 'chats' ? eq(tasks.playground, false) : undefined,
				options.source === 'playground' ? eq(tasks.playground, true) : undefined,
				options.agentId !== undefined ? eq(tasks.agentId, options.agentId) : undefined,
				options.status !== undefined ? eq(tasks.status, options.status) : undefined,
				options.status === undefined && options.hideArchived ? ne(tasks.status, 'archived') : undefined,
				search !== null ? sql`${tasks.id} IN (SELECT task_id FROM task_search WHERE task_search MATCH ${search})` : undefined,
				cursor
					? or(
							lt(tasks.updatedAt, new Date(cursor.updatedAt)),
							and(eq(tasks.updatedAt, new Date(cursor.updatedAt)), lt(tasks.id, cursor.id))
						)
					: undefined
			)
		)
		.orderBy(desc(tasks.updatedAt), desc(tasks.id))
		.limit(limit + 1);
	const items = rows.slice(0, limit);
	const last = items.at(-1);
	return {
		items,
		nextCursor: rows.length > limit && last ? { updatedAt: last.updatedAt.getTime(), id: last.id } : null
	};
}

/**
 * Runs what follows the making of a task for one request. When it fails, the task that request
 * made (and anything stored in it) is removed again, so that a refused request leaves nothing
 * behind. `newTaskId` is null when the task existed before the request (or says, when called,
 * which task the request has stored by the time it fails).
 */
export async function undoNewTaskOnFailure<T>(db: Db, newTaskId: string | null | (() => string | null), run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (error) {
		// A function says it when the failure comes: the task may be stored only along the way.
		const id = typeof newTaskId === 'function' ? newTaskId() : newTaskId;
		if (id) await undoNewTask(db, id);
		throw error;
	}
}

/**
 * Removes a task a failed request has just made, as if it had never been made: whatever started
 * following it meanwhile ends, then its id is free again (a client may retry with the id it
 * chose). When the followers cannot be told, the id stays a tombstone.
 */
async function undoNewTask(db: Db, id: string): Promise<void> {
	if (await removeTask(db, id)) await db.delete(taskTombstones).where(eq(taskTombstones.id, id));
}

/**
 * Deletes a task, whoever owns it (stop its run first): its messages go with it, its files stay
 * (unlinked), its id is kept as a tombstone no new task may take, and whatever follows it ends,
 * in every process: live subscriptions (`tasks.live`) fail as not found and chat sockets bound to
 * it close with 4404. Resolves to whether the followers were told (a failure is logged: the
 * tombstone alone keeps them from ever seeing another task).
 */
export async function removeTask(db: Db, id: string): Promise<boolean> {
	await db.delete(tasks).where(eq(tasks.id, id));
	try {
		await endDeletedTask(id);
		return true;
	} catch (error) {
		console.error(`[parley] could not end what follows the deleted task ${id}`, error);
		return false;
	}
}

/** Renames a task of the viewer's. */
export async function renameTask(db: Db, viewer: Viewer, id: string, title: string): Promise<void> {
	await getOwnTask(db, viewer, id);
	await db.update(tasks).set({ title: title.trim() }).where(eq(tasks.id, id));
	await announceTask(db, id);
}

/** Sets a task's status (active, completed or archived). */
export async function setTaskStatus(db: Db, viewer: Viewer, id: string, status: TaskStatus): Promise<void> {
	await getOwnTask(db, viewer, id);
	await db.update(tasks).set({ status }).where(eq(tasks.id, id));
	await announceTask(db, id);
}

/** Deletes a task of the viewer's with its files, as {@link removeTask} does. */
export async function deleteTask(db: Db, viewer: Viewer, id: string): Promise<void> {
	const task = await getOwnTask(db, viewer, id);
	await removeTaskFiles(db, id);
	await removeTask(db, id);
	if (task.userId) await announceTaskDeleted(task.userId, id);
}
