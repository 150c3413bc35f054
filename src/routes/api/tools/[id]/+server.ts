import { json } from '@sveltejs/kit';
import { errorResponse } from '$lib/server/errors';
import { readJson } from '$lib/server/http/read-json';
import { requireUser } from '$lib/server/http/viewer';
import { assertAdmin, deleteTool, getToolResource, toolInputSchema, toolPatchSchema, updateTool } from '$lib/server/services/tool-admin';
import type { RequestHandler } from './$types';

export const trailingSlash = 'ignore';

/** One tool the caller may use, by id. */
export const GET: RequestHandler = async ({ locals, params }) => {
	try {
		return json(await getToolResource(locals.db, requireUser(locals), params.id));
	} catch (error) {
		return errorResponse(error);
	}
};

/** Replaces a tool (admins); left-out fields take their defaults. */
export const PUT: RequestHandler = async ({ locals, params, request }) => {
	try {
		const viewer = requireUser(locals);
		assertAdmin(viewer);
		const input = await readJson(request, toolInputSchema);
		return json(await updateTool({ db: locals.db, viewer }, params.id, input));
	} catch (error) {
		return errorResponse(error);
	}
};

/** Changes some fields of a tool (admins). */
export const PATCH: RequestHandler = async ({ locals, params, request }) => {
	try {
		const viewer = requireUser(locals);
		assertAdmin(viewer);
		const changes = await readJson(request, toolPatchSchema);
		return json(await updateTool({ db: locals.db, viewer }, params.id, changes));
	} catch (error) {
		return errorResponse(error);
	}
};

/** Deletes a tool (admins); agents that had it lose it. */
export const DELETE: RequestHandler = async ({ locals, params }) => {
	try {
		await deleteTool({ db: locals.db, viewer: requireUser(locals) }, params.id);
		return new Response(null, { status: 204 });
	} catch (error) {
		return errorResponse(error);
	}
};
