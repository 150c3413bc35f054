import { errorResponse } from '$lib/server/errors';
import { viewerOf } from '$lib/server/http/viewer';
import { contentDisposition, getFileStorage, getOwnFile } from '$lib/server/services/files';
import { linkDisposition } from '$lib/server/services/storage';
import type { RequestHandler } from './$types';

/**
 * Downloads a file (its owner or an admin), never rendered by the browser as a page: only raster
 * images are shown in the tab (see {@link linkDisposition}), every other type is saved.
 */
export const GET: RequestHandler = async (event) => {
	try {
		const { viewer } = viewerOf(event);
		const file = await getOwnFile(event.locals.db, viewer, event.params.id);
		const body = await getFileStorage().stream(file.storageKey);
		return new Response(body, {
			headers: {
				'content-type': file.mimeType,
				'content-length': String(file.size),
				'content-disposition': contentDisposition(file.name, linkDisposition(file.mimeType, 'inline')),
				'x-content-type-options': 'nosniff',
				// Even opened directly, an uploaded HTML or SVG file runs no script and loads nothing.
				'content-security-policy': "default-src 'none'; sandbox",
				'cache-control': 'private, no-cache'
			}
		});
	} catch (error) {
		return errorResponse(error);
	}
};
