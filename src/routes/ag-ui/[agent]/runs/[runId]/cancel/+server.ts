import { getConfig } from '$lib/server/config';
import { viewerOf } from '$lib/server/http/viewer';
import { agUiErrorResponse } from '$lib/server/protocols/ag-ui/response';
import { getOwnAgUiRun } from '$lib/server/services/ag-ui-runs';
import type { RequestHandler } from './$types';

/**
 * Cancels one of the caller's AG-UI runs: it stops, its partial answer is kept (stored as
 * interrupted), and its stream ends with `RUN_FINISHED` whose outcome is `cancelled`. A run that
 * has ended is left as it is.
 */
export const POST: RequestHandler = async (event) => {
	try {
		const { viewer } = viewerOf(event);
		const entry = getOwnAgUiRun(viewer, event.params.agent, event.params.runId, getConfig());
		const { run } = entry;
		if (!run || run.isEnded) {
			return Response.json({ runId: entry.runId, threadId: entry.threadId, cancelled: false, reason: 'The run has ended.' });
		}
		run.stop('stopped');
		await run.finished;
		return Response.json({ runId: entry.runId, threadId: entry.threadId, cancelled: true });
	} catch (error) {
		return agUiErrorResponse(error);
	}
};
