import { errorResponse } from '$lib/server/errors';
import { viewerOf } from '$lib/server/http/viewer';
import { stopRun } from '$lib/server/runtime/runs';
import { getOwnTask } from '$lib/server/services/tasks';
import type { RequestHandler } from './$types';

/** Stops the run on a task (its owner or an admin); the partial answer is kept as interrupted. */
export const POST: RequestHandler = async (event) => {
	try {
		const { viewer } = viewerOf(event);
		await getOwnTask(event.locals.db, viewer, event.params.taskId, { allowAdmin: true });
		const messageId = await stopRun(event.params.taskId);
		if (!messageId) return Response.json({ stopped: false, reason: 'Nothing is running on this task.' });
		return Response.json({ stopped: true, messageId });
	} catch (error) {
		return errorResponse(error);
	}
};
