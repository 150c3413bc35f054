import type { RequestEvent } from '@sveltejs/kit';
import { errorResponse } from '$lib/server/errors';
import { fileUrlSecret, nowInSeconds, verifyFileLink, type FileLinkClaims } from '$lib/server/files/file-links';
import { contentDisposition } from '$lib/server/files/file-names';
import { getFileStorage } from '$lib/server/files/get-file-storage';
import { linkDisposition } from '$lib/server/files/storage';
import type { RequestHandler } from './$types';

/** The claims of the request's link (403 when altered or expired) and the bytes it names (404 when gone). */
async function openLink(event: RequestEvent<{ token: string }>) {
	const claims = verifyFileLink(await fileUrlSecret(event.locals.db), event.params.token);
	const body = await getFileStorage().stream(claims.storageKey);
	return { claims, body };
}

/** The headers of a download through a link: its type and name, cached privately until it expires. */
function downloadHeaders(claims: FileLinkClaims): Headers {
	const remaining = Math.max(0, claims.expiresAt - nowInSeconds());
	return new Headers({
		'content-type': claims.mediaType,
		'content-disposition': contentDisposition(claims.fileName, linkDisposition(claims.mediaType, claims.disposition)),
		'x-content-type-options': 'nosniff',
		// Even opened directly, an HTML or SVG file runs no script and loads nothing.
		'content-security-policy': "default-src 'none'; sandbox",
		'cache-control': `private, max-age=${remaining}`
	});
}

/**
 * Downloads a file through a signed link (`signedFileUrl`); the signature is the permission, so
 * no session or key is needed. Only raster images are shown inline.
 */
export const GET: RequestHandler = async (event) => {
	try {
		const { claims, body } = await openLink(event);
		return new Response(body, { headers: downloadHeaders(claims) });
	} catch (error) {
		return errorResponse(error);
	}
};

/** What {@link GET} would answer, without the bytes. */
export const HEAD: RequestHandler = async (event) => {
	try {
		const { claims, body } = await openLink(event);
		await body.cancel();
		return new Response(null, { headers: downloadHeaders(claims) });
	} catch (error) {
		return errorResponse(error);
	}
};
