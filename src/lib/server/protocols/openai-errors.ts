import { toAppError, type AppError, type AppErrorCode } from '../errors';

/** The error body of `/v1/*`, in OpenAI's shape. */
export interface OpenAIErrorBody {
	error: { message: string; type: string; param: string | null; code: string | null };
}

/** OpenAI's `type` and `code` for each of Parley's error codes. */
const openAIKinds: Record<AppErrorCode, { type: string; code: string | null }> = {
	invalid_input: { type: 'invalid_request_error', code: null },
	unprocessable: { type: 'invalid_request_error', code: 'invalid_context' },
	unauthorized: { type: 'invalid_request_error', code: 'invalid_api_key' },
	forbidden: { type: 'permission_error', code: 'forbidden' },
	not_found: { type: 'invalid_request_error', code: 'not_found' },
	method_not_allowed: { type: 'invalid_request_error', code: 'method_not_allowed' },
	not_acceptable: { type: 'invalid_request_error', code: 'not_acceptable' },
	conflict: { type: 'invalid_request_error', code: 'conflict' },
	payload_too_large: { type: 'invalid_request_error', code: 'request_too_large' },
	unsupported_media_type: { type: 'invalid_request_error', code: 'unsupported_media_type' },
	rate_limited: { type: 'requests', code: 'rate_limit_exceeded' },
	upstream: { type: 'server_error', code: 'upstream_error' },
	internal: { type: 'server_error', code: null }
};

/**
 * An error in OpenAI's shape; an unknown model is `model_not_found`. `paramOfField` names, in the
 * face's own terms, the fields the shared services name in theirs (a field it does not list is
 * the parameter as is; null for none).
 */
export function toOpenAIErrorBody(error: AppError, paramOfField: Readonly<Record<string, string | null>>): OpenAIErrorBody {
	const field = error.field;
	const param = field === undefined ? null : Object.hasOwn(paramOfField, field) ? paramOfField[field] : field;
	const kind = openAIKinds[error.code];
	const code = error.code === 'not_found' && param === 'model' ? 'model_not_found' : kind.code;
	return { error: { message: error.message, type: kind.type, param, code } };
}

/** A JSON error response in OpenAI's shape, with `retry-after` when rate limited; unexpected errors are logged. */
export function openAIErrorResponseOf(
	thrown: unknown,
	paramOfField: Readonly<Record<string, string | null>>,
	headers?: HeadersInit
): Response {
	const error = toAppError(thrown);
	if (error.code === 'internal') console.error('[parley] unexpected error', error.cause);
	const responseHeaders = new Headers(headers);
	if (error.options.retryAfterSeconds !== undefined) {
		responseHeaders.set('retry-after', String(error.options.retryAfterSeconds));
	}
	return Response.json(toOpenAIErrorBody(error, paramOfField), { status: error.status, headers: responseHeaders });
}
