import { AgentCard } from '@a2a-js/sdk';
import { errorResponse } from '$lib/server/errors';
import { directoryCardOf } from '$lib/server/protocols/a2a/card';
import { listAgents } from '$lib/server/services/agents';
import { version } from '$lib/version';
import type { RequestHandler } from './$types';

/**
 * Parley's A2A directory: a card naming Parley whose skills are its public agents, each linking
 * that agent's own card (`agents` lists them with their card URLs).
 */
export const GET: RequestHandler = async (event) => {
	try {
		const agents = await listAgents(event.locals.db, null);
		const origin = event.url.origin;
		const { card, agents: links } = directoryCardOf(agents, origin, version);
		return Response.json(
			{ ...(AgentCard.toJSON(card) as Record<string, unknown>), agents: links },
			{ headers: { 'cache-control': 'no-store' } }
		);
	} catch (error) {
		return errorResponse(error);
	}
};
