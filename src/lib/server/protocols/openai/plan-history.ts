import type { UIMessage } from 'ai';
import { AppError } from '../../errors';
import { pendingToolCalls, type ToolCallAnswer } from '../../runtime/turn-request';
import type { ConvertedHistory, ServerCall, StoredDraft } from './to-stored-messages';

/** What a completion request does with a task: messages to store, then how the agent answers. */
export type HistoryPlan =
	/** Store these messages, then answer the history as it stands. */
	| { kind: 'respond'; append: StoredDraft[] }
	/** Store these messages, then answer pending tool calls of the last answer, which continues. */
	| { kind: 'answer'; append: StoredDraft[]; answers: ToolCallAnswer[] };

/** `invalid_input` for an answer to a call of a server tool that no stored answer waits for. */
function strayServerCall(call: ServerCall): AppError {
	const what = call.answered ? `The tool message answers "${call.toolCallId}", a call` : `The call "${call.toolCallId}"`;
	return new AppError(
		'invalid_input',
		`${what} of the agent's tool "${call.toolName}" that no stored answer of yours waits for: the agent's tools run only for calls the agent made. To approve one, send the history it came in, or its task's id (X-Parley-Task-Id) in metadata.task_id.`,
		{ field: call.field }
	);
}

/**
 * Works out what to store from the history a caller sent, given what its task already holds
 * (`null` for a new task). Only the messages after the stored ones are new (compared by
 * position). When the history ends with tool results answering calls that wait in the stored
 * last answer, nothing is stored and those answers continue it (the stored calls, whatever the
 * caller's copy says). `invalid_input` when nothing is new, or when the trailing tool results
 * answer a call of a tool the server runs that the stored answer does not wait for: such a call
 * was not made by the agent, and is neither stored as waiting nor run.
 */
export function planHistory(
	converted: ConvertedHistory,
	stored: readonly { role: string; parts: UIMessage['parts'] }[] | null
): HistoryPlan {
	const storedLast = stored?.at(-1);
	const waiting = new Set(storedLast?.role === 'assistant' ? pendingToolCalls(storedLast.parts).map((part) => part.toolCallId) : []);
	if (converted.trailingAnswers.length > 0) {
		const answers = converted.trailingAnswers.filter((answer) => waiting.has(answer.toolCallId));
		if (answers.length > 0) {
			const stray = converted.serverCalls.find((call) => call.answered && !waiting.has(call.toolCallId));
			if (stray) throw strayServerCall(stray);
			return { kind: 'answer', append: [], answers };
		}
	}
	// Whatever the history appends is the caller's: no call of a server tool may wait in it.
	const [stray] = converted.serverCalls;
	if (stray) throw strayServerCall(stray);
	const append = converted.messages.slice(stored?.length ?? 0);
	if (append.length === 0) {
		throw new AppError(
			'invalid_input',
			`Nothing new to answer: the task already holds these ${converted.messages.length} messages. Add a message after them.`,
			{ field: 'messages' }
		);
	}
	if (converted.trailingAnswers.length > 0) return { kind: 'answer', append, answers: converted.trailingAnswers };
	return { kind: 'respond', append };
}
