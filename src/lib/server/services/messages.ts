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

/** Deletes the messages of a task from a position on (an edited question drops what followed it). */
export async function deleteMessagesFrom(db: Db, taskId: string, position: number): Promise<void> {
	await db.delete(messages).where(and(eq(messages.taskId, taskId), gte(messages.position, position)));
}

/** Appends a message at the end of a task; the position is taken inside the insert. */
export async function appendMessage(
	db: Db,
	input: {
		taskId: string;
		role: MessageRole;
		kind?: MessageKind;
		parts: StoredParts;
		status?: MessageStatus;
		model?: string | null;
		id?: string;
		metadata?: Record<string, unknown> | null;
	}
): Promise<Message> {
	const kind = input.kind ?? (input.role === 'assistant' ? 'agent' : input.role);
	const [message] = await db
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
	return message;
}

/** Updates what a message holds so far: its parts, status, error and usage. */
export async function updateMessage(
	db: Db,
	id: string,
	changes: Partial<Pick<Message, 'parts' | 'status' | 'error' | 'inputTokens' | 'outputTokens' | 'model' | 'metadata'>>
): Promise<void> {
	await db.update(messages).set(changes).where(eq(messages.id, id));
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
		.returning({ id: messages.id });
	return rows.length;
}
