import { and, asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { messages, type Message, type MessageRole } from '../db/schema';
import { activeBranchIds, messageVersions, partsForViewers } from '../services/messages';
import type { LiveMessage } from './task-event';

/** The message ids and roles of a task's history (its active branch) in order, without their content. */
export function messageOrder(db: Db, taskId: string): Promise<{ id: string; role: MessageRole }[]> {
	return db
		.select({ id: messages.id, role: messages.role })
		.from(messages)
		.where(and(eq(messages.taskId, taskId), inArray(messages.id, activeBranchIds(taskId))))
		.orderBy(asc(messages.position));
}

/** The messages with these ids, in the order of `ids`. */
export async function messagesWithIds(db: Db, ids: string[]): Promise<Message[]> {
	if (ids.length === 0) return [];
	const rows = await db.select().from(messages).where(inArray(messages.id, ids));
	const byId = new Map(rows.map((row) => [row.id, row]));
	return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The form of a stored message that viewers of its task are sent, with its versions when it has several. */
export function toLiveMessage(message: Message, versions?: string[]): LiveMessage {
	return {
		id: message.id,
		role: message.role,
		parts: partsForViewers(message.parts),
		status: message.status,
		error: message.error,
		model: message.model,
		inputTokens: message.inputTokens,
		outputTokens: message.outputTokens,
		reasoningTokens: message.reasoningTokens,
		cachedInputTokens: message.cachedInputTokens,
		createdAt: message.createdAt.getTime(),
		...(versions && versions.length > 1 ? { versions } : {})
	};
}

/** Stored messages of a task as viewers are sent them, each with its versions. */
export async function toLiveMessages(db: Db, taskId: string, rows: Message[]): Promise<LiveMessage[]> {
	const versions = await messageVersions(db, taskId, rows);
	return rows.map((row) => toLiveMessage(row, versions.get(row.id)));
}
