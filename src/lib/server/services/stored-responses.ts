import { and, asc, eq, inArray, ne } from 'drizzle-orm';
import type { Db } from '../db';
import { responseItems, responses, tasks } from '../db/schema';
import { AppError } from '../errors';
import { removeTaskFiles } from '../files/file-cleanup';
import { newId } from '../ids';
import type { OpenResponsesContext } from '../protocols/openai-responses/response-object';
import type { ActiveRun } from '../runtime/run-registry';
import { runRegistry } from '../runtime/run-registry';
import { announceTaskDeleted } from '../task-list/live-task-list';
import { findTask, ownsTask, removeTask } from './tasks';
import type { Viewer } from './viewer';

/**
 * Stored responses of the Responses face (`/v1/responses`).
 *
 * How a response maps onto Parley's own records: a response is one turn of a task. A request
 * without `previous_response_id` makes a new task; with it, the turn runs on the task of the
 * response it names (the caller's own, else 404). The turn's output is written to the task's
 * messages as any answer is (an answer continued with tool outputs keeps its message, so several
 * responses may share one). The `responses` row (id `resp_…`) keeps what the face shows of the
 * turn: the response object — the request echoed (instructions, metadata, tool_choice, tools,
 * previous_response_id, created_at), then, once the run has ended, the output, status, usage and
 * error — and its input and output items by id, for `input_items` and for `item_reference` items
 * of later requests. A caller reaches a response through its task: only the task's owner does.
 *
 * Only the latest response of a conversation can be continued (the task does not fork).
 * `store: false` keeps no row, and a task made by such a request is deleted once its run ends;
 * with `previous_response_id`, its turn stays in the stored task it continued.
 * Deleting a response removes its row; the task goes with its last response.
 */

/** A stored response row. */
export type StoredResponse = typeof responses.$inferSelect;

/** A response whose run is in progress in this process: what `GET` and `cancel` need of it. */
export interface LiveResponse {
	run: ActiveRun;
	/** A fresh context for a builder of the response's events (the same ids in each). */
	context: () => OpenResponsesContext;
	/** Settles once the run has ended and the response is stored as it ended. */
	settled: Promise<void>;
}

/** The responses whose runs are in progress here, by id. */
const live = new Map<string, LiveResponse>();

/** Marks a response as in progress until `settled` settles. */
export function trackLiveResponse(id: string, response: LiveResponse): void {
	live.set(id, response);
	void response.settled.finally(() => {
		if (live.get(id) === response) live.delete(id);
	});
}

/** The run of a response in progress here, if any. */
export function liveResponse(id: string): LiveResponse | undefined {
	return live.get(id);
}

/** The id prefix of an item of each type, for items a caller sent without an id. */
const ID_PREFIXES: Record<string, string> = {
	message: 'msg',
	function_call: 'fc',
	function_call_output: 'fco',
	reasoning: 'rs',
	mcp_approval_response: 'mcpr'
};

/** An item with its id: the caller's, else a new one. */
export function withItemId(item: Record<string, unknown>): Record<string, unknown> & { id: string } {
	const id = typeof item.id === 'string' && item.id !== '' ? item.id : `${ID_PREFIXES[String(item.type)] ?? 'item'}_${newId()}`;
	return { ...item, id };
}

/** Stores a response as it starts, with its input items. */
export async function saveResponse(
	db: Db,
	input: { id: string; taskId: string; messageId: string; body: Record<string, unknown>; items: Record<string, unknown>[] }
): Promise<void> {
	const now = new Date();
	await db
		.insert(responses)
		.values({ id: input.id, taskId: input.taskId, messageId: input.messageId, body: input.body, createdAt: now, updatedAt: now });
	await insertItems(db, input.id, 'input', input.items);
}

/** Stores a response as it ended, with its output items. */
export async function finishResponse(db: Db, id: string, body: Record<string, unknown> & { output?: unknown }): Promise<void> {
	const updated = await db
		.update(responses)
		.set({ body, updatedAt: new Date() })
		.where(eq(responses.id, id))
		.returning({ id: responses.id });
	// Deleted meanwhile: nothing to keep.
	if (updated.length === 0) return;
	const output = Array.isArray(body.output) ? (body.output as Record<string, unknown>[]) : [];
	await insertItems(db, id, 'output', output);
}

/** Inserts items of a response, in batches that stay under SQLite's bound on parameters. */
async function insertItems(db: Db, responseId: string, kind: 'input' | 'output', items: Record<string, unknown>[]): Promise<void> {
	const rows = items.map((item, position) => ({ responseId, kind, position, itemId: String(item.id ?? ''), item }));
	for (let start = 0; start < rows.length; start += 100) {
		await db
			.insert(responseItems)
			.values(rows.slice(start, start + 100))
			.onConflictDoNothing();
	}
}

