import { asc, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { messages, type Message, type MessageRole } from '../db/schema';
import { toUIMessage } from '../services/messages';
import type { LiveMessage } from './task-event';

/** A task's message ids and roles in order, without their content. */
export function messageOrder(db: Db, taskId: string): Promise<{ id: string; role: MessageRole }[]> {
	return db
		.select({ id: messages.id, role: messages.role })
		.from(messages)
		.where(eq(messages.taskId, taskId))
		.orderBy(asc(messages.position));
}

/** The messages with these ids, in the order of `ids`. */
export async function messagesWithIds(db: Db, ids: string[]): Promise<Message[]> {
	if (ids.length === 0) return [];
	const rows = await db.select().from(messages).where(inArray(messages.id, ids));
	const byId = new Map(rows.map((row) => [row.id, row]));
	return ids.flatMap((id) => byId.get(id) ?? []);
}

/** The form of a stored message that viewers of its task are sent. */
export function toLiveMessage(message: Message): LiveMessage {
	return {
		...toUIMessage(message),
		status: message.status,
		error: message.error,
		model: message.model,
		inputTokens: message.inputTokens,
		outputTokens: message.outputTokens,
		createdAt: message.createdAt.getTime()
	};
}
