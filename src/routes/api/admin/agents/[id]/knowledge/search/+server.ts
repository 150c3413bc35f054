import { json } from '@sveltejs/kit';
import { readJson } from '$lib/server/http/read-json';
import { knowledgeSearchInputSchema } from '$lib/server/trpc/routers/knowledge';
import { knowledgeErrorResponse, knowledgeRequest } from '../knowledge-endpoint.server';
import type { RequestHandler } from './$types';

/**
 * A trial search of the agent's knowledge (JSON: `query`, `scope`, `weights`, `limit`), answered
 * with the envelope its search tool would give the model (admins).
 */
export const POST: RequestHandler = async (event) => {
	try {
		const { agentId, knowledge } = await knowledgeRequest(event);
		const input = await readJson(event.request, knowledgeSearchInputSchema);
		return json(await knowledge.search({ agentId, ...input }));
	} catch (error) {
		return knowledgeErrorResponse(error);
	}
};
