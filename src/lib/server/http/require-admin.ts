import { error, fail } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { requireLogin } from './require-login';

/**
 * Lets only admins through: a visitor who is not logged in goes to the log-in page (coming back
 * here afterwards); a signed-in user who is not an admin gets a 403 page.
 */
export function requireAdmin(locals: App.Locals, url: URL): void {
	requireLogin(locals, url);
	if (locals.user?.role !== 'admin') error(403, 'Only admins can open the admin pages.');
}

const failureStatus: Partial<Record<TRPCError['code'], number>> = {
	NOT_FOUND: 404,
	FORBIDDEN: 403,
	CONFLICT: 409
};

/** An admin form action's refused tRPC call as a form failure with its message; anything else is rethrown. */
export function adminFormFailure(cause: unknown) {
	if (cause instanceof TRPCError && cause.code !== 'INTERNAL_SERVER_ERROR') {
		return fail(failureStatus[cause.code] ?? 400, { message: cause.message });
	}
	throw cause;
}
