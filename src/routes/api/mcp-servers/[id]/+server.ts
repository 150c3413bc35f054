import { json } from '@sveltejs/kit';
import { getConfig } from '$lib/server/config';
import { errorResponse } from '$lib/server/errors';
import { readJson } from '$lib/server/http/read-json';
import { requireUser } from '$lib/server/http/viewer';
import { assertAdmin } from '$lib/server/services/agent-admin';
import { deleteMcpServer, getMcpServer, mcpServerPatchSchema, updateMcpServer } from '$lib/server/services/mcp-servers';
import type { RequestHandler } from './$types';

export const trailingSlash = 'ignore';

/** One MCP server (admins). */
export const GET: RequestHandler = async ({ locals, params }) => {
	try {
		return json(await getMcpServer({ db: locals.db, viewer: requireUser(locals) }, params.id));
	} catch (error) {
		return errorResponse(error);
	}
};

/** Changes some fields of an MCP server and tests it again (admins). */
export const PATCH: RequestHandler = async ({ locals, params, request }) => {
	try {
		const viewer = requireUser(locals);
		assertAdmin(viewer);
		const changes = await readJson(request, mcpServerPatchSchema);
		return json(await updateMcpServer({ db: locals.db, config: getConfig(), viewer }, params.id, changes));
	} catch (error) {
		return errorResponse(error);
	}
};

/** Removes an MCP server and its tools (admins). */
export const DELETE: RequestHandler = async ({ locals, params }) => {
	try {
		await deleteMcpServer({ db: locals.db, viewer: requireUser(locals) }, params.id);
		return new Response(null, { status: 204 });
	} catch (error) {
		return errorResponse(error);
	}
};
