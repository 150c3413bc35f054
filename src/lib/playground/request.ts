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
 * What `fetch` needs to send the request. A multipart body goes as `FormData`, so the browser
 * writes the `content-type` with its boundary.
 */
export function toFetchInit(request: PlaygroundRequest, signal?: AbortSignal): RequestInit {
	const init: RequestInit = { method: request.method, headers: { ...request.headers }, signal };
	if (request.body.kind === 'json') {
		init.body = jsonBodyText(request.body.value);
	} else if (request.body.kind === 'form') {
		const form = new FormData();
		for (const [name, value] of request.body.fields) form.append(name, value);
		init.body = form;
	}
	return init;
}
