import { errorResponse } from '$lib/server/errors';
import { requireUser } from '$lib/server/http/viewer';
import { revokeShareLink } from '$lib/server/services/share-links';
import type { RequestHandler } from './$types';

/** Revokes a share link of the caller's: its page answers 404 from now on. */
export const DELETE: RequestHandler = async (event) => {
	try {
		const user = requireUser(event.locals);
		await revokeShareLink(event.locals.db, user.id, event.params.token);
		return Response.json({ revoked: true, token: event.params.token });
	} catch (error) {
		return errorResponse(error);
	}
};
