import { getConfig } from '$lib/server/config';
import { viewerOf } from '$lib/server/http/viewer';
import { agUiErrorResponse, agUiStreamResponse, lastEventIdOf } from '$lib/server/protocols/ag-ui/response';
import { eventsOf, getOwnAgUiRun } from '$lib/server/services/ag-ui-runs';
import type { RequestHandler } from './$types';

/**
 * The events of one of the caller's AG-UI runs, running or ended (kept `AG_UI_REPLAY_SECONDS`),
 * after the one `Last-Event-ID` names (all without it), then live until the run ends: a front end
 * that reloads mid-answer picks it up here.
 */
export const GET: RequestHandler = async (event) => {
	try {
		const { viewer } = viewerOf(event);
		const after = lastEventIdOf(event.request.headers.get('last-event-id'), event.url.searchParams.get('last_event_id'));
		const run = getOwnAgUiRun(viewer, event.params.agent, event.params.runId, getConfig());
		return agUiStreamResponse(eventsOf(run), { threadId: run.threadId, runId: run.runId }, undefined, after);
	} catch (error) {
		return agUiErrorResponse(error);
	}
};
