import { json } from '@sveltejs/kit';
import { getConfig } from '$lib/server/config';
import { errorResponse } from '$lib/server/errors';
import { readJson } from '$lib/server/http/read-json';
import { requireUser } from '$lib/server/http/viewer';
import { agentInputSchema, assertAdmin, createAgent, listAgentResources } from '$lib/server/services/agent-admin';
import type { RequestHandler } from './$types';

export const trailingSlash = 'ignore';

/** The agents the caller may use, as a bare array. */
export const GET: RequestHandler = async ({ locals }) => {
	try {
		return json(await listAgentResources(locals.db, requireUser(locals)));
	} catch (error) {
		return errorResponse(error);
	}
};

/** Creates an agent (admins). */
export const POST: RequestHandler = async ({ locals, request }) => {
	try {
		const viewer = requireUser(locals);
		assertAdmin(viewer);
		const input = await readJson(request, agentInputSchema);
		return json(await createAgent({ db: locals.db, config: getConfig(), viewer }, input), { status: 201 });
	} catch (error) {
		return errorResponse(error);
	}
};
