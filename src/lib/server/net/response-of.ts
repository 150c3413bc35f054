import type { IncomingMessage } from 'node:http';

/** What `safeFetch` returns. */
export interface SafeFetchResponse {
	/** The final URL, after redirects. */
	url: string;
	status: number;
	/** Response headers, lower-case names; repeated headers joined with ", ". */
	headers: Record<string, string>;
	/** The `content-type` header, or "" when there is none. */
	contentType: string;
	/** The body decoded as text (charset from the content type, else UTF-8). */
	body: string;
	/** The body's bytes, as received. */
	bytes: Uint8Array;
	/** The parsed body when the content type is JSON and the body parses. */
	json?: unknown;
}

/** Decodes bytes with the content type's charset, falling back to UTF-8. */
function decodeText(bytes: Buffer, contentType: string): string {
	const charset = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType)?.[1];
	try {
		return new TextDecoder(charset ?? 'utf-8').decode(bytes);
	} catch {
		return new TextDecoder('utf-8').decode(bytes);
	}
}

/** Whether a content type is JSON (`application/json` or any `+json`). */
function isJsonType(contentType: string): boolean {
	const mime = contentType.split(';')[0].trim().toLowerCase();
	return mime === 'application/json' || mime.endsWith('+json');
}

/** Response headers as a plain object. */
function headersOf(response: IncomingMessage): Record<string, string> {
	const headers: Record<string, string> = {};
	for (const [name, value] of Object.entries(response.headers)) {
		if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
	}
	return headers;
}

/** The response as `safeFetch` returns it: headers, text, bytes, and JSON when the content type says so. */
export function responseOf(url: URL, response: IncomingMessage, bytes: Buffer): SafeFetchResponse {
	const status = response.statusCode ?? 0;
	const contentType = response.headers['content-type'] ?? '';
	const text = decodeText(bytes, contentType);
	const headersOut = headersOf(response);
	const result: SafeFetchResponse = { url: url.href, status, headers: headersOut, contentType, body: text, bytes };
	if (isJsonType(contentType) && text.trim() !== '') {
		try {
			result.json = JSON.parse(text);
		} catch {
			// Not valid JSON after all: the text body is still returned.
		}
	}
	return result;
}
