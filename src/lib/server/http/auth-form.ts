import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { cookiePolicy } from '../auth/handle';
import { startSession, type SessionUser } from '../auth/session';
import { toAppError } from '../errors';
import { readActionForm } from './read-form';
import { redirectTarget } from './redirect-target';

/**
 * Runs a log-in or sign-up form action: reads `email` and `password`, calls `authenticate`, starts
 * a session and redirects. Errors come back to the form with their field and a kept email.
 */
export async function handleAuthForm(
	event: RequestEvent,
	authenticate: (credentials: { email: unknown; password: unknown }) => Promise<SessionUser>
) {
	const form = await readActionForm(event.request);
	const email = form.get('email');
	const password = form.get('password');
	let user: SessionUser;
	try {
		user = await authenticate({ email, password });
	} catch (thrown) {
		const error = toAppError(thrown);
		if (error.code === 'internal') throw thrown;
		return fail(error.status, {
			email: typeof email === 'string' ? email : '',
			message: error.message,
			field: error.field ?? null
		});
	}
	await startSession(event.locals.db, event.cookies, user.id, cookiePolicy(event));
	redirect(303, redirectTarget(event.url));
}
