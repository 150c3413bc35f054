import type { UIMessage } from 'ai';
import { AppError } from '../../errors';
import { pendingToolCalls, type ToolCallAnswer } from '../../runtime/turn-request';
import type { ConvertedHistory, StoredDraft } from './to-stored-messages';

/** What a completion request does with a task: messages to store, then how the agent answers. */
export type HistoryPlan =
	/** Store these messages, then answer the history as it stands. */
	| { kind: 'respond'; append: StoredDraft[] }
	/** Store these messages, then answer pending tool calls of the last answer, which continues. */
	| { kind: 'answer'; append: StoredDraft[]; answers: ToolCallAnswer[] };

/**
 * Works out what to store from the history a caller sent, given what its task already holds
 * (`null` for a new task). Only the messages after the stored ones are new (compared by
 * position). When the history ends with tool results answering calls that wait in the stored
 * last answer, nothing is stored and those answers continue it. `invalid_input` when nothing is new.
 */
export function planHistory(
	converted: ConvertedHistory,
	stored: readonly { role: string; parts: UIMessage['parts'] }[] | null
): HistoryPlan {
	const storedLast = stored?.at(-1);
	if (storedLast?.role === 'assistant' && converted.trailingAnswers.length > 0) {
		const waiting = new Set(pendingToolCalls(storedLast.parts).map((part) => part.toolCallId));
		const answers = converted.trailingAnswers.filter((answer) => waiting.has(answer.toolCallId));
		if (answers.length > 0) return { kind: 'answer', append: [], answers };
	}
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
