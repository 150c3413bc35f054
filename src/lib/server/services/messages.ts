import type { UIMessage } from 'ai';
import { and, asc, eq, gte, inArray, sql } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Db } from '../db';
import { messages, type Message, type MessageKind, type MessageRole, type MessageStatus, type StoredParts } from '../db/schema';
import { newId } from '../ids';

/** The UIMessage form of a stored message. */
export function toUIMessage(message: Message): UIMessage {
	return { id: message.id, role: message.role, parts: message.parts };
}

/** The messages of a task in order. */
export function listMessages(db: Db, taskId: string): Promise<Message[]> {
	return db.select().from(messages).where(eq(messages.taskId, taskId)).orderBy(asc(messages.position));
}

/** Whether a message id is already used, in any task. */
export async function messageIdExists(db: Db, id: string): Promise<boolean> {
	const rows = await db.select({ id: messages.id }).from(messages).where(eq(messages.id, id));
	return rows.length > 0;
}

/** Ids per `IN (…)` list: far below SQLite's limit on bound parameters. */
const CHUNK_SIZE = 200;

/** Which of some message ids are already used, in any task; one query per 200 ids. */
export async function existingMessageIds(db: Db, ids: readonly string[]): Promise<Set<string>> {
	const found = new Set<string>();
	for (let start = 0; start < ids.length; start += CHUNK_SIZE) {
		const chunk = ids.slice(start, start + CHUNK_SIZE);
		const rows = await db.select({ id: messages.id }).from(messages).where(inArray(messages.id, chunk));
		for (const row of rows) found.add(row.id);
	}
	return found;
}

/** The delete of a task's messages from a position on (an edited question drops what followed), not yet run. */
export function deleteMessagesQuery(db: Db, taskId: string, position: number) {
	return db.delete(messages).where(and(eq(messages.taskId, taskId), gte(messages.position, position)));
}

/** What a new message holds. */
export interface NewMessageInput {
	taskId: string;
	role: MessageRole;
	kind?: MessageKind;
	parts: StoredParts;
	status?: MessageStatus;
	model?: string | null;
	id?: string;
	metadata?: Record<string, unknown> | null;
}

/**
 * The insert of a message at the end of a task, not yet run (for `db.batch`); the position is
 * taken inside the insert.
 */
export function insertMessage(db: Db, input: NewMessageInput) {
	return db
		.insert(messages)
		.values({
			...rowOf(input),
			position: sql`(SELECT COALESCE(MAX(${messages.position}) + 1, 0) FROM ${messages} WHERE ${messages.taskId} = ${input.taskId})`
		})
		.returning();
}

/** The values of a new message's row, its position left to the insert. */
function rowOf(input: NewMessageInput) {
	return {
		id: input.id ?? newId(),
		taskId: input.taskId,
		role: input.role,
		kind: input.kind ?? (input.role === 'assistant' ? ('agent' as const) : input.role),
		parts: input.parts,
		status: input.status ?? 'complete',
		model: input.model ?? null,
		metadata: input.metadata ?? null
	};
}

/** A message of a task's history to append, its task given once for all. */
export type HistoryMessageInput = Omit<NewMessageInput, 'taskId'>;

/** The columns `insertMessagesQuery` fills, by name; the others keep their defaults. */
const historyColumns = [
	messages.id,
	messages.taskId,
	messages.position,
	messages.role,
	messages.kind,
	messages.parts,
	messages.status,
	messages.model,
	messages.metadata,
	messages.createdAt,
	messages.updatedAt
].map((column) => sql.identifier(column.name));

/**
 * The insert of messages at the end of a task, in their order, as one statement, not yet run
 * (for `db.batch`); `null` for no messages. The rows travel as one JSON parameter read with
 * `json_each`, so that a long history is one statement with three parameters, whatever its
 * length; the task's next free position is read once, by the same statement, and row `n` takes
 * it plus `n` (an insert that reads its own table reads all it needs before writing). The JSON
 * columns hold `JSON.stringify` text, as Drizzle writes them.
 */
