import type { LookupAddress } from 'node:dns';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { ToolError } from '../tools/tool-error';
import { normalizeHost } from './allowed-hosts';
import { pinnedLookup } from './pinned-lookup';

/** Headers the caller may not set: they describe the connection, which safeFetch owns. */
const CONNECTION_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'upgrade']);

/** One request of a fetch: the first, or a redirect's. */
export interface Hop {
	url: URL;
	method: string;
	headers: Record<string, string>;
	body: string | Uint8Array | undefined;
	addresses: LookupAddress[];
	signal: AbortSignal;
}

/** Sends one request on a fresh connection to the pinned addresses; resolves with the response head. */
export function sendRequest(hop: Hop): Promise<IncomingMessage> {
	const { url } = hop;
	const transport = url.protocol === 'https:' ? https : http;
	const auth = url.username ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}` : undefined;
	return new Promise((resolve, reject) => {
		const request = transport.request(
			{
				protocol: url.protocol,
				hostname: normalizeHost(url.hostname),
				port: url.port || undefined,
				path: `${url.pathname}${url.search}`,
				method: hop.method,
				headers: hop.headers,
				auth,
				// No pooling: a kept-alive socket must never serve a request its host was not checked for.
				agent: false,
				lookup: pinnedLookup(hop.addresses),
				signal: hop.signal
			},
			(response) => {
				// Errors surface through the stream iterator; this keeps a late one from crashing.
				response.on('error', () => {});
				resolve(response);
			}
		);
		request.on('error', reject);
		request.end(hop.body);
	});
}

/** The caller's headers without connection-level ones, with a default user agent. */
export function requestHeaders(headers: Record<string, string> | undefined): Record<string, string> {
	const result: Record<string, string> = { 'user-agent': 'Parley' };
	for (const [name, value] of Object.entries(headers ?? {})) {
		const lower = name.toLowerCase();
		if (!CONNECTION_HEADERS.has(lower)) result[lower] = value;
	}
	return result;
}

/** Makes the describable message of a low-level failure (refused connection, bad header…). */
export function requestFailure(url: URL, error: unknown): ToolError {
	const code = error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
	const message = error instanceof Error ? error.message : String(error);
	// Node's own validation errors (a bad header, say) explain themselves; network errors have a code.
	const detail = code === undefined || code.startsWith('ERR_') ? message : code;
	return new ToolError(`The request to ${url.host} failed (${detail}).`, { cause: error });
}
