import { requireUser } from '$lib/server/http/viewer';
import { openAIErrorResponse } from '$lib/server/protocols/openai/errors';
import { toModel } from '$lib/server/protocols/openai/to-model-list';
import { getUsableAgent } from '$lib/server/services/agents';
import type { RequestHandler } from './$types';

/** One agent as an OpenAI model (the SDK's `models.retrieve`); 404 when the caller may not use it. */
export const GET: RequestHandler = async ({ locals, params }) => {
	try {
		const viewer = locals.user ? requireUser(locals) : null;
		return Response.json(toModel(await getUsableAgent(locals.db, viewer, params.model, 'model')));
	} catch (error) {
		return openAIErrorResponse(error);
	}
};
