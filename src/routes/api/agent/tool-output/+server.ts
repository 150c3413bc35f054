import { getConfig } from '$lib/server/config';
import { errorResponse } from '$lib/server/errors';
import { readJson } from '$lib/server/http/read-json';
import { streamingCaller } from '$lib/server/http/streaming-caller';
import { answerAgentToolCall } from '$lib/server/protocols/agent-api/answer-agent-tool-call';
import { toolOutputRequestSchema } from '$lib/server/protocols/agent-api/request';
import { agentApiDoneResponse, agentApiStreamResponse } from '$lib/server/protocols/agent-api/response';
import type { RequestHandler } from './$types';

export const trailingSlash = 'ignore';

/**
 * Answers one tool call of a session: while others still wait, a stream holding only `done`
 * (`requires_action`, the remaining calls); the last answer continues the run, streamed like
 * `POST /api/agent/stream/`.
 */
export const POST: RequestHandler = async (event) => {
	try {
		const config = getConfig();
		const body = await readJson(event.request, toolOutputRequestSchema);
		const viewer = await streamingCaller(event, new Headers(), body.anonymous_id);
		const answer = await answerAgentToolCall({ db: event.locals.db, config, viewer, body });
		const { run } = answer;
		if (!run) {
			return agentApiDoneResponse({
				session_id: answer.sessionId,
				message_id: answer.messageId,
				status: 'requires_action',
				pending_tool_calls: answer.pending
			});
		}
		return agentApiStreamResponse(run.subscribe({ onCancel: () => run.stop('caller-gone') }), undefined, {
			sessionId: answer.sessionId,
			messageId: answer.messageId
		});
	} catch (error) {
		return errorResponse(error);
	}
};
