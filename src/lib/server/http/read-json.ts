import type { z } from 'zod';
import { getConfig } from '../config';
import { AppError } from '../errors';


/**
 * Reads a JSON body and validates it: malformed JSON or a missing or wrongly typed field is an
 * `invalid_input` naming the field; a body over the limit is `payload_too_large`.
 */
export async function readJson<T extends z.ZodType>(
	request: Request,
	schema: T,
	limitBytes = getConfig().JSON_BODY_LIMIT
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
	return new AppError('payload_too_large', `The request body is larger than the limit of ${formatBytes(limitBytes)}.`);
}

/** A byte count for people: 512 KB, 25 MB. */
export function formatBytes(bytes: number): string {
	if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
	return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}
