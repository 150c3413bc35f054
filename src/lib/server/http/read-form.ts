import { getConfig } from '../config';
import { AppError } from '../errors';
import { formatBytes } from './read-json';

/**
 * Reads a multipart or url-encoded form: 415 for another content type, 413 when the request or
 * any file in it is over its limit (`REQUEST_SIZE_LIMIT`, `FILE_SIZE_LIMIT`), 400 when it cannot
 * be parsed.
 */
export async function readForm(request: Request): Promise<FormData> {
	const config = getConfig();
	const type = request.headers.get('content-type') ?? '';
	if (!/^(multipart\/form-data|application\/x-www-form-urlencoded)\b/i.test(type)) {
		throw new AppError('unsupported_media_type', 'Send the request as multipart/form-data.', { field: 'content-type' });
	}
	const declared = Number(request.headers.get('content-length') ?? '0');
	if (declared > config.REQUEST_SIZE_LIMIT) {
		throw new AppError('payload_too_large', `The request is larger than the limit of ${formatBytes(config.REQUEST_SIZE_LIMIT)}.`);
	}
	let form: FormData;
	try {
		form = await request.formData();
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
