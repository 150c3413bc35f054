import { getConfig } from '$lib/server/config';
import { readJson } from '$lib/server/http/read-json';
import { streamingCaller } from '$lib/server/http/streaming-caller';
import { agentRunRequestSchema } from '$lib/server/protocols/agent-api/request';
import { agentApiErrorResponse, agentApiStreamResponse } from '$lib/server/protocols/agent-api/response';
import { toCallerTurn } from '$lib/server/protocols/agent-api/to-caller-turn';
import { checkHistory } from '$lib/server/protocols/history-limits';
import { runOf, startCallerTurn } from '$lib/server/turns/start-caller-turn';
import type { RequestHandler } from './$types';

export const trailingSlash = 'ignore';

/**
 * The agent API's stream (`api.md` §2): a message to an agent on a new or existing session,
 * answered with named SSE events ending with `done`. A caller that goes away stops its run,
 * which is stored as interrupted.
 */
export const POST: RequestHandler = async (event) => {
	const headers = new Headers();
	try {
		const config = getConfig();
		const body = await readJson(event.request, agentRunRequestSchema);
		const viewer = await streamingCaller(event, headers, body.anonymous_id);
		// The history this face carries is the new message; the server keeps the rest.
		checkHistory([body.message], config, 'message');
		const run = runOf(await startCallerTurn({ db: event.locals.db, config }, toCallerTurn(body, viewer)));
		return agentApiStreamResponse(run.subscribe({ onCancel: () => run.stop('caller-gone') }), headers);
	} catch (error) {
		return agentApiErrorResponse(error, headers);
	}
};
