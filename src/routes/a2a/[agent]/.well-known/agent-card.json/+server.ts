import { AgentCard } from '@a2a-js/sdk';
import { AppError, errorResponse } from '$lib/server/errors';
import { viewerOf } from '$lib/server/http/viewer';
import { agentCardOf } from '$lib/server/protocols/a2a/card';
import { getUsableAgent } from '$lib/server/services/agents';
import { version } from '$lib/version';
import type { RequestHandler } from './$types';

/** The A2A card of an agent the caller may use (a non-public one needs a key): its skills, its JSON-RPC URL. */
export const GET: RequestHandler = async (event) => {
	try {
		const { viewer } = viewerOf(event);
		// An anonymous caller is not told that an agent it may not use exists.
		const agent = await getUsableAgent(event.locals.db, viewer, event.params.agent, 'agent').catch((error: unknown) => {
			if (error instanceof AppError && error.code === 'unauthorized') {
				throw new AppError('not_found', `No agent "${event.params.agent}" is available to you.`, { field: 'agent' });
			}
			throw error;
		});
		const card = agentCardOf(agent, event.url.origin, version, agent.visibility === 'public');
		return Response.json(AgentCard.toJSON(card), { headers: { 'cache-control': 'no-store' } });
	} catch (error) {
		return errorResponse(error);
	}
};
