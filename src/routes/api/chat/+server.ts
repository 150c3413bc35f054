import { getConfig } from '$lib/server/config';
import { errorResponse } from '$lib/server/errors';
import { readJson } from '$lib/server/http/read-json';
import { streamingCaller } from '$lib/server/http/streaming-caller';
import { checkHistory } from '$lib/server/protocols/history-limits';
import { chatRequestSchema } from '$lib/server/protocols/ui-message/request';
import { uiMessageStreamResponse } from '$lib/server/protocols/ui-message/response';
import { toCallerTurn } from '$lib/server/protocols/ui-message/to-caller-turn';
import { runOf, startCallerTurn } from '$lib/server/turns/start-caller-turn';
import type { RequestHandler } from './$types';

/**
 * The app's own chat stream (AI SDK UI message stream). The server keeps the history and takes
 * only what is new from the body; an unused `id` starts a task with that id. The run belongs to
 * the server: a client that goes away can resume it with `GET /api/chat/{id}/stream`.
 */
export const POST: RequestHandler = async (event) => {
	const headers = new Headers();
	try {
		const config = getConfig();
		const body = await readJson(event.request, chatRequestSchema);
		checkHistory(body.messages, config, 'messages');
		const viewer = await streamingCaller(event, headers, body.anonymous_id);
		const turn = await startCallerTurn({ db: event.locals.db, config }, toCallerTurn(body, viewer));
		return uiMessageStreamResponse(runOf(turn), headers);
	} catch (error) {
		return errorResponse(error, headers);
	}
};
