import { errorResponse } from '$lib/server/errors';
import { getOwnFile } from '$lib/server/files/file-records';
import { storedFileResponse } from '$lib/server/files/file-response';
import { viewerOf } from '$lib/server/http/viewer';
import type { RequestHandler } from './$types';

/** Downloads a file (its owner or an admin), never rendered by the browser as a page (see `storedFileResponse`). */
export const GET: RequestHandler = async (event) => {
	try {
		const { viewer } = viewerOf(event);
		return await storedFileResponse(await getOwnFile(event.locals.db, viewer, event.params.id));
	} catch (error) {
		return errorResponse(error);
	}
};
