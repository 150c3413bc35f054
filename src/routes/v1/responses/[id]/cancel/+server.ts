import { viewerOf } from '$lib/server/http/viewer';
import { responsesErrorResponse } from '$lib/server/protocols/openai-responses/errors';
import { getOwnResponse, liveResponse } from '$lib/server/services/stored-responses';
import type { RequestHandler } from './$types';

/**
 * Cancels a response of the caller's that is in progress: its run stops, and the response, with
 * the output it had, comes back as `cancelled`. A response that has ended comes back as it is.
 */
export const POST: RequestHandler = async (event) => {
	try {
		const { viewer } = viewerOf(event);
		const { db } = event.locals;
		const row = await getOwnResponse(db, viewer, event.params.id);
		const running = liveResponse(row.id);
		if (!running) return Response.json(row.body);
		running.run.stop('stopped');
		await running.settled;
		return Response.json((await getOwnResponse(db, viewer, row.id)).body);
	} catch (error) {
		return responsesErrorResponse(error);
	}
};
