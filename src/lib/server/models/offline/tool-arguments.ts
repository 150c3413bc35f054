import { isObject } from '../../../is-object';
import { parseJson, type JsonObject } from './text';

/** Tool arguments written in a message: a JSON object or `key=value` pairs. */

const MAX_JSON_CANDIDATES = 100;

/** Tool arguments from the message: its first JSON object, else its `key=value` pairs. */
export function extractArguments(text: string): JsonObject {
	return firstJsonObject(text) ?? keyValuePairs(text);
}

/** The first balanced `{…}` in `text` that parses as a JSON object. */
function firstJsonObject(text: string): JsonObject | undefined {
	let start = text.indexOf('{');
	for (let tries = 0; start !== -1 && tries < MAX_JSON_CANDIDATES; tries++) {
		const end = balancedBraceEnd(text, start);
		if (end !== -1) {
			const parsed = parseJson(text.slice(start, end + 1));
			if (isObject(parsed)) return parsed;
		}
		start = text.indexOf('{', start + 1);
	}
	return undefined;
}

/** Index of the `}` closing the `{` at `start` (skipping JSON strings), or -1. */
function balancedBraceEnd(text: string, start: number): number {
	let depth = 0;
	let inString = false;
	for (let i = start; i < text.length; i++) {
		const char = text[i];
		if (inString) {
			if (char === '\\') i++;
			else if (char === '"') inString = false;
		} else if (char === '"') inString = true;
		else if (char === '{') depth++;
		else if (char === '}' && --depth === 0) return i;
	}
	return -1;
}

/**
 * `key=value` pairs: the value is a double-quoted string (with `\"` escapes) or a bare word
 * (a run of non-space characters, trailing `,;:.!?` removed).
 */
function keyValuePairs(text: string): JsonObject {
	const pairs: JsonObject = {};
	const pattern = /(?<![\p{L}\p{N}_-])([\p{L}_][\p{L}\p{N}_-]*)=("(?:[^"\\]|\\.)*"|\S+)/gu;
	for (const [, key, raw] of text.matchAll(pattern)) {
		if (!Object.hasOwn(pairs, key)) pairs[key] = raw.startsWith('"') ? unquote(raw) : bareWord(raw);
	}
	return pairs;
}

/** A double-quoted string literal without its quotes and escapes. */
function unquote(quoted: string): string {
	const parsed = parseJson(quoted);
	if (typeof parsed === 'string') return parsed;
	return quoted.slice(1, -1).replace(/\\(.)/g, '$1');
}

/** A bare word without trailing sentence punctuation. */
function bareWord(raw: string): string {
	return raw.replace(/[,;:.!?]+$/, '') || raw;
}
