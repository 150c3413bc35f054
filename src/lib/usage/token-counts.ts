/**
 * The token counts stored with an answer, as the admin pages read, sum and show them. A count is
 * `null` when the model did not report it, which is not the same as a reported 0.
 */
export interface TokenCounts {
	inputTokens: number | null;
	outputTokens: number | null;
	/** Output tokens spent on reasoning (part of `outputTokens`). */
	reasoningTokens: number | null;
	/** Input tokens read from the provider's prompt cache (part of `inputTokens`). */
	cachedInputTokens: number | null;
}

const keys = ['inputTokens', 'outputTokens', 'reasoningTokens', 'cachedInputTokens'] as const;

/** No counts known. */
export const noTokenCounts = (): TokenCounts => ({ inputTokens: null, outputTokens: null, reasoningTokens: null, cachedInputTokens: null });

/** The sum of two counts; unknown only when both are. */
export const plusCount = (a: number | null, b: number | null): number | null => (a === null ? b : b === null ? a : a + b);

/** Each count summed over the list; a count stays unknown when no item knew it. */
export function sumTokenCounts(list: readonly Partial<TokenCounts>[]): TokenCounts {
	const sum = noTokenCounts();
	for (const item of list) for (const key of keys) sum[key] = plusCount(sum[key], item[key] ?? null);
	return sum;
}

const defaultNumbers = new Intl.NumberFormat('en-US');

/** A count for a table cell: the number, or "—" when it was never reported. */
export function formatCount(value: number | null | undefined, numbers: Intl.NumberFormat = defaultNumbers): string {
	return value === null || value === undefined ? '—' : numbers.format(value);
}

/** What {@link describeTokens} gives: a compact line to show and a sentence for screen readers. */
export interface TokenDescription {
	/** E.g. `1,200 in (800 cached) · 350 out (120 reasoning)`. */
	text: string;
	/** E.g. `1,200 input tokens, 800 of them cached; 350 output tokens, 120 of them reasoning`. */
	label: string;
}

/**
 * The counts as a compact line with only the parts that are known: input with its cached part and
 * output with its reasoning part, each part shown when it was reported and is more than 0.
 * `null` when neither input nor output is known.
 */
export function describeTokens(counts: Partial<TokenCounts>, numbers: Intl.NumberFormat = defaultNumbers): TokenDescription | null {
	const text: string[] = [];
	const label: string[] = [];
	const side = (total: number | null | undefined, part: number | null | undefined, short: string, long: string, partName: string) => {
		if (total === null || total === undefined) return;
		const shown = part !== null && part !== undefined && part > 0;
		text.push(`${numbers.format(total)} ${short}${shown ? ` (${numbers.format(part)} ${partName})` : ''}`);
		label.push(`${numbers.format(total)} ${long}${shown ? `, ${numbers.format(part)} of them ${partName}` : ''}`);
	};
	side(counts.inputTokens, counts.cachedInputTokens, 'in', 'input tokens', 'cached');
	side(counts.outputTokens, counts.reasoningTokens, 'out', 'output tokens', 'reasoning');
	return text.length === 0 ? null : { text: text.join(' · '), label: label.join('; ') };
}
