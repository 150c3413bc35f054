import { getConfig } from '$lib/server/config';
import { readJson } from '$lib/server/http/read-json';
import { streamingCaller } from '$lib/server/http/streaming-caller';
import { assertJsonContentType, checkRunAgentInput, runAgentInputSchema } from '$lib/server/protocols/ag-ui/request';
import { agUiErrorResponse, agUiStreamResponse } from '$lib/server/protocols/ag-ui/response';
import { toCallerTurn } from '$lib/server/protocols/ag-ui/to-caller-turn';
import { TASK_ID_HEADER } from '$lib/server/protocols/openai/response';
import { waitingEvents } from '$lib/server/protocols/openai/waiting-events';
import type { RunEvent } from '$lib/server/runtime/events';
import { assertRunIdFree, eventsOf, ownerOf, trackAgUiRun, type AgUiRun } from '$lib/server/services/ag-ui-runs';
import { findTask } from '$lib/server/services/tasks';
import { startCallerTurn } from '$lib/server/turns/start-caller-turn';
import type { RequestHandler } from './$types';

/**
 * AG-UI: `POST /ag-ui/{agent}` runs the agent on a thread (a Parley task: `threadId` is its id,
 * and an id not yet used makes the caller's task with it) and streams AG-UI events over SSE, each
 * with its `id:`. The run belongs to the server: a front end that goes away does not stop it, and
 * can read it again with `GET /ag-ui/{agent}/runs/{runId}/events`.
 */
export const POST: RequestHandler = async (event) => {
	const headers = new Headers();
	try {
		const config = getConfig();
		const { db } = event.locals;
		assertJsonContentType(event.request.headers.get('content-type'));
		const body = await readJson(event.request, runAgentInputSchema);
		checkRunAgentInput(body, config);
		const viewer = await streamingCaller(event, headers);
		assertRunIdFree(ownerOf(viewer), body.runId, config);
		const threadExists = (await findTask(db, body.threadId)) !== undefined;
		const turn = await startCallerTurn({ db, config }, toCallerTurn(body, event.params.agent, viewer, threadExists));
		headers.set(TASK_ID_HEADER, turn.task.id);
		const waiting: RunEvent[] = [];
		if (turn.kind === 'waiting') {
			const reader = waitingEvents(turn.task.id, turn.agent.model, turn.messageId, turn.pending).getReader();
			for (let read = await reader.read(); !read.done; read = await reader.read()) waiting.push(read.value);
		}
		const run: AgUiRun = {
			runId: body.runId,
			threadId: turn.task.id,
			agent: { id: turn.agent.id, slug: turn.agent.slug },
			owner: ownerOf(viewer),
			run: turn.kind === 'run' ? turn.run : null,
			events: waiting
		};
		try {
			trackAgUiRun(run, config);
		} catch (error) {
			// The same run id came twice at once: the later run goes, unnamed, before it says anything.
			run.run?.stop('caller-gone');
			throw error;
		}
		return agUiStreamResponse(eventsOf(run), { threadId: run.threadId, runId: run.runId }, headers);
	} catch (error) {
		return agUiErrorResponse(error, headers);
	}
};
