import type { Config } from '../config';
import { AppError } from '../errors';

/** The settings that bound the history one request may carry. */
export type HistoryLimits = Pick<Config, 'HISTORY_MESSAGE_LIMIT' | 'HISTORY_TEXT_LIMIT'>;

/**
 * The characters of text in some messages: the length of every string in them, at any depth
 * (text, tool arguments and results, file data, roles and part types alike). Counting stops
 * once it passes `stopAbove`, so an oversized history costs no more than the limit to measure.
 */
export function historyTextLength(messages: readonly unknown[], stopAbove = Number.POSITIVE_INFINITY): number {
	let total = 0;
	// A stack rather than recursion: a deeply nested value cannot overflow the call stack.
	const pending: unknown[] = [...messages];
	while (pending.length > 0 && total <= stopAbove) {
		const value = pending.pop();
		if (typeof value === 'string') total += value.length;
		else if (typeof value === 'object' && value !== null) {
			// One by one: spreading a long array into `push` can exceed the arguments a call takes.
			for (const item of Array.isArray(value) ? value : Object.values(value)) pending.push(item);
		}
	}
	return total;
}

/**
 * Refuses a history over the limits with 413 (`payload_too_large`) naming the limit and the
 * setting, before anything is read or stored for it. Every face that accepts a caller's history
 * calls this on it, once parsed; `field` names the history in that face's own terms.
 */
export function checkHistory(messages: readonly unknown[], limits: HistoryLimits, field: string): void {
	const { HISTORY_MESSAGE_LIMIT: messageLimit, HISTORY_TEXT_LIMIT: textLimit } = limits;
	if (messages.length > messageLimit) {
		throw new AppError(
			'payload_too_large',
			`The history has ${messages.length} messages; at most ${messageLimit} are accepted in one request (HISTORY_MESSAGE_LIMIT).`,
			{ field }
		);
	}
	if (historyTextLength(messages, textLimit) > textLimit) {
		throw new AppError(
			'payload_too_large',
			`The history holds more than ${textLimit} characters of text; at most ${textLimit} are accepted in one request (HISTORY_TEXT_LIMIT).`,
			{ field }
		);
	}
}
