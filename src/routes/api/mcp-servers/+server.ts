import { json } from '@sveltejs/kit';
import { getConfig } from '$lib/server/config';
import { errorResponse } from '$lib/server/errors';
import { readJson } from '$lib/server/http/read-json';
import { requireUser } from '$lib/server/http/viewer';
import { assertAdmin } from '$lib/server/services/agent-admin';
import { createMcpServer, listMcpServers, mcpServerInputSchema } from '$lib/server/services/mcp-servers';
import type { RequestHandler } from './$types';

export const trailingSlash = 'ignore';

/** Every MCP server, with its state and tools (admins). */
export const GET: RequestHandler = async ({ locals }) => {
	try {
		return json(await listMcpServers({ db: locals.db, viewer: requireUser(locals) }));
	} catch (error) {
		return errorResponse(error);
	}
};

/** Adds an MCP server and tests it (admins); a failing server is saved as `failing`. */
export const POST: RequestHandler = async ({ locals, request }) => {
	try {
		const viewer = requireUser(locals);
		assertAdmin(viewer);
		const input = await readJson(request, mcpServerInputSchema);
		return json(await createMcpServer({ db: locals.db, config: getConfig(), viewer }, input), { status: 201 });
	} catch (error) {
		return errorResponse(error);
	}
};
