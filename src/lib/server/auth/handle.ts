import type { Handle, RequestEvent } from '@sveltejs/kit';
import { getConfig } from '../config';
import { getDb } from '../db';
import { AppError, errorResponse } from '../errors';
import { ANONYMOUS, authenticate, bearerToken } from './authenticate';
import { isSameOriginRequest } from './origin-check';
import type { CookiePolicy } from './session';

/** Cookies are `Secure` when the site is served over https (by `ORIGIN`, else by the request). */
export function cookiePolicy(event: Pick<RequestEvent, 'url'>): CookiePolicy {
	const origin = getConfig().ORIGIN;
	return { secure: origin ? origin.startsWith('https:') : event.url.protocol === 'https:' };
}

/**
 * Authenticates every request: an `Authorization: Bearer` API key, else the session cookie.
 * A state-changing request authenticated by cookie must come from this site (our replacement for
 * SvelteKit's origin check, which would also refuse API clients' multipart posts).
 */
export const authHandle: Handle = (input) => authenticateRequest(input, errorResponse);

/**
 * {@link authHandle} with another way of answering an invalid API key (for faces that have their
 * own error shape, such as `/v1`).
 */
export function authHandleWith(invalidKeyResponse: (error: AppError) => Response): Handle {
	return (input) => authenticateRequest(input, invalidKeyResponse);
}

async function authenticateRequest(
	{ event, resolve }: Parameters<Handle>[0],
	invalidKeyResponse: (error: AppError) => Response
): Promise<Response> {
	// The health check reports on the database itself, so it must not need it to answer.
	if (event.url.pathname === '/health') return resolve(event);
	const db = await getDb();
	event.locals.db = db;
	// Anonymous until proven otherwise, also for the handles around this one when it refuses.
	Object.assign(event.locals, ANONYMOUS);
	try {
		Object.assign(
			event.locals,
			await authenticate(db, {
				apiKey: bearerToken(event.request.headers.get('authorization')),
				cookies: event.cookies,
				crossSite: () =>
					isSameOriginRequest(event.request, event.url, getConfig().ORIGIN)
						? null
						: new AppError('forbidden', 'Cross-site request refused: the Origin header does not match this site.'),
				cookiePolicy: cookiePolicy(event)
			})
		);
	} catch (error) {
		if (error instanceof AppError && error.code === 'unauthorized') return invalidKeyResponse(error);
		if (error instanceof AppError) return errorResponse(error);
		throw error;
	}
	return resolve(event);
}
