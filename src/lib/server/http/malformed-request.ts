import type { Handle } from '@sveltejs/kit';
import { AppError, errorResponse } from '../errors';
import { openAIErrorResponse } from '../protocols/openai/errors';

/** Paths whose clients are programs: errors there are JSON, whatever `Accept` says. */
const API_PATH = /^\/(api|v1|ag-ui|a2a|\.well-known|assistant|health|openapi\.json)(\/|$)/;

/**
 * A path with its percent-escapes decoded; `null` when they do not decode (`/%E0%A4%A`, `/%ff`).
 * The decoded text is returned, not just a yes or no: the bundler drops a call to
 * decodeURIComponent whose result is unused, and the check with it.
 */
function decodedPath(pathname: string): string | null {
	try {
		return decodeURIComponent(pathname);
	} catch {
		return null;
	}
}

/**
 * Requests the app cannot read, answered as JSON rather than SvelteKit's HTML error page:
 * a path that does not decode is a 400 on API paths and for clients that do not ask for HTML
 * (browsers still get the error page). Every 413 closes the connection afterwards, since the
 * rest of a body over its limit may not have been read.
 */
export const malformedRequestHandle: Handle = async ({ event, resolve }) => {
	const { pathname } = event.url;
	if (decodedPath(pathname) === null) {
		const browser = (event.request.headers.get('accept') ?? '').includes('text/html');
		if (API_PATH.test(pathname) || !browser) {
			const error = new AppError('invalid_input', 'The request path is not valid: a %-escape in it does not decode.', {
				field: 'path'
			});
			return pathname.startsWith('/v1/') ? openAIErrorResponse(error) : errorResponse(error);
		}
	}
	const response = await resolve(event);
	if (response.status !== 413) return response;
	try {
		response.headers.set('connection', 'close');
		return response;
	} catch {
		// Immutable headers (a fetched response): copy them.
		const headers = new Headers(response.headers);
		headers.set('connection', 'close');
		return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
	}
};
