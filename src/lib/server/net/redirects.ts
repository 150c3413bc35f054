/** Statuses whose `location` is followed. */
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers dropped when a redirect leaves the origin, as `fetch` does. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/** What a request becomes when it follows a redirect. */
export interface RedirectedRequest {
	method: string;
	headers: Record<string, string>;
	body: string | Uint8Array | undefined;
}

/** Whether a response is a redirect to follow: a redirect status with a `location`. */
export function isRedirect(status: number, location: string | undefined): location is string {
	return REDIRECT_STATUSES.has(status) && Boolean(location);
}

/**
 * The request to send to a redirect's target `next`, as `fetch` does it: 303 (except for HEAD),
 * and 301/302 after a POST, become a GET without body or content type; leaving the origin drops
 * the credential headers.
 */
export function redirectedRequest(request: RedirectedRequest, status: number, from: URL, next: URL): RedirectedRequest {
	let { method, headers, body } = request;
	const becomesGet = (status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST');
	if (becomesGet) {
		method = 'GET';
		body = undefined;
		headers = { ...headers };
		delete headers['content-type'];
	}
	if (next.origin !== from.origin) {
		const kept = Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name));
		headers = Object.fromEntries(kept);
	}
	return { method, headers, body };
}
