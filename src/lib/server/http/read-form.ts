import { error } from '@sveltejs/kit';
import { getConfig } from '../config';
import { AppError } from '../errors';
import { formatBytes } from '../../format-bytes';
import { readBodyWithin } from './read-body';

/**
 * Reads a multipart or url-encoded form: 415 for another content type, 413 when the request or
 * any file in it is over its limit (`REQUEST_SIZE_LIMIT`, counted while reading, and
 * `FILE_SIZE_LIMIT`), 400 when it cannot be parsed (a truncated multipart body among others).
 */
export async function readForm(request: Request, limitBytes = getConfig().REQUEST_SIZE_LIMIT): Promise<FormData> {
	const config = getConfig();
	const type = request.headers.get('content-type') ?? '';
	if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(type)) {
		throw new AppError('unsupported_media_type', 'Send the request as multipart/form-data.', { field: 'content-type' });
	}
	const bytes = await readBodyWithin(request, limitBytes, { subject: 'The request' });
	let form: FormData;
	try {
		form = await new Response(bytes, { headers: { 'content-type': type } }).formData();
	} catch {
		throw new AppError('invalid_input', 'The form data could not be read.', { field: 'body' });
	}
	for (const [field, value] of form) {
		if (value instanceof File && value.size > config.FILE_SIZE_LIMIT) {
			throw new AppError(
				'payload_too_large',
				`The file "${value.name}" is larger than the limit of ${formatBytes(config.FILE_SIZE_LIMIT)}.`,
				{ field }
			);
		}
	}
	return form;
}

/**
 * `readForm` for SvelteKit form actions: a form that cannot be read fails the action with its
 * status (400, 413, 415) and message, in SvelteKit's shape for action errors, never a 500.
 */
export async function readActionForm(request: Request): Promise<FormData> {
	try {
		return await readForm(request);
	} catch (thrown) {
		if (thrown instanceof AppError) error(thrown.status as 400, { message: thrown.message, code: thrown.code });
		throw thrown;
	}
}
