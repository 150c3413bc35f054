/**
 * The answers to tool calls that wait for the caller: stored while others still wait, and the
 * last one continues the answer with a new run.
 */
import type { UIMessage } from 'ai';
import { AppError } from '../errors';
import { listMessages, updateMessage } from '../services/messages';
import type { ToolPart } from '../runtime/message-parts';
import { runRegistry, type ActiveRun } from '../runtime/run-registry';
import { applyAnswers, isWrittenByAgent, pendingToolCalls, sortAnswers, type ToolCallAnswer } from '../runtime/turn-request';
import type { TurnInput } from '../runtime/turn-input';
import { serverToolsOf, turnTools } from '../runtime/turn-tools';
import { startTurn } from '../runtime/start-turn';

/**
 * Answers tool calls that wait for the caller, one request at a time: while others still wait,
 * the answers are stored and nothing runs (`run` is null, `pending` lists what still waits); the
 * last answer continues the same assistant message with a new run. Each answer names a call of
 * the task's last stored answer by its id; what runs is that stored call, its tool and input as
 * stored. Outputs are taken only for tools the caller runs, and approvals of a server tool only
 * for calls the agent's own run made (`invalid_input` otherwise). `parts` are the answer's parts
 * with the answers applied.
 */
export async function answerToolCalls(
	input: Omit<TurnInput, 'request'> & { answers: ToolCallAnswer[] }
): Promise<{ run: ActiveRun | null; messageId: string; pending: ToolPart[]; parts: UIMessage['parts'] }> {
	const { db, task, answers } = input;
	if ((input.registry ?? runRegistry).get(task.id)) {
		throw new AppError('conflict', 'This task is still answering; wait for it to ask for tool outputs.');
	}
	const last = (await listMessages(db, task.id)).at(-1);
	if (!last || last.role !== 'assistant' || pendingToolCalls(last.parts).length === 0) {
		throw new AppError('not_found', 'No tool call of this task is waiting for an answer.', { field: 'call_id' });
	}
	const sorted = sortAnswers(last.parts, answers);
	const serverTools = serverToolsOf(turnTools(input).tools);
	const parts = answerFieldsAsCallId(() => applyAnswers(last.parts, sorted, { serverTools, writtenByAgent: isWrittenByAgent(last) }));
	const pending = pendingToolCalls(parts);
	if (pending.length > 0) {
		await updateMessage(db, last.id, { parts });
		return { run: null, messageId: last.id, pending, parts };
	}
	const run = await startTurn({ ...input, request: { type: 'continue', messageId: last.id, ...sorted } });
	return { run, messageId: last.id, pending: [], parts };
}

/** Runs `apply`, naming the answer at fault `call_id` in its errors, as the rest of {@link answerToolCalls} does. */
function answerFieldsAsCallId<T>(apply: () => T): T {
	try {
		return apply();
	} catch (error) {
		if (error instanceof AppError && (error.field === 'toolCallId' || error.field === 'approvalId')) {
			throw new AppError(error.code, error.message, { ...error.options, field: 'call_id' });
		}
		throw error;
	}
}
