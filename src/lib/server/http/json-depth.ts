import { getConfig } from '../config';
import { AppError } from '../errors';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/**
 * Whether JSON text nests arrays and objects more than `limit` levels deep (`{}` is one level).
 * A single scan counting brackets outside strings, without recursion, so that no input can
 * overflow the stack here; text that is not JSON gives some answer, and JSON.parse refuses it after.
 */
export function jsonNestsDeeperThan(text: string, limit: number): boolean {
	let depth = 0;
	let inString = false;
	for (let index = 0; index < text.length; index++) {
		const char = text.charCodeAt(index);
		if (inString) {
			if (char === BACKSLASH) index++;
			else if (char === QUOTE) inString = false;
		} else if (char === QUOTE) {
			inString = true;
		} else if (char === OPEN_BRACE || char === OPEN_BRACKET) {
			if (++depth > limit) return true;
		} else if (char === CLOSE_BRACE || char === CLOSE_BRACKET) {
			depth--;
		}
	}
	return false;
}

/**
 * JSON from a client that cannot be used: not JSON (`reason: 'syntax'`) or nested too deep
 * (`reason: 'depth'`). An `invalid_input`; `detail` is the message without its subject
 * ("is not valid JSON"), for callers that put the field name in front themselves.
 */
export class JsonInputError extends AppError {
	constructor(
		readonly reason: 'syntax' | 'depth',
		readonly subject: string,
		readonly detail: string,
		options: { field?: string; cause?: unknown }
	) {
		super('invalid_input', `${subject} ${detail}.`, options);
	}
}

/**
 * Parses JSON a client sent, refusing JSON nested deeper than `depth` levels
 * (`JSON_DEPTH_LIMIT` by default) before parsing it: deep values overflow the stack of whatever
 * walks them later (validation, JSON.stringify when stored). Every request body, JSON form field
 * and WebSocket frame is parsed here. Throws a `JsonInputError` naming `field` (`body` by default).
 */
export function parseJsonWithin(text: string, options: { depth?: number; field?: string; subject?: string } = {}): unknown {
	const depth = options.depth ?? getConfig().JSON_DEPTH_LIMIT;
	const field = options.field ?? 'body';
	const subject = options.subject ?? 'The request body';
	if (jsonNestsDeeperThan(text, depth)) {
		throw new JsonInputError('depth', subject, `nests arrays and objects deeper than the limit of ${depth} levels`, { field });
	}
	try {
		return JSON.parse(text);
	} catch (cause) {
		throw new JsonInputError('syntax', subject, 'is not valid JSON', { field, cause });
	}
}
