import { json } from '@sveltejs/kit';
import { knowledgeErrorResponse, knowledgeRequest } from '../../knowledge-endpoint.server';
import type { RequestHandler } from './$types';

/** Indexes a knowledge source again, in the background (admins); 202. */
export const POST: RequestHandler = async (event) => {
	try {
		const { agentId, knowledge } = await knowledgeRequest(event);
		await knowledge.reindex({ agentId, sourceId: event.params.sourceId });
		return json({ id: event.params.sourceId, status: 'pending' }, { status: 202 });
	} catch (error) {
		return knowledgeErrorResponse(error);
	}
};
