import { isDeepEqualData } from 'ai';
import { and, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { messages, tasks, type Task } from '../db/schema';
import { isToolPart, type ToolPart } from '../runtime/message-parts';
import { pendingToolCalls } from '../runtime/turn-request';
import type { Viewer } from './viewer';

/** A call of a tool the server runs, as a caller sent it back: which task waits for it? */
export interface SentCall {
	toolCallId: string;
	toolName: string;
	input: unknown;
}

/** Whether a stored waiting call is the call a caller sent back: same id, same tool, same input. */
function isSameCall(part: ToolPart, call: SentCall): boolean {
	return part.toolCallId === call.toolCallId && part.type === `tool-${call.toolName}` && isDeepEqualData(part.input, call.input);
}

/**
 * The caller's task whose last answer, written by the agent, waits for exactly these calls of the
 * agent's server tools, as the caller sent them back: same ids, tools and inputs. OpenAI clients
 * send the whole history without a task id; this is how their answer to an approval finds the
 * answer the agent paused, so that the stored call (never the caller's copy) continues. Only the
 * caller's `recentTasks` most recently changed tasks of the agent are searched; among several
 * that wait for such calls the most recent is taken; none is `null`.
 */
export async function findTaskWaitingFor(
	db: Db,
	viewer: Viewer,
	agentId: number,
	calls: readonly SentCall[],
	recentTasks: number
): Promise<Task | null> {
	const [first] = calls;
	if (!first) return null;
	const owner = viewer.kind === 'user' ? eq(tasks.userId, viewer.id) : eq(tasks.anonymousId, viewer.anonymousId);
	const recent = db
		.select({ id: tasks.id })
		.from(tasks)
		.where(and(owner, eq(tasks.agentId, agentId)))
		.orderBy(desc(tasks.updatedAt))
		.limit(recentTasks);
	// A cheap text match on the stored parts picks the candidates; the parts themselves decide.
	const needle = `"toolCallId":${JSON.stringify(first.toolCallId)}`;
	const rows = await db
		.select({ task: tasks, parts: messages.parts })
		.from(messages)
		.innerJoin(tasks, eq(tasks.id, messages.taskId))
		.where(
			and(
				inArray(tasks.id, recent),
				eq(messages.role, 'assistant'),
				isNotNull(messages.model),
				sql`instr(${messages.parts}, ${needle}) > 0`,
				// The end of the task's history: its active leaf.
				eq(messages.id, tasks.activeLeafId)
			)
		)
		.orderBy(desc(tasks.updatedAt));
	for (const { task, parts } of rows) {
		const waiting = pendingToolCalls(parts).filter(isToolPart);
		if (calls.every((call) => waiting.some((part) => isSameCall(part, call)))) return task;
	}
	return null;
}
