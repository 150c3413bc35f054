/** What went wrong, independent of any protocol. */
export type AppErrorCode =
	| 'invalid_input'
	| 'unprocessable'
	| 'unauthorized'
	| 'forbidden'
	| 'not_found'
	| 'method_not_allowed'
	| 'not_acceptable'
	| 'conflict'
	| 'payload_too_large'
	| 'unsupported_media_type'
	| 'rate_limited'
	| 'upstream'
	| 'internal';

/** HTTP status of each error code; the one place this mapping lives. */
export const httpStatusOf: Record<AppErrorCode, number> = {
	invalid_input: 400,
	unauthorized: 401,
	forbidden: 403,
	not_found: 404,
	method_not_allowed: 405,
	not_acceptable: 406,
	conflict: 409,
	payload_too_large: 413,
	unsupported_media_type: 415,
	unprocessable: 422,
	rate_limited: 429,
	internal: 500,
	upstream: 502
};

/** An error that is safe to show to a client: a code, a clear message, and the field at fault. */
export class AppError extends Error {
	override name = 'AppError';
	constructor(
		readonly code: AppErrorCode,
		message: string,
		readonly options: { field?: string; retryAfterSeconds?: number; cause?: unknown } = {}
	) {
		super(message, { cause: options.cause });
	}

	get status(): number {
		return httpStatusOf[this.code];
	}

	get field(): string | undefined {
		return this.options.field;
	}
}

/** The JSON body Parley's own endpoints send for an error. */
export interface ErrorBody {
	error: { code: AppErrorCode; message: string; field?: string };
}

/** Turns anything thrown into an AppError, hiding details of unexpected errors. */
export function toAppError(error: unknown): AppError {
	if (error instanceof AppError) return error;
	return new AppError('internal', 'Something went wrong on our side. Please try again.', { cause: error });
}

/** The JSON body for an error. */
export function errorBody(error: AppError): ErrorBody {
	return {
		error: { code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) }
	};
}

/** A JSON error response, logging unexpected errors with their detail on the server. */
export function errorResponse(thrown: unknown, headers?: HeadersInit): Response {
	const error = toAppError(thrown);
	if (error.code === 'internal') console.error('[parley] unexpected error', error.cause);
	const responseHeaders = new Headers(headers);
	if (error.options.retryAfterSeconds !== undefined) {
		responseHeaders.set('retry-after', String(error.options.retryAfterSeconds));
	}
	return Response.json(errorBody(error), { status: error.status, headers: responseHeaders });
}
