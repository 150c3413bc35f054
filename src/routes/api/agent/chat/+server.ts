import { getConfig } from '$lib/server/config';
import { errorResponse } from '$lib/server/errors';
import { limitStreamingRequest } from '$lib/server/http/rate-limit';
import { readJson } from '$lib/server/http/read-json';
import { ANONYMOUS_ID_HEADER, viewerOf } from '$lib/server/http/viewer';
import { agentRunRequestSchema } from '$lib/server/protocols/agent-api/request';
import { agentApiChatResponse } from '$lib/server/protocols/agent-api/response';
import { startAgentTurn } from '$lib/server/protocols/agent-api/start-agent-turn';
import type { RequestHandler } from './$types';

export const trailingSlash = 'ignore';

/**
 * The agent API without streaming: the same input as the stream, answered with one JSON object
 * once the run ends or needs action. A caller that goes away stops its run.
 */
export const POST: RequestHandler = async (event) => {
	const headers = new Headers();
	try {
		const config = getConfig();
		const body = await readJson(event.request, agentRunRequestSchema);
		const { viewer, isNew } = viewerOf(event, body.anonymous_id);
		if (isNew && viewer.kind === 'anonymous') headers.set(ANONYMOUS_ID_HEADER, viewer.anonymousId);
		limitStreamingRequest(event.locals, config.RATE_LIMIT_PER_MINUTE, viewer.kind === 'anonymous' ? viewer.anonymousId : undefined);
		const run = await startAgentTurn({ db: event.locals.db, config, viewer, body });
		return agentApiChatResponse(run.subscribe({ onCancel: () => run.stop('caller-gone') }), headers);
	} catch (error) {
		return errorResponse(error, headers);
	}
};
