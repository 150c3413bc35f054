import type { Handle } from '@sveltejs/kit';
import { AppError, errorResponse } from '../errors';
import { openAIErrorResponse } from '../protocols/openai/errors';

/** Paths whose callers are programs, which read errors as JSON. */
const API_PATH = /^\/(?:api|v1|assistant)(?:\/|$)|^\/(?:health|openapi\.json)$/;

/**
 * A method an endpoint does not have gets SvelteKit's plain-text 405; on the API paths it becomes
 * the usual JSON error (OpenAI's shape under `/v1`), naming the method and the ones allowed.
 */
export const methodNotAllowedHandle: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (response.status !== 405 || !API_PATH.test(event.url.pathname)) return response;
	const allow = response.headers.get('allow') ?? '';
	const error = new AppError(
		'method_not_allowed',
		`${event.request.method} is not allowed on ${event.url.pathname}${allow ? `; use ${allow.split(/,\s*/).join(', ')}` : ''}.`
	);
	const headers = new Headers(response.headers);
	headers.delete('content-type');
	headers.delete('content-length');
	return event.url.pathname.startsWith('/v1/') ? openAIErrorResponse(error, headers) : errorResponse(error, headers);
};
