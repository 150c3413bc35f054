/**
 * Links to uploaded files as messages and the APIs show them: `/api/files/{id}`.
 */

/** The download path of a file. */
export function fileUrl(id: string): string {
	return `/api/files/${encodeURIComponent(id)}`;
}

/** The id in a link to an uploaded file (`/api/files/{id}`), or undefined for any other address. */
export function fileIdOfUrl(url: string): string | undefined {
	const match = /^\/api\/files\/([^/?#]+)$/.exec(url);
	if (!match) return undefined;
	try {
		return decodeURIComponent(match[1]);
	} catch {
		return undefined;
	}
}
