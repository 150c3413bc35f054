import type { Handle, RequestEvent } from '@sveltejs/kit';
import { getConfig } from '../config';
import { getDb } from '../db';
import { AppError, errorResponse } from '../errors';
import { authenticateApiKey } from './api-keys';
import { isSameOriginRequest } from './origin-check';
import { readSession, sessionCookieName, type CookiePolicy } from './session';

/** Cookies are `Secure` when the site is served over https (by `ORIGIN`, else by the request). */
export function cookiePolicy(event: Pick<RequestEvent, 'url'>): CookiePolicy {
	const origin = getConfig().ORIGIN;
	return { secure: origin ? origin.startsWith('https:') : event.url.protocol === 'https:' };
}

function bearerToken(request: Request): string | null {
	const header = request.headers.get('authorization');
	const match = header?.match(/^Bearer\s+(\S+)\s*$/i);
	return match ? match[1] : null;
}

/**
 * Authenticates every request: an `Authorization: Bearer` API key, else the session cookie.
 * A state-changing request authenticated by cookie must come from this site (our replacement for
 * SvelteKit's origin check, which would also refuse API clients' multipart posts).
 */
export const authHandle: Handle = (input) => authenticate(input, errorResponse);

/**
 * {@link authHandle} with another way of answering an invalid API key (for faces that have their
 * own error shape, such as `/v1`).
 */
export function authHandleWith(invalidKeyResponse: (error: AppError) => Response): Handle {
	return (input) => authenticate(input, invalidKeyResponse);
}

async function authenticate(
	{ event, resolve }: Parameters<Handle>[0],
	invalidKeyResponse: (error: AppError) => Response
): Promise<Response> {
	// The health check reports on the database itself, so it must not need it to answer.
	if (event.url.pathname === '/health') return resolve(event);
	const db = await getDb();
	event.locals.db = db;
	event.locals.user = null;
	event.locals.sessionId = null;
	event.locals.authMethod = null;
	event.locals.apiKeyId = null;

	const token = bearerToken(event.request);
	if (token) {
		const user = await authenticateApiKey(db, token);
		if (!user) return invalidKeyResponse(new AppError('unauthorized', 'The API key is invalid or revoked.'));
		const { apiKeyId, ...sessionUser } = user;
		event.locals.user = sessionUser;
		event.locals.apiKeyId = apiKeyId;
		event.locals.authMethod = 'api-key';
		return resolve(event);
	}

	if (event.cookies.get(sessionCookieName(db))) {
		if (!isSameOriginRequest(event.request, event.url, getConfig().ORIGIN)) {
			return errorResponse(
				new AppError('forbidden', 'Cross-site request refused: the Origin header does not match this site.')
			);
		}
		const session = await readSession(db, event.cookies, cookiePolicy(event));
		if (session) {
			event.locals.user = session.user;
			event.locals.sessionId = session.sessionId;
			event.locals.authMethod = 'session';
		}
	}
	return resolve(event);
}
