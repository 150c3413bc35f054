import { json } from '@sveltejs/kit';
import { getConfig } from '$lib/server/config';
import { errorResponse } from '$lib/server/errors';
import { readJson } from '$lib/server/http/read-json';
import { requireUser } from '$lib/server/http/viewer';
import { mcpSignInStartSchema, startMcpSignIn } from '$lib/server/services/mcp-servers';
import type { RequestHandler } from './$types';

export const trailingSlash = 'ignore';

/**
 * Starts an OAuth sign-in to an MCP server: `{ authorization_url }` to send the person to (an
 * admin for the shared connection; anyone signed in for their own per-user one). Browsers open
 * the same path with GET (the page beside this) and are sent there at once.
 */
export const POST: RequestHandler = async ({ locals, params, request, url }) => {
	try {
		const viewer = requireUser(locals);
		const body = await readJson(request, mcpSignInStartSchema, 4096);
		const started = await startMcpSignIn({ db: locals.db, config: getConfig(), viewer }, params.id, {
			returnTo: body.return_to,
			origin: url.origin
		});
		return json(started);
	} catch (error) {
		return errorResponse(error);
	}
};
