import type { LanguageModelV3StreamPart } from '@ai-sdk/provider';

/**
 * How fast the offline model streams one answer. Two phrases in the user's message change it, so
 * that tests (and demos) which must act while an answer is still streaming do not depend on how
 * fast the machine is:
 *
 * - "slowly": at least {@link SLOW_TOKEN_DELAY_MS} between two words, whatever
 *   `MOCK_TOKEN_DELAY_MS` says; the answer still ends on its own.
 * - "until I interrupt you": the answer streams up to its last paragraph (its last word when it has
 *   one paragraph) and then waits there until it is stopped.
 *
 * Neither phrase changes what is written.
 */
export interface Pace {
	/** The smallest pause between two streamed words, in milliseconds. */
	minDelayMs: number;
	/** Whether the answer waits before its last paragraph until it is stopped. */
	holdUntilStopped: boolean;
}

/** The pause between words of an answer asked for "slowly". */
export const SLOW_TOKEN_DELAY_MS = 40;

/** The usual pace: the configured delay, never held. */
export const NORMAL_PACE: Pace = { minDelayMs: 0, holdUntilStopped: false };

/** The pace the user's message asks for. */
export function paceOf(text: string): Pace {
	return {
		minDelayMs: /\bslowly\b/i.test(text) ? SLOW_TOKEN_DELAY_MS : 0,
		holdUntilStopped: /\buntil\s+I\s+interrupt\s+you\b/i.test(text)
	};
}

/**
 * The index in `parts` of the text delta an answer held until stopped waits before: the first
 * word of the text's last paragraph, or its last word; undefined when there is no text.
 */
export function holdIndex(parts: LanguageModelV3StreamPart[]): number | undefined {
	const deltas = parts.flatMap((part, index) => (part.type === 'text-delta' ? [{ index, delta: part.delta }] : []));
	if (deltas.length === 0) return undefined;
	const lastBreak = deltas.findLastIndex(({ delta }) => delta.includes('\n\n'));
	return deltas[lastBreak >= 0 && lastBreak + 1 < deltas.length ? lastBreak + 1 : deltas.length - 1].index;
}
