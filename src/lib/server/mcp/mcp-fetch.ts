import type { IncomingMessage } from 'node:http';
import { normalizeHost } from '../net/allowed-hosts';
import { checkedAddresses, defaultLookup, type HostLookup } from '../net/checked-addresses';
import { requestFailure, requestHeaders, sendRequest } from '../net/send-request';
import { ToolError } from '../tools/tool-error';
import { formatBytes } from '../../format-bytes';

/**
 * A `fetch` for the MCP SDK's Streamable HTTP transport that keeps the SSRF rules of HTTP tools:
 * only http(s), only hosts whose addresses are all public unless allow-listed, each connection
 * pinned to the checked addresses (no DNS rebinding). Unlike `safeFetch` its body streams, since
 * an MCP server answers with server-sent events that may stay open. Redirects are not followed
 * (a 3xx reaches the SDK, which reports it), and every body is capped at `maxBytes`.
 */

/** The policy of {@link mcpFetch}. */
export interface McpFetchOptions {
	/** Hosts that may resolve to private or local addresses. */
	allowedHosts: readonly string[];
	/** Cap on each response body, in bytes. */
	maxBytes: number;
	lookup?: HostLookup;
}

/** The `fetch` signature the SDK's transports take. */
export type FetchLike = (url: string | URL, init?: RequestInit) => Promise<Response>;

/** A request's headers as a plain object. */
function headersOf(init: RequestInit | undefined): Record<string, string> {
	return Object.fromEntries(new Headers(init?.headers).entries());
}

/** A request body the SDK sends (JSON text, or an OAuth token request's form), as bytes or text. */
function bodyOf(body: RequestInit['body']): string | Uint8Array | undefined {
	if (body === undefined || body === null) return undefined;
	if (typeof body === 'string' || body instanceof Uint8Array) return body;
	if (body instanceof URLSearchParams) return body.toString();
	if (body instanceof ArrayBuffer) return new Uint8Array(body);
	throw new ToolError('An MCP request body must be text or bytes.');
}

/** The response head and a streaming, size-capped body. */
function toResponse(message: IncomingMessage, maxBytes: number): Response {
	const headers = new Headers();
	for (const [name, value] of Object.entries(message.headers)) {
		if (value === undefined) continue;
		for (const item of Array.isArray(value) ? value : [value]) headers.append(name, item);
	}
	const status = message.statusCode ?? 502;
	const noBody = status === 204 || status === 304;
	let total = 0;
	const body = noBody
		? null
		: new ReadableStream<Uint8Array>({
				start(controller) {
					message.on('data', (chunk: Buffer) => {
						total += chunk.length;
						if (total > maxBytes) {
							controller.error(new ToolError(`The MCP server's response is larger than ${formatBytes(maxBytes, { exact: true })}.`));
							message.destroy();
							return;
						}
						controller.enqueue(new Uint8Array(chunk));
					});
					message.on('end', () => {
						try {
							controller.close();
						} catch {
							// Already errored.
						}
					});
					message.on('error', (error) => {
						try {
							controller.error(error);
						} catch {
							// Already closed.
						}
					});
				},
				cancel() {
					message.destroy();
				}
			});
	if (noBody) message.resume();
	return new Response(body, { status, statusText: message.statusMessage, headers });
}

/** Makes the SSRF-safe streaming `fetch` of an MCP server. */
export function mcpFetch(options: McpFetchOptions): FetchLike {
	const allowed = new Set(options.allowedHosts.map(normalizeHost));
	const lookup = options.lookup ?? defaultLookup;
	return async (input, init) => {
		const url = new URL(String(input));
		if (url.protocol !== 'http:' && url.protocol !== 'https:') {
			throw new ToolError(`Refused: only http and https URLs are allowed, not ${url.protocol.slice(0, -1)}.`);
		}
		const signal = init?.signal ?? new AbortController().signal;
		const addresses = await checkedAddresses(url, allowed, lookup, signal);
		const method = (init?.method ?? 'GET').toUpperCase();
		try {
			const message = await sendRequest({
				url,
				method,
				headers: requestHeaders(headersOf(init)),
				body: method === 'GET' || method === 'HEAD' ? undefined : bodyOf(init?.body),
				addresses,
				signal
			});
			return toResponse(message, options.maxBytes);
		} catch (error) {
			if (signal.aborted) throw error;
			throw requestFailure(url, error);
		}
	};
}
