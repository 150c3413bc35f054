import { errorResponse } from '$lib/server/errors';
import { readShareRequest } from '$lib/server/http/share-requests';
import { requireUser } from '$lib/server/http/viewer';
import { sharePath, shareTask, toShareLinkJson } from '$lib/server/services/share-links';
import type { RequestHandler } from './$types';

/**
 * Shares a task of the caller's as a read-only public page (`/s/{token}`) of its active branch as
 * it is now: 201 with a new link, or 200 when the task's link is updated to the current messages.
 */
export const POST: RequestHandler = async (event) => {
	try {
		const user = requireUser(event.locals);
		const body = await readShareRequest(event.request);
		const link = await shareTask(event.locals.db, user.id, event.params.id, { title: body.title });
		return Response.json(
			{ ...toShareLinkJson(link, event.url.origin), created: link.created },
			{ status: link.created ? 201 : 200, headers: { location: sharePath(link.token) } }
		);
	} catch (error) {
		return errorResponse(error);
	}
};
