import { contentDisposition } from './file-names';
import type { FileRecord } from './file-records';
import { getFileStorage } from './get-file-storage';
import { linkDisposition } from './storage';

/**
 * A stored file's bytes as a response that the browser never renders as a page: only raster
 * images are shown in the tab (see {@link linkDisposition}), every other type is saved, and even
 * opened directly an uploaded HTML or SVG file runs no script and loads nothing. `headers` adds to
 * (or replaces) the defaults, e.g. its caching.
 */
export async function storedFileResponse(
	file: Pick<FileRecord, 'storageKey' | 'mimeType' | 'size' | 'name'>,
	headers: Record<string, string> = {}
): Promise<Response> {
	const body = await getFileStorage().stream(file.storageKey);
	return new Response(body, {
		headers: {
			'content-type': file.mimeType,
			'content-length': String(file.size),
			'content-disposition': contentDisposition(file.name, linkDisposition(file.mimeType, 'inline')),
			'x-content-type-options': 'nosniff',
			'content-security-policy': "default-src 'none'; sandbox",
			'cache-control': 'private, no-cache',
			...headers
		}
	});
}
