import type { Cookies } from '@sveltejs/kit';
import type { Db } from '../db';
import { getLucia, type SessionUser } from './lucia';

export type { SessionUser } from './lucia';

/** Whether cookies are marked `Secure`: always over https, never on plain-http test runs. */
export interface CookiePolicy {
	secure: boolean;
}

/** The name of the session cookie. */
export function sessionCookieName(db: Db): string {
	return getLucia(db).sessionCookieName;
}

/** Starts a session for a user and sets its cookie. */
export async function startSession(db: Db, cookies: Cookies, userId: string, policy: CookiePolicy) {
	const lucia = getLucia(db);
	const session = await lucia.createSession(userId, {});
	const cookie = lucia.createSessionCookie(session.id);
	cookies.set(cookie.name, cookie.value, { path: '/', ...cookie.attributes, secure: policy.secure });
}

/** Ends a session and clears its cookie. */
export async function endSession(db: Db, cookies: Cookies, sessionId: string, policy: CookiePolicy) {
	const lucia = getLucia(db);
	await lucia.invalidateSession(sessionId);
	const cookie = lucia.createBlankSessionCookie();
	cookies.set(cookie.name, cookie.value, { path: '/', ...cookie.attributes, secure: policy.secure });
}

/**
 * Reads the session cookie: returns the user and session id, refreshing the cookie when lucia
 * extended the session and clearing it when the session is gone. Disabled accounts get no user.
 */
export async function readSession(
	db: Db,
	cookies: Cookies,
	policy: CookiePolicy
): Promise<{ user: SessionUser; sessionId: string } | null> {
	const lucia = getLucia(db);
	const sessionId = cookies.get(lucia.sessionCookieName);
	if (!sessionId) return null;
	const { session, user } = await lucia.validateSession(sessionId);
	if (session?.fresh) {
		const cookie = lucia.createSessionCookie(session.id);
		cookies.set(cookie.name, cookie.value, { path: '/', ...cookie.attributes, secure: policy.secure });
	}
	if (!session || !user) {
		const cookie = lucia.createBlankSessionCookie();
		cookies.set(cookie.name, cookie.value, { path: '/', ...cookie.attributes, secure: policy.secure });
		return null;
	}
	if (user.disabled) return null;
	return { user, sessionId: session.id };
}
