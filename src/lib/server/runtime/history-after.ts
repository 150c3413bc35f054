/** The history the model sees once a turn's writes are stored, worked out without reading it again. */
import type { Message } from '../db/schema';
import type { PreparedHistory } from './turn-request';

/**
 * The history the model sees once a request's writes are stored, worked out from what was read
 * before them rather than read again: what a new branch leaves behind is not in it, a continued
 * answer has its new parts, a new question is last. The new answer has no parts yet, so it is left
 * out, like any empty message. An answer whose waiting calls were closed has them closed.
 */
export function historyAfter(stored: Message[], prepared: PreparedHistory, question?: Message): Message[] {
	const { branchAt, continued, closed } = prepared;
	const kept = branchAt === undefined ? stored : stored.slice(0, branchAt);
	const updated = kept.map((message) => {
		if (continued && message.id === continued.message.id)
			return { ...message, parts: continued.parts, status: 'streaming' as const, error: null };
		if (closed && message.id === closed.message.id) return { ...message, parts: closed.parts };
		return message;
	});
	return [...updated, ...(question ? [question] : [])].filter((message) => message.parts.length > 0);
}
