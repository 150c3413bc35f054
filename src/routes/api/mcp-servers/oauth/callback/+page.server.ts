import { redirect } from '@sveltejs/kit';
import { getConfig } from '$lib/server/config';
import { SignInFailure } from '$lib/server/mcp/oauth/sign-in';
import { finishMcpSignIn } from '$lib/server/services/mcp-servers';
import type { PageServerLoad } from './$types';

/** Most characters of a callback parameter read. */
const MAX_PARAM = 2000;

/**
 * Where an MCP server's authorization server sends the person back: the sign-in is finished and
 * the person goes back to where they started it; a refused, unknown, expired or failed sign-in
 * is shown here with the way back.
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const param = (name: string) => url.searchParams.get(name)?.slice(0, MAX_PARAM) ?? null;
	if (!locals.user) {
		return { message: 'Log in, then start the sign-in to the MCP server again.', back: '/login' };
	}
	let returnTo: string;
	try {
		({ returnTo } = await finishMcpSignIn(
			{ db: locals.db, config: getConfig(), viewer: { kind: 'user', id: locals.user.id, role: locals.user.role } },
			{ state: param('state'), code: param('code'), error: param('error'), errorDescription: param('error_description') }
		));
	} catch (thrown) {
		if (thrown instanceof SignInFailure) return { message: thrown.message, back: thrown.returnTo ?? '/' };
		console.error('[parley] MCP sign-in failed', thrown);
		return { message: 'The sign-in could not be finished. Try again in a moment.', back: '/' };
	}
	redirect(303, returnTo);
};
