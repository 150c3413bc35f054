import { requireUser } from '$lib/server/http/viewer';
import { openAIErrorResponse } from '$lib/server/protocols/openai/errors';
import { toModelList } from '$lib/server/protocols/openai/to-model-list';
import { findAgent, listAgents } from '$lib/server/services/agents';
import type { RequestHandler } from './$types';

/** The agents the caller may use, as OpenAI models (`id` = agent slug); anonymous callers see public agents. */
export const GET: RequestHandler = async ({ locals }) => {
	try {
		const viewer = locals.user ? requireUser(locals) : null;
		const summaries = await listAgents(locals.db, viewer);
		const agents = await Promise.all(summaries.map((summary) => findAgent(locals.db, summary.id)));
		return Response.json(toModelList(agents.filter((agent) => agent !== undefined)));
	} catch (error) {
		return openAIErrorResponse(error);
	}
};
