import type { Handle } from '@sveltejs/kit';
import { corsOrigins, getConfig } from '../config';

/** Paths that programs call and that browsers on other sites may call when allowed. */
const PUBLIC_PATH = /^\/(api\/|v1\/|v1$|assistant\/?$|health\/?$|openapi\.json$|widget\.js$)/;

const ALLOWED_HEADERS = 'authorization, content-type, accept, x-anonymous-id, x-requested-with';
const EXPOSED_HEADERS = 'x-anonymous-id, x-parley-task-id, retry-after, x-vercel-ai-ui-message-stream, x-vercel-ai-data-stream';

/**
 * CORS for the public APIs: an `Origin` listed in `CORS_ORIGINS` gets the access headers, and
 * preflight requests are answered here. Other origins get none (browsers then refuse), and
 * same-origin pages need none.
 */
export const corsHandle: Handle = async ({ event, resolve }) => {
	const origin = event.request.headers.get('origin');
	if (!origin || !PUBLIC_PATH.test(event.url.pathname) || origin === event.url.origin) return resolve(event);
	const allowed = corsOrigins(getConfig()).includes(origin);
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
