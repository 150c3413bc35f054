import type { z } from 'zod';
import { getConfig } from '../config';
import { AppError } from '../errors';
import { parseJsonWithin } from './json-depth';
import { readBodyWithin } from './read-body';

/**
 * Reads a JSON body and validates it: malformed JSON, JSON nested deeper than `JSON_DEPTH_LIMIT`
 * or a missing or wrongly typed field is an `invalid_input` naming the field; a body over the
 * limit (declared or counted while reading) is `payload_too_large`.
 */
export async function readJson<T extends z.ZodType>(
	request: Request,
	schema: T,
	limitBytes = getConfig().JSON_BODY_LIMIT
): Promise<z.infer<T>> {
	const text = new TextDecoder().decode(await readBodyWithin(request, limitBytes));
	const body = parseJsonWithin(text);
	const result = schema.safeParse(body);
	if (!result.success) {
		const issue = result.error.issues[0];
		const field = issue.path.join('.') || 'body';
		throw new AppError('invalid_input', `${field}: ${issue.message}`, { field });
	}
	return result.data;
}
