import type { PlaygroundRequest } from './types';

/** A JSON POST to a path of this site. */
export function jsonRequest(url: string, value: unknown, headers: Record<string, string> = {}): PlaygroundRequest {
	return { method: 'POST', url, headers: { 'content-type': 'application/json', ...headers }, body: { kind: 'json', value } };
}

/** The exact text of a JSON body, the same for the request sent and its curl copy. */
export function jsonBodyText(value: unknown): string {
	return JSON.stringify(value);
}

/**
 * The header (and value) that marks a request as the playground's, so that the tasks it makes are
 * kept out of the chat sidebar. Sent by the browser only: the curl copies leave it out.
 */
export const PLAYGROUND_HEADER: readonly [string, string] = ['x-parley-playground', '1'];

/**
 * What `fetch` needs to send the request, marked as the playground's. A multipart body goes as
 * `FormData`, so the browser writes the `content-type` with its boundary.
 */
export function toFetchInit(request: PlaygroundRequest, signal?: AbortSignal): RequestInit {
	const [name, value] = PLAYGROUND_HEADER;
	const init: RequestInit = { method: request.method, headers: { ...request.headers, [name]: value }, signal };
	if (request.body.kind === 'json') {
		init.body = jsonBodyText(request.body.value);
	} else if (request.body.kind === 'form') {
		const form = new FormData();
		for (const [name, value] of request.body.fields) form.append(name, value);
		init.body = form;
	}
	return init;
}
