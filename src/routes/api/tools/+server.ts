import { json } from '@sveltejs/kit';
import { errorResponse } from '$lib/server/errors';
import { readJson } from '$lib/server/http/read-json';
import { requireUser } from '$lib/server/http/viewer';
import { assertAdmin, createTool, listToolResources, toolInputSchema } from '$lib/server/services/tool-admin';
import type { RequestHandler } from './$types';

export const trailingSlash = 'ignore';

/** The tools the caller may use (all of them for admins), as a bare array. */
export const GET: RequestHandler = async ({ locals }) => {
	try {
		return json(await listToolResources(locals.db, requireUser(locals)));
	} catch (error) {
		return errorResponse(error);
	}
};

/** Creates a tool (admins). */
export const POST: RequestHandler = async ({ locals, request }) => {
	try {
		const viewer = requireUser(locals);
		assertAdmin(viewer);
		const input = await readJson(request, toolInputSchema);
		return json(await createTool({ db: locals.db, viewer }, input), { status: 201 });
	} catch (error) {
		return errorResponse(error);
	}
};
