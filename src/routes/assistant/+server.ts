import { getConfig } from '$lib/server/config';
import { readJson } from '$lib/server/http/read-json';
import { streamingCaller } from '$lib/server/http/streaming-caller';
import { checkHistory } from '$lib/server/protocols/history-limits';
import { assistantRequestSchema, historyOf, readQuery } from '$lib/server/protocols/assistant-transport/request';
import { assistantTransportResponse, dataStreamResponse, threadErrorResponse } from '$lib/server/protocols/assistant-transport/response';
import { responseFormatOf } from '$lib/server/protocols/assistant-transport/response-format';
import { toCallerTurn } from '$lib/server/protocols/assistant-transport/to-caller-turn';
import { toThreadAnswer } from '$lib/server/protocols/assistant-transport/to-thread-answer';
import { listMessages } from '$lib/server/services/messages';
import { startCallerTurn } from '$lib/server/turns/start-caller-turn';
import type { RequestHandler } from './$types';

/** The header that names the task (thread) an answer belongs to. */
const TASK_ID_HEADER = 'x-parley-task-id';

/**
 * assistant-ui's assistant transport (`useAssistantTransportRuntime`): commands in, the thread's
 * state and the answer streamed out, as a data stream (default) or as SSE. A caller that
 * disconnects stops its run, which is stored as interrupted.
 */
export const POST: RequestHandler = async (event) => {
	const headers = new Headers();
	try {
		const config = getConfig();
		const query = readQuery(event.url);
		const format = responseFormatOf(query.protocol, event.request.headers.get('accept'));
		const body = await readJson(event.request, assistantRequestSchema);
		const viewer = await streamingCaller(event, headers, body.anonymous_id);
		checkHistory(historyOf(body), config, 'state.messages');
		const db = event.locals.db;
		const started = await startCallerTurn({ db, config }, toCallerTurn(body, viewer, query.agent));
		const turn = toThreadAnswer(started, await listMessages(db, started.task.id));
		headers.set(TASK_ID_HEADER, turn.taskId);
		return format === 'assistant-transport' ? assistantTransportResponse(turn, headers) : dataStreamResponse(turn, headers);
	} catch (error) {
		return threadErrorResponse(error, headers);
	}
};
