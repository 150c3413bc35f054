import { getConfig } from '$lib/server/config';
import { readJson } from '$lib/server/http/read-json';
import { streamingCaller } from '$lib/server/http/streaming-caller';
import { toolOutputRequestSchema } from '$lib/server/protocols/agent-api/request';
import { agentApiDoneResponse, agentApiErrorResponse, agentApiStreamResponse } from '$lib/server/protocols/agent-api/response';
import { toolPartToAgentApiToolCall } from '$lib/server/protocols/agent-api/to-agent-api-chunk';
import { toolOutputToCallerTurn } from '$lib/server/protocols/agent-api/to-caller-turn';
import { startCallerTurn } from '$lib/server/turns/start-caller-turn';
import type { RequestHandler } from './$types';

export const trailingSlash = 'ignore';

/**
 * Answers one tool call of a session: while others still wait, a stream holding only `done`
 * (`requires_action`, the remaining calls); the last answer continues the run, streamed like
 * `POST /api/agent/stream/`. An unknown or foreign session, or a call that does not wait, is a 404.
 */
export const POST: RequestHandler = async (event) => {
	try {
		const config = getConfig();
		const body = await readJson(event.request, toolOutputRequestSchema);
		const viewer = await streamingCaller(event, new Headers(), body.anonymous_id);
		const turn = await startCallerTurn({ db: event.locals.db, config }, toolOutputToCallerTurn(body, viewer));
		if (turn.kind === 'waiting') {
			return agentApiDoneResponse({
				session_id: turn.task.id,
				message_id: turn.messageId,
				status: 'requires_action',
				pending_tool_calls: turn.pending.map(toolPartToAgentApiToolCall)
			});
		}
		const { run } = turn;
		return agentApiStreamResponse(run.subscribe({ onCancel: () => run.stop('caller-gone') }), undefined, {
			sessionId: turn.task.id,
			messageId: run.messageId
		});
	} catch (error) {
		return agentApiErrorResponse(error);
	}
};
