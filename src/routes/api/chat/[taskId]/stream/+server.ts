import { errorResponse } from '$lib/server/errors';
import { viewerOf } from '$lib/server/http/viewer';
import { uiMessageStreamResponse } from '$lib/server/protocols/ui-message/response';
import { resumeRun } from '$lib/server/runtime/runs';
import { getOwnTask } from '$lib/server/services/tasks';
import type { RequestHandler } from './$types';

/** Resumes the run in progress on a task, replaying it from the start; 204 when none runs. */
export const GET: RequestHandler = async (event) => {
	try {
		const { viewer } = viewerOf(event);
		await getOwnTask(event.locals.db, viewer, event.params.taskId);
		const events = await resumeRun(event.params.taskId);
		if (!events) return new Response(null, { status: 204 });
		return uiMessageStreamResponse(events);
	} catch (error) {
		return errorResponse(error);
	}
};
