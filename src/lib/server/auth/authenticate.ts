import type { Cookies } from '@sveltejs/kit';
import type { Db } from '../db';
import { AppError } from '../errors';
import { authenticateApiKey } from './api-keys';
import { readSession, sessionCookieName, type CookiePolicy } from './session';

/** Who a caller is and how it proved it: what `App.Locals` holds besides the database. */
export type Authentication = Omit<App.Locals, 'db'>;

/** What a caller presents: an API key, or a session cookie from a page of this site. */
export interface Credentials {
	/** The API key of an `Authorization: Bearer` header (or, on a socket, of its `key` query). */
	apiKey: string | null;
	cookies: Cookies;
	/**
	 * Called when the caller sends a session cookie: the error to refuse it with when it does not
	 * come from this site (a cross-site request or socket), else null.
	 */
	crossSite(): AppError | null;
	cookiePolicy: CookiePolicy;
}

/** No one: the caller sent neither a key nor a session. */
export const ANONYMOUS: Authentication = { user: null, sessionId: null, apiKeyId: null, authMethod: null };

/** The `Authorization: Bearer` token of a header value, if it has one. */
export function bearerToken(header: string | null | undefined): string | null {
	return header?.match(/^Bearer\s+(\S+)\s*$/i)?.[1] ?? null;
}

/**
 * Authenticates a caller, the same way over HTTP and over the WebSocket chat: an API key first
 * (`unauthorized` when it is invalid or revoked), else the session cookie — refused as the
 * transport says when it comes from another site, ignored when the session is gone.
 */
export async function authenticate(db: Db, credentials: Credentials): Promise<Authentication> {
	if (credentials.apiKey) {
		const user = await authenticateApiKey(db, credentials.apiKey);
		if (!user) throw new AppError('unauthorized', 'The API key is invalid or revoked.');
		const { apiKeyId, ...sessionUser } = user;
		return { user: sessionUser, sessionId: null, apiKeyId, authMethod: 'api-key' };
	}
	if (!credentials.cookies.get(sessionCookieName(db))) return ANONYMOUS;
	const refused = credentials.crossSite();
	if (refused) throw refused;
	const session = await readSession(db, credentials.cookies, credentials.cookiePolicy);
	if (!session) return ANONYMOUS;
	return { user: session.user, sessionId: session.sessionId, apiKeyId: null, authMethod: 'session' };
}
