import { errorResponse } from '$lib/server/errors';
import { getOwnFile, toFileMeta } from '$lib/server/files/file-records';
import { viewerOf } from '$lib/server/http/viewer';
import type { RequestHandler } from './$types';

/** A file's summary plus its text extraction status, extracted text length and why reading failed (owner or admin). */
export const GET: RequestHandler = async (event) => {
	try {
		const { viewer } = viewerOf(event);
		return Response.json(toFileMeta(await getOwnFile(event.locals.db, viewer, event.params.id)));
	} catch (error) {
		return errorResponse(error);
	}
};
