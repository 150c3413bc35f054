import { json } from '@sveltejs/kit';
import { getConfig } from '$lib/server/config';
import { errorResponse } from '$lib/server/errors';
import { requireUser } from '$lib/server/http/viewer';
import { refreshMcpServer } from '$lib/server/services/mcp-servers';
import type { RequestHandler } from './$types';

export const trailingSlash = 'ignore';

/** Connects to an MCP server again and re-reads its tools (admins). */
export const POST: RequestHandler = async ({ locals, params }) => {
	try {
		return json(await refreshMcpServer({ db: locals.db, config: getConfig(), viewer: requireUser(locals) }, params.id));
	} catch (error) {
		return errorResponse(error);
	}
};
