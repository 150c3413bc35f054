import type { IncomingMessage } from 'node:http';
import { ToolError } from '../tools/tool-error';
import { normalizeHost } from './allowed-hosts';
import { checkedAddresses, defaultLookup, type HostLookup } from './checked-addresses';
import { formatDuration } from './format-duration';
import { readResponseBody } from './read-response-body';
import { isRedirect, redirectedRequest } from './redirects';
import { responseOf, type SafeFetchResponse } from './response-of';
import { requestFailure, requestHeaders, sendRequest } from './send-request';

/**
 * An SSRF-safe HTTP client for tools. Every URL, including every redirect hop, is checked before
 * it is requested: only http(s), and only hosts whose addresses are all public unless the host is
 * allow-listed. The connection is pinned to the checked addresses, so a DNS answer that changes
 * between the check and the connect (DNS rebinding) cannot reach another address.
 *
 * It is built on `node:http`/`node:https` rather than `fetch`: the npm `undici` package (whose
 * Agent could pin the address) is only a transitive dependency here, and `fetch` offers no hook.
 */

/** Default cap on the (decoded) response body: 1 MB. */
export const DEFAULT_MAX_BYTES = 1024 * 1024;
/** Default time limit of a whole request, redirects and body included: 10 s. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Default number of redirects followed. */
export const DEFAULT_MAX_REDIRECTS = 5;

/** The request: like `fetch`'s init, reduced to what tools need. */
export interface SafeFetchInit {
	/** GET (default), HEAD, POST, PUT, PATCH, DELETE or OPTIONS. */
	method?: string;
	headers?: Record<string, string>;
	body?: string | Uint8Array;
	/** Aborts the request, e.g. when the run stops. */
	signal?: AbortSignal;
}

/** Limits and policy of {@link safeFetch}. */
export interface SafeFetchOptions {
	/** Hostnames (exact, case-insensitive) that may resolve to private or local addresses. */
	allowedHosts?: readonly string[];
	/** Cap on the response body in bytes; default 1 MB. */
	maxBytes?: number;
	/** Time limit of the whole request in milliseconds; default 10 s. */
	timeoutMs?: number;
	/** Redirects followed before giving up; default 5. */
	maxRedirects?: number;
	/** DNS resolution; defaults to `dns.promises.lookup` with `all: true`. */
	lookup?: HostLookup;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

/** Parses a URL and refuses anything but http(s). */
function parseUrl(input: string | URL, base?: URL): URL {
	let url: URL;
	try {
		url = new URL(input, base);
	} catch {
		throw new ToolError(`"${String(input)}" is not a valid URL.`);
	}
	if (url.protocol !== 'http:' && url.protocol !== 'https:') {
		const scheme = url.protocol.slice(0, -1);
		throw new ToolError(`Refused: only http and https URLs are allowed, not ${scheme}.`);
	}
	return url;
}

/** The error a request fails with when its own time limit or the caller's signal ends it. */
function abortedError(timeout: AbortSignal, timeoutMs: number): ToolError {
	return timeout.aborted
		? new ToolError(`The request timed out after ${formatDuration(timeoutMs)}.`)
		: new ToolError('The request was cancelled.');
}

/**
 * Fetches an http(s) URL for a tool, refusing private, local and otherwise special addresses
 * (unless the host is in `options.allowedHosts`), following at most 5 redirects with each hop
 * re-checked, pinning each connection to the checked addresses, capping the body at 1 MB and the
 * whole request at 10 s by default.
 * @throws {ToolError} with a message fit for the model, e.g.
 *   `Refused: example.internal resolves to a private address (10.0.0.5).`
 */
export async function safeFetch(input: string | URL, init: SafeFetchInit = {}, options: SafeFetchOptions = {}): Promise<SafeFetchResponse> {
	const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const maxRedirects = options.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
	const lookup = options.lookup ?? defaultLookup;
	const allowed = new Set((options.allowedHosts ?? []).map(normalizeHost));

	let method = (init.method ?? 'GET').toUpperCase();
	if (!METHODS.has(method)) throw new ToolError(`Unsupported HTTP method "${init.method}".`);
	let url = parseUrl(input);
	let headers = requestHeaders(init.headers);
	let body = method === 'GET' || method === 'HEAD' ? undefined : init.body;

	const timeout = AbortSignal.timeout(timeoutMs);
	const signal = init.signal ? AbortSignal.any([timeout, init.signal]) : timeout;
	if (signal.aborted) throw abortedError(timeout, timeoutMs);

	try {
		for (let redirects = 0; ; redirects++) {
			const addresses = await checkedAddresses(url, allowed, lookup, signal);
			let response: IncomingMessage;
			try {
				response = await sendRequest({ url, method, headers, body, addresses, signal });
			} catch (error) {
				if (signal.aborted) throw error;
				throw requestFailure(url, error);
			}
			const status = response.statusCode ?? 0;
			const location = response.headers.location;
			if (isRedirect(status, location)) {
				response.destroy();
				if (redirects >= maxRedirects) {
					throw new ToolError(`Too many redirects (more than ${maxRedirects}).`);
				}
				const next = parseUrl(location, url);
				({ method, headers, body } = redirectedRequest({ method, headers, body }, status, url, next));
				url = next;
				continue;
			}
			// A HEAD response declares the length of a body it does not send.
			const bytes = method === 'HEAD' ? Buffer.alloc(0) : await readResponseBody(response, maxBytes, signal);
			response.destroy();
			return responseOf(url, response, bytes);
		}
	} catch (error) {
		if (error instanceof ToolError) throw error;
		if (signal.aborted) throw abortedError(timeout, timeoutMs);
		throw requestFailure(url, error);
	}
}
