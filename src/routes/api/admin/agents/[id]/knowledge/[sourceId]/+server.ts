import { knowledgeErrorResponse, knowledgeRequest } from '../knowledge-endpoint.server';
import type { RequestHandler } from './$types';

/** Removes a knowledge source with its chunks (admins); 204. */
export const DELETE: RequestHandler = async (event) => {
	try {
		const { agentId, knowledge } = await knowledgeRequest(event);
		await knowledge.delete({ agentId, sourceId: event.params.sourceId });
		return new Response(null, { status: 204 });
	} catch (error) {
		return knowledgeErrorResponse(error);
	}
};
