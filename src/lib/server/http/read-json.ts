import type { z } from 'zod';
import { AppError } from '../errors';

/** The largest JSON body Parley's endpoints read by default (1 MB). */
export const DEFAULT_JSON_LIMIT_BYTES = 1024 * 1024;

/**
 * Reads a JSON body and validates it: malformed JSON or a missing or wrongly typed field is an
 * `invalid_input` naming the field; a body over the limit is `payload_too_large`.
 */
export async function readJson<T extends z.ZodType>(
	request: Request,
	schema: T,
	limitBytes = DEFAULT_JSON_LIMIT_BYTES
): Promise<z.infer<T>> {
	const declared = Number(request.headers.get('content-length') ?? '0');
	if (declared > limitBytes) throw tooLarge(limitBytes);
	const text = await request.text();
	if (new TextEncoder().encode(text).byteLength > limitBytes) throw tooLarge(limitBytes);
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		throw new AppError('invalid_input', 'The request body is not valid JSON.', { field: 'body' });
	}
	const result = schema.safeParse(body);
	if (!result.success) {
		const issue = result.error.issues[0];
		const field = issue.path.join('.') || 'body';
		throw new AppError('invalid_input', `${field}: ${issue.message}`, { field });
	}
	return result.data;
}

function tooLarge(limitBytes: number): AppError {
	return new AppError('payload_too_large', `The request body is larger than ${Math.round(limitBytes / 1024)} KB.`);
}