/** A response of the viewer's (through its task); `not_found` on `field` otherwise, someone else's alike. */
export async function getOwnResponse(db: Db, viewer: Viewer, id: string, field?: string): Promise<StoredResponse> {
	const [row] = await db
		.select({ response: responses, task: { userId: tasks.userId, anonymousId: tasks.anonymousId } })
		.from(responses)
		.innerJoin(tasks, eq(tasks.id, responses.taskId))
		.where(eq(responses.id, id));
	if (!row || !ownsTask(viewer, row.task)) {
		throw new AppError('not_found', `No response "${id}" was found.`, field ? { field } : {});
	}
	return row.response;
}

/**
 * A response of the viewer's that a new one may continue (`previous_response_id`): `not_found`
 * as {@link getOwnResponse}, and `conflict` when its conversation has gone on past it (a later
 * response, or a message from the chat, follows its answer): the conversation forks nowhere.
 */
export async function getContinuableResponse(db: Db, viewer: Viewer, id: string, field: string): Promise<StoredResponse> {
	const row = await getOwnResponse(db, viewer, id, field);
	const task = await findTask(db, row.taskId);
	if (task?.activeLeafId !== row.messageId) {
		throw new AppError('conflict', `The conversation of "${id}" has gone on since: continue from its latest response.`, { field });
	}
	return row;
}

/**
 * The stored items of the viewer's responses with these ids (the most recent one of each id),
 * input and output alike.
 */
export async function findOwnItems(db: Db, viewer: Viewer, ids: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
	const found = new Map<string, Record<string, unknown>>();
	if (ids.length === 0) return found;
	const rows = await db
		.select({
			itemId: responseItems.itemId,
			item: responseItems.item,
			userId: tasks.userId,
			anonymousId: tasks.anonymousId
		})
		.from(responseItems)
		.innerJoin(responses, eq(responses.id, responseItems.responseId))
		.innerJoin(tasks, eq(tasks.id, responses.taskId))
		.where(inArray(responseItems.itemId, [...new Set(ids)]))
		.orderBy(asc(responses.createdAt));
	for (const row of rows) if (ownsTask(viewer, row)) found.set(row.itemId, row.item);
	return found;
}

/** The input items of a response, a page at a time. */
export async function listInputItems(
	db: Db,
	responseId: string,
	options: { limit: number; order: 'asc' | 'desc'; after?: string }
): Promise<{ data: Record<string, unknown>[]; hasMore: boolean }> {
	const rows = await db
		.select({ itemId: responseItems.itemId, item: responseItems.item })
		.from(responseItems)
		.where(and(eq(responseItems.responseId, responseId), eq(responseItems.kind, 'input')))
		.orderBy(asc(responseItems.position));
	const ordered = options.order === 'desc' ? rows.reverse() : rows;
	let start = 0;
	if (options.after !== undefined) {
		const index = ordered.findIndex((row) => row.itemId === options.after);
		if (index < 0) throw new AppError('not_found', `No input item "${options.after}" is in this response.`, { field: 'after' });
		start = index + 1;
	}
	const page = ordered.slice(start, start + options.limit);
	return { data: page.map((row) => row.item), hasMore: start + options.limit < ordered.length };
}

/**
 * Deletes a response of the viewer's (`not_found` otherwise), stopping its run: its row and
 * items go, and its task with it when no other response of the task is left.
 */
export async function deleteResponse(db: Db, viewer: Viewer, id: string): Promise<void> {
	const row = await getOwnResponse(db, viewer, id);
	const running = live.get(id);
	if (running) {
		running.run.stop('stopped');
		await running.settled;
	}
	await db.delete(responses).where(eq(responses.id, id));
	const [other] = await db
		.select({ id: responses.id })
		.from(responses)
		.where(and(eq(responses.taskId, row.taskId), ne(responses.id, id)))
		.limit(1);
	if (!other) await removeResponseTask(db, row.taskId);
}

/** Removes a task the Responses face keeps nothing of (its run stopped first), with its files. */
export async function removeResponseTask(db: Db, taskId: string): Promise<void> {
	const run = runRegistry.get(taskId);
	if (run) {
		run.stop('stopped');
		await run.finished;
	}
	const task = await findTask(db, taskId);
	await removeTaskFiles(db, taskId);
	await removeTask(db, taskId);
	if (task?.userId) await announceTaskDeleted(task.userId, taskId);
}
