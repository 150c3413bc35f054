import { errorResponse } from '$lib/server/errors';
import { requireUser } from '$lib/server/http/viewer';
import { listShareLinks, toShareLinkJson } from '$lib/server/services/share-links';
import type { RequestHandler } from './$types';

/** The caller's share links, newest first; `?task_id=` keeps one task's. */
export const GET: RequestHandler = async (event) => {
	try {
		const user = requireUser(event.locals);
		const taskId = event.url.searchParams.get('task_id') ?? undefined;
		const links = await listShareLinks(event.locals.db, user.id, { taskId });
		return Response.json({ links: links.map((link) => toShareLinkJson(link, event.url.origin)) });
	} catch (error) {
		return errorResponse(error);
	}
};
