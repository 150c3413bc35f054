import { redirect } from '@sveltejs/kit';

/** Sends a visitor who is not logged in to the log-in page, coming back here afterwards. */
export function requireLogin(locals: App.Locals, url: URL): void {
	if (!locals.user) redirect(303, `/login?next=${encodeURIComponent(url.pathname + url.search)}`);
}
