import { error, redirect } from '@sveltejs/kit';
import { getConfig } from '$lib/server/config';
import { toAppError } from '$lib/server/errors';
import { startMcpSignIn } from '$lib/server/services/mcp-servers';
import type { PageServerLoad } from './$types';

/**
 * A browser's way to start a sign-in (the "Sign in" and "Connect" links): straight on to the
 * authorization server, coming back to `return_to`; a person not logged in logs in first.
 */
export const load: PageServerLoad = async ({ locals, params, url }) => {
	if (!locals.user) redirect(303, `/login?${new URLSearchParams({ next: `${url.pathname}${url.search}` })}`);
	let target: string;
	try {
		const returnTo = url.searchParams.get('return_to') ?? undefined;
		if (returnTo && returnTo.length > 2000) throw new Error('return_to is too long');
		const started = await startMcpSignIn(
			{ db: locals.db, config: getConfig(), viewer: { kind: 'user', id: locals.user.id, role: locals.user.role } },
			params.id,
			{ returnTo, origin: url.origin }
		);
		target = started.authorization_url;
	} catch (thrown) {
		const appError = toAppError(thrown);
		if (appError.code === 'internal') console.error('[parley] MCP sign-in failed to start', appError.cause);
		error(appError.status, appError.code === 'internal' ? 'The sign-in could not start. Try again in a moment.' : appError.message);
	}
	redirect(303, target);
};
