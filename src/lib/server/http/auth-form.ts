import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { checkCredentials, parseCredentials } from '../auth/accounts';
import { cookiePolicy } from '../auth/handle';
import { isSameOriginRequest } from '../auth/origin-check';
import { startSession, type SessionUser } from '../auth/session';
import { getConfig } from '../config';
import { AppError, toAppError } from '../errors';
import { clientAddressOf } from './client-address';
import { beginLoginAttempt } from './rate-limit';
import { readActionForm } from './read-form';
import { redirectTarget } from './redirect-target';

/**
 * Runs a log-in or sign-up form action: refuses a post from another site (403, so that no page
 * elsewhere can sign a visitor into an account of its choosing), reads `email` and `password`,
 * calls `authenticate`, starts a session and redirects. Errors come back to the form with their
 * field and a kept email; a rate-limited one also sets `retry-after`.
 */
export async function handleAuthForm(
	event: RequestEvent,
	authenticate: (credentials: { email: unknown; password: unknown }) => Promise<SessionUser>
) {
	if (!isSameOriginRequest(event.request, event.url, getConfig().ORIGIN)) {
		return fail(403, {
			email: '',
			message: 'Cross-site request refused: this form only accepts posts from this site.',
			field: null
		});
	}
	const form = await readActionForm(event.request);
	const email = form.get('email');
	const password = form.get('password');
	let user: SessionUser;
	try {
		user = await authenticate({ email, password });
	} catch (thrown) {
		const error = toAppError(thrown);
		if (error.code === 'internal') throw thrown;
		if (error.options.retryAfterSeconds !== undefined) {
			event.setHeaders({ 'retry-after': String(error.options.retryAfterSeconds) });
		}
		return fail(error.status, {
			email: typeof email === 'string' ? email : '',
			message: error.message,
			field: error.field ?? null
		});
	}
	await startSession(event.locals.db, event.cookies, user.id, cookiePolicy(event));
	redirect(303, redirectTarget(event.url));
}

/**
 * Checks log-in credentials under the failed log-in limits of the account and of the caller's
 * address: counted before the password is checked, taken back unless the password was wrong, and
 * refused (429) while either is over, even with the right password.
 */
export async function logIn(
	event: Pick<RequestEvent, 'locals' | 'request' | 'getClientAddress'>,
	credentials: { email: unknown; password: unknown }
): Promise<SessionUser> {
	const { email } = parseCredentials(credentials);
	const attempt = await beginLoginAttempt(email, clientAddressOf(event));
	try {
		const user = await checkCredentials(event.locals.db, credentials);
		await attempt.refund();
		return user;
	} catch (error) {
		const wrongPassword = error instanceof AppError && error.code === 'unauthorized';
		if (!wrongPassword) await attempt.refund();
		throw error;
	}
}
