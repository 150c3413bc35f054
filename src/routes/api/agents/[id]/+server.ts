import { json } from '@sveltejs/kit';
import { getConfig } from '$lib/server/config';
import { errorResponse } from '$lib/server/errors';
import { readJson } from '$lib/server/http/read-json';
import { requireUser } from '$lib/server/http/viewer';
import {
	agentInputSchema,
	assertAdmin,
	agentPatchSchema,
	deleteAgent,
	getAgentResource,
	updateAgent,
	withDefaultModel
} from '$lib/server/services/agent-admin';
import type { RequestHandler } from './$types';

export const trailingSlash = 'ignore';

/** One agent the caller may use, by id or slug. */
export const GET: RequestHandler = async ({ locals, params }) => {
	try {
		return json(await getAgentResource(locals.db, requireUser(locals), params.id));
	} catch (error) {
		return errorResponse(error);
	}
};

/** Replaces an agent (admins); left-out fields take their defaults. */
export const PUT: RequestHandler = async ({ locals, params, request }) => {
	try {
		const viewer = requireUser(locals);
		assertAdmin(viewer);
		const config = getConfig();
		const input = withDefaultModel(config, await readJson(request, agentInputSchema));
		return json(await updateAgent({ db: locals.db, config, viewer }, params.id, input));
	} catch (error) {
		return errorResponse(error);
	}
};

/** Changes some fields of an agent (admins). */
export const PATCH: RequestHandler = async ({ locals, params, request }) => {
	try {
		const viewer = requireUser(locals);
		assertAdmin(viewer);
		const changes = await readJson(request, agentPatchSchema);
		return json(await updateAgent({ db: locals.db, config: getConfig(), viewer }, params.id, changes));
	} catch (error) {
		return errorResponse(error);
	}
};

/** Deletes an agent that has no tasks (admins). */
export const DELETE: RequestHandler = async ({ locals, params }) => {
	try {
		await deleteAgent({ db: locals.db, viewer: requireUser(locals) }, params.id);
		return new Response(null, { status: 204 });
	} catch (error) {
		return errorResponse(error);
	}
};
