import type { UIMessage } from 'ai';
import { and, asc, eq, gte, sql } from 'drizzle-orm';
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
	const kind = input.kind ?? (input.role === 'assistant' ? 'agent' : input.role);
	return db
		.insert(messages)
		.values({
			id: input.id ?? newId(),
			taskId: input.taskId,
			position: sql`(SELECT COALESCE(MAX(${messages.position}) + 1, 0) FROM ${messages} WHERE ${messages.taskId} = ${input.taskId})`,
			role: input.role,
			kind,
			parts: input.parts,
			status: input.status ?? 'complete',
			model: input.model ?? null,
			metadata: input.metadata ?? null
		})
		.returning();
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
