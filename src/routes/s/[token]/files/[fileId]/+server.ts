import { errorResponse } from '$lib/server/errors';
import { storedFileResponse } from '$lib/server/files/file-response';
import { getSharedFile } from '$lib/server/services/share-links';
import type { RequestHandler } from './$types';

/**
 * A file shown in a shared chat, for anyone with its link: only files the shared copy links to
 * (404 for any other, and once the link is revoked). Served like `/api/files/{id}`.
 */
export const GET: RequestHandler = async (event) => {
	try {
		return await storedFileResponse(await getSharedFile(event.locals.db, event.params.token, event.params.fileId), {
			'x-robots-tag': 'noindex',
			// A revoked link must stop serving at once: nothing keeps a copy.
			'cache-control': 'private, no-store'
		});
	} catch (error) {
		return errorResponse(error);
	}
};
