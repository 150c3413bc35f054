/** Media types of files sent as bare base64, by file name extension. */
const mediaTypesByExtension: Record<string, string> = {
	pdf: 'application/pdf',
	txt: 'text/plain',
	md: 'text/markdown',
	csv: 'text/csv',
	json: 'application/json',
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	gif: 'image/gif',
	webp: 'image/webp'
};

/** The longest address quoted in a note about a left-out attachment. */
const MAX_QUOTED_URL = 200;

/** The media type of a data URL, or undefined when the text is not one. */
export function dataUrlMediaType(url: string): string | undefined {
	const match = /^data:([^;,]*)((?:;[^;,]*)*),/i.exec(url);
	if (!match) return undefined;
	return match[1] ? match[1].toLowerCase() : 'text/plain';
}

/** The media type of a file sent as bare base64, guessed from its name (`application/octet-stream` if unknown). */
export function mediaTypeOfFilename(filename: string | undefined | null): string {
	const extension = filename?.split('.').pop()?.toLowerCase() ?? '';
	return mediaTypesByExtension[extension] ?? 'application/octet-stream';
}

/** A short quotation of an address for a note. */
export function quoteUrl(url: string): string {
	return url.length > MAX_QUOTED_URL ? `${url.slice(0, MAX_QUOTED_URL)}…` : url;
}
