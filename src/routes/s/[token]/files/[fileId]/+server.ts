import { errorResponse } from '$lib/server/errors';
import { contentDisposition, getFileStorage } from '$lib/server/services/files';
import { getSharedFile } from '$lib/server/services/share-links';
import { linkDisposition } from '$lib/server/services/storage';
import type { RequestHandler } from './$types';

/**
 * A file shown in a shared chat, for anyone with its link: only files the shared copy links to
 * (404 for any other, and once the link is revoked). Served like `/api/files/{id}`: never run as
 * a page, only raster images inline.
 */
export const GET: RequestHandler = async (event) => {
	try {
		const file = await getSharedFile(event.locals.db, event.params.token, event.params.fileId);
		const body = await getFileStorage().stream(file.storageKey);
		return new Response(body, {
			headers: {
				'content-type': file.mimeType,
				'content-length': String(file.size),
				'content-disposition': contentDisposition(file.name, linkDisposition(file.mimeType, 'inline')),
				'x-content-type-options': 'nosniff',
				'content-security-policy': "default-src 'none'; sandbox",
				'x-robots-tag': 'noindex',
				// A revoked link must stop serving at once: nothing keeps a copy.
				'cache-control': 'private, no-store'
			}
		});
	} catch (error) {
		return errorResponse(error);
	}
};
