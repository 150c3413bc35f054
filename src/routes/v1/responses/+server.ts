import { getConfig } from '$lib/server/config';
import { readJson } from '$lib/server/http/read-json';
import { streamingCaller } from '$lib/server/http/streaming-caller';
import { onCallerGone } from '$lib/server/protocols/openai/caller-gone';
import { TASK_ID_HEADER } from '$lib/server/protocols/openai/response';
import { waitingEvents } from '$lib/server/protocols/openai/waiting-events';
import { responsesErrorResponse } from '$lib/server/protocols/openai-responses/errors';
import { referencedIds, resolveWithPositions } from '$lib/server/protocols/openai-responses/item-references';
import { priorHostedCalls } from '$lib/server/protocols/openai-responses/live';
import { checkResponsesInput, createResponseRequestSchema } from '$lib/server/protocols/openai-responses/request';
import { newResponseId, responseContext, toRequestEcho, toResponseObject } from '$lib/server/protocols/openai-responses/response-object';
import { openResponsesStreamResponse } from '$lib/server/protocols/openai-responses/to-openai-responses-chunk';
import { toCallerTurn } from '$lib/server/protocols/openai-responses/to-caller-turn';
import { newFullResponse } from '$lib/server/protocols/responses-event-builder';
import {
	findOwnItems,
	finishResponse,
	getContinuableResponse,
	removeResponseTask,
	saveResponse,
	trackLiveResponse,
	withItemId
} from '$lib/server/services/stored-responses';
import { startCallerTurn } from '$lib/server/turns/start-caller-turn';
import type { RequestHandler } from './$types';

/**
 * OpenAI Responses (Open Responses): `POST /v1/responses`, streamed or not. `model` names the
 * agent; a response is a turn of a task (see services/stored-responses.ts for how they map). Its
 * task's id comes back in `X-Parley-Task-Id`. A caller that goes away stops the answer, which is
 * kept as cancelled.
 */
export const POST: RequestHandler = async (event) => {
	const headers = new Headers();
	try {
		const config = getConfig();
		const { db } = event.locals;
		const body = await readJson(event.request, createResponseRequestSchema);
		const viewer = await streamingCaller(event, headers, body.anonymous_id);
		checkResponsesInput(body, config);
		const previous = body.previous_response_id
			? await getContinuableResponse(db, viewer, body.previous_response_id, 'previous_response_id')
			: null;
		const { items, positions } = resolveWithPositions(body.input, await findOwnItems(db, viewer, referencedIds(body.input)));
		const face = toCallerTurn(body, items, viewer, previous, positions);
		const turn = await startCallerTurn({ db, config }, face.turn);

		const store = body.store !== false;
		const id = newResponseId();
		const run = turn.kind === 'run' ? turn.run : null;
		const messageId = run ? run.messageId : turn.kind === 'waiting' ? turn.messageId : '';
		const hostedTools = face.hostedTools();
		const request = toRequestEcho(body);
		const createdAt = Date.now();
		const context = () => responseContext({ id, request, createdAt, hostedTools, priorCalls: priorHostedCalls(turn.parts, hostedTools) });
		const events = () =>
			run ? run.subscribe() : waitingEvents(turn.task.id, turn.agent.model, messageId, turn.kind === 'waiting' ? turn.pending : []);
		headers.set(TASK_ID_HEADER, turn.task.id);

		if (store) {
			const started = newFullResponse({ id, request }, Math.floor(createdAt / 1000));
			await saveResponse(db, { id, taskId: turn.task.id, messageId, body: { ...started }, items: items.map((item) => withItemId(item)) });
		}
		// The response is kept as it ends, whoever reads it meanwhile; a task made for a response
		// that is not stored goes once its run has ended.
		const settled = (async () => {
			const final = await toResponseObject(events(), context());
			if (store) await finishResponse(db, id, { ...final });
			else if (turn.created) {
				await run?.finished;
				await removeResponseTask(db, turn.task.id);
			}
		})().catch((error) => console.error(`[parley] could not keep the response ${id}`, error));
		if (run && store) trackLiveResponse(id, { run, settled, context });

		if (body.stream) {
			const stream = run ? run.subscribe({ onCancel: () => run.stop('caller-gone') }) : events();
			return openResponsesStreamResponse(stream, context(), headers);
		}
		const stopListening = onCallerGone(event, () => run?.stop('caller-gone'));
		const final = await toResponseObject(events(), context()).finally(stopListening);
		return Response.json(final, { headers });
	} catch (error) {
		return responsesErrorResponse(error, headers);
	}
};
