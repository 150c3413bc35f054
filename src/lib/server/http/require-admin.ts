import { error } from '@sveltejs/kit';
import { requireLogin } from './require-login';

/**
 * Lets only admins through: a visitor who is not logged in goes to the log-in page (coming back
 * here afterwards); a signed-in user who is not an admin gets a 403 page.
 */
export function requireAdmin(locals: App.Locals, url: URL): void {
	requireLogin(locals, url);
	if (locals.user?.role !== 'admin') error(403, 'Only admins can open the admin pages.');
}
