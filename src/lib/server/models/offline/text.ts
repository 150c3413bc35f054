/** Small text helpers of the offline model. */

/** A JSON object (arguments of a tool call). */
export type JsonObject = Record<string, unknown>;

/** The words of `text` (runs of non-space characters). */
export function words(text: string): string[] {
	return text.match(/\S+/g) ?? [];
}

/** Splits text into stream deltas: each word with the whitespace that follows it. */
export function wordDeltas(text: string): string[] {
	return text.match(/\S+\s*/g) ?? [];
}

/** The first `count` words joined by single spaces, with `…` when some were left out. */
export function firstWords(text: string, count: number): string {
	const all = words(text);
	if (all.length <= count) return all.join(' ');
	return `${all
		.slice(0, count)
		.join(' ')
		.replace(/[,;:]+$/, '')}…`;
}

/** Like {@link firstWords}, but keeps the original spacing when nothing is cut. */
export function limitWords(text: string, count: number): string {
	return words(text).length > count ? firstWords(text, count) : text.trim();
}

/** `"text".`, or `"text."` without the extra full stop when the quote already ends a sentence. */
export function quotation(text: string): string {
	return /[.!?…]$/.test(text) ? `"${text}"` : `"${text}".`;
}

/** Ends `text` with a full stop unless it already ends with `.`, `!` or `?`. */
export function sentence(text: string): string {
	return /[.!?]$/.test(text) ? text : `${text}.`;
}

/** `a`, `a and b`, `a, b and c`. */
export function joinNames(names: string[]): string {
	if (names.length <= 1) return names.join('');
	return `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
}

/** `word` or `words`. */
export function plural(count: number, word: string): string {
	return count === 1 ? word : `${word}s`;
}

/** The distinct values, in first-seen order. */
export function unique<T>(values: T[]): T[] {
	return [...new Set(values)];
}

/** `JSON.parse`, or `undefined` when the text is not JSON. */
export function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

/** Escapes a string for use inside a regular expression. */
export function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `decodeURIComponent` that keeps the input when it is malformed. */
export function decodeURIComponentSafe(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}