export function insertMessagesQuery(db: Db, taskId: string, inputs: readonly HistoryMessageInput[]) {
	if (inputs.length === 0) return null;
	const rows = inputs.map((input) => {
		const row = rowOf({ ...input, taskId });
		return {
			id: row.id,
			role: row.role,
			kind: row.kind,
			parts: JSON.stringify(row.parts),
			status: row.status,
			model: row.model,
			metadata: row.metadata === null ? null : JSON.stringify(row.metadata)
		};
	});
	const now = Date.now();
	const field = (name: keyof (typeof rows)[number]) => sql.raw(`json_extract(item.value, '$.${name}')`);
	return db.run(sql`INSERT INTO ${messages} (${sql.join(historyColumns, sql`, `)})
SELECT ${field('id')}, ${taskId}, base.position + item.key, ${field('role')}, ${field('kind')}, ${field('parts')},
	${field('status')}, ${field('model')}, ${field('metadata')}, ${now}, ${now}
FROM json_each(${JSON.stringify(rows)}) AS item,
	(SELECT COALESCE(MAX(${messages.position}) + 1, 0) AS position FROM ${messages} WHERE ${messages.taskId} = ${taskId}) AS base`);
}

/**
 * Appends messages at the end of a task in one batch, one transaction, with `also` (e.g. a title)
 * run in the same batch after them; all or nothing.
 */
export async function appendMessages(
	db: Db,
	taskId: string,
	inputs: readonly HistoryMessageInput[],
	also: readonly BatchItem<'sqlite'>[] = []
): Promise<void> {
	const insert = insertMessagesQuery(db, taskId, inputs);
	const [first, ...rest] = [...(insert ? [insert] : []), ...also];
	if (first) await db.batch([first, ...rest]);
}

/** Appends a message at the end of a task. */
export async function appendMessage(db: Db, input: NewMessageInput): Promise<Message> {
	const [message] = await insertMessage(db, input);
	return message;
}

/** Changes to what a message holds: its parts, kind, status, error and usage. */
export type MessageChanges = Partial<
	Pick<Message, 'parts' | 'status' | 'error' | 'inputTokens' | 'outputTokens' | 'model' | 'metadata' | 'kind'>
>;

/** The update of a message, not yet run (for `db.batch`). */
export function updateMessageQuery(db: Db, id: string, changes: MessageChanges) {
	return db.update(messages).set(changes).where(eq(messages.id, id));
}

/** Updates what a message holds so far: its parts, status, error and usage. */
export async function updateMessage(db: Db, id: string, changes: MessageChanges): Promise<void> {
	await updateMessageQuery(db, id, changes);
}

/**
 * Marks answers left `streaming` by a process that stopped without finishing them as
 * `interrupted`, so that they read as what they are. Call at start-up, before any run begins.
 */
export async function markAbandonedAnswers(db: Db): Promise<number> {
	const rows = await db
		.update(messages)
		.set({ status: 'interrupted', error: 'The server stopped before this answer was finished.' })
		.where(eq(messages.status, 'streaming'))
		.returning({ id: messages.id, parts: messages.parts });
	// What was stored mid-stream reads as finished, as in an answer someone stopped.
	const [first, ...rest] = rows
		.filter((row) => row.parts.some(isStreamingPart))
		.map((row) => updateMessageQuery(db, row.id, { parts: row.parts.map(closedPart) }));
	if (first) await db.batch([first, ...rest]);
	return rows.length;
}

type StoredPart = StoredParts[number];

/** Whether a stored part is text or reasoning that was still streaming when it was stored. */
function isStreamingPart(part: StoredPart): boolean {
	return (part.type === 'text' || part.type === 'reasoning') && part.state === 'streaming';
}

/** A stored part with its streaming text or reasoning marked done. */
function closedPart(part: StoredPart): StoredPart {
	return (part.type === 'text' || part.type === 'reasoning') && part.state === 'streaming' ? { ...part, state: 'done' } : part;
}
