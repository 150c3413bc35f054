import type { Handle } from '@sveltejs/kit';
import { corsOrigins, getConfig } from '../config';
import { AppError, errorResponse } from '../errors';

/** Paths that programs call and that browsers on other sites may call when allowed. */
const PUBLIC_PATH =
	/^\/(api\/|ag-ui\/|a2a\/|\.well-known\/agent-card\.json$|v1\/|v1$|assistant\/?$|health\/?$|openapi\.json$|widget\.js$|mcp\/?$)/;

/** Paths that refuse any other site's requests outright: the MCP server, against DNS rebinding. */
const OWN_ORIGIN_PATH = /^\/mcp\/?$/;

const ALLOWED_HEADERS =
	'authorization, content-type, accept, x-anonymous-id, x-requested-with, a2a-version, a2a-extensions, mcp-protocol-version, mcp-session-id, last-event-id';
const EXPOSED_HEADERS =
	'x-anonymous-id, x-parley-task-id, retry-after, x-vercel-ai-ui-message-stream, x-vercel-ai-data-stream, mcp-protocol-version, mcp-session-id';

/**
 * CORS for the public APIs: an `Origin` listed in `CORS_ORIGINS` gets the access headers, and
 * preflight requests are answered here. Other origins get none (browsers then refuse), and
 * same-origin pages need none. `/mcp` answers another site that is not listed with a 403, as the
 * MCP transport asks against DNS rebinding.
 */
export const corsHandle: Handle = async ({ event, resolve }) => {
	const origin = event.request.headers.get('origin');
	if (!origin || !PUBLIC_PATH.test(event.url.pathname) || origin === event.url.origin) return resolve(event);
	const allowed = corsOrigins(getConfig()).includes(origin);
	if (!allowed && OWN_ORIGIN_PATH.test(event.url.pathname)) {
		const error = new AppError('forbidden', `Requests from ${origin} are refused: it is neither this site nor listed in CORS_ORIGINS.`);
		return errorResponse(error, { vary: 'Origin' });
	}
	if (event.request.method === 'OPTIONS' && event.request.headers.has('access-control-request-method')) {
		return new Response(null, {
			status: 204,
			headers: allowed
				? {
						'access-control-allow-origin': origin,
						'access-control-allow-methods': 'GET, POST, PUT, PATCH, DELETE, OPTIONS',
						'access-control-allow-headers': ALLOWED_HEADERS,
						'access-control-max-age': '600',
						vary: 'Origin'
					}
				: { vary: 'Origin' }
		});
	}
	const response = await resolve(event);
	if (!allowed) return response;
	// Some responses (redirects, proxied fetches) have immutable headers: copy them then.
	const headers = new Headers(response.headers);
	headers.set('access-control-allow-origin', origin);
	headers.set('access-control-expose-headers', EXPOSED_HEADERS);
	headers.append('vary', 'Origin');
	return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
};
