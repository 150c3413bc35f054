import type { LookupAddress } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, isIPv4, isIPv6, type LookupFunction } from 'node:net';
import { pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';

/**
 * An SSRF-safe HTTP client for tools. Every URL, including every redirect hop, is checked before
 * it is requested: only http(s), and only hosts whose addresses are all public unless the host is
 * allow-listed. The connection is pinned to the checked addresses, so a DNS answer that changes
 * between the check and the connect (DNS rebinding) cannot reach another address.
 *
 * It is built on `node:http`/`node:https` rather than `fetch`: the npm `undici` package (whose
 * Agent could pin the address) is only a transitive dependency here, and `fetch` offers no hook.
 */

/** An error of a tool run; its message is meant for the model and the user. */
export class ToolError extends Error {
	override name = 'ToolError';
}

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

/** Resolves a hostname to all of its addresses. */
export type HostLookup = (hostname: string) => Promise<readonly LookupAddress[]>;

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

/** What {@link safeFetch} returns. */
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

/** The kind of an IP address; anything but `public` is refused unless its host is allow-listed. */
export type AddressClass =
	| 'public'
	| 'unspecified'
	| 'loopback'
	| 'private'
	| 'carrier-grade-nat'
	| 'link-local'
	| 'unique-local'
	| 'site-local'
	| 'multicast'
	| 'reserved'
	| 'invalid';

const ADDRESS_PHRASES: Record<Exclude<AddressClass, 'public'>, string> = {
	unspecified: 'an unspecified address',
	loopback: 'a loopback address',
	private: 'a private address',
	'carrier-grade-nat': 'a carrier-grade NAT address',
	'link-local': 'a link-local address',
	'unique-local': 'a unique-local address',
	'site-local': 'a site-local address',
	multicast: 'a multicast address',
	reserved: 'a reserved address',
	invalid: 'an invalid address'
};

/** IPv4 ranges that are not publicly routable, most specific first where they overlap. */
const IPV4_RANGES: ReadonlyArray<readonly [string, number, AddressClass]> = [
	['0.0.0.0', 8, 'unspecified'],
	['10.0.0.0', 8, 'private'],
	['100.64.0.0', 10, 'carrier-grade-nat'],
	['127.0.0.0', 8, 'loopback'],
	['169.254.0.0', 16, 'link-local'],
	['172.16.0.0', 12, 'private'],
	['192.0.0.0', 24, 'reserved'],
	['192.0.2.0', 24, 'reserved'],
	['192.88.99.0', 24, 'reserved'],
	['192.168.0.0', 16, 'private'],
	['198.18.0.0', 15, 'reserved'],
	['198.51.100.0', 24, 'reserved'],
	['203.0.113.0', 24, 'reserved'],
	['224.0.0.0', 4, 'multicast'],
	['240.0.0.0', 4, 'reserved']
];

/** An IPv4 address as an unsigned 32-bit number. */
function ipv4ToNumber(address: string): number {
	return address.split('.').reduce((value, part) => value * 256 + Number(part), 0);
}

/** The class of a valid dotted IPv4 address. */
function classifyIPv4(address: string): AddressClass {
	const value = ipv4ToNumber(address);
	for (const [base, prefix, kind] of IPV4_RANGES) {
		const size = 2 ** (32 - prefix);
		const start = ipv4ToNumber(base);
		if (value >= start && value < start + size) return kind;
	}
	return 'public';
}

/** The eight 16-bit groups of a valid IPv6 address (zone id dropped, embedded IPv4 expanded). */
function ipv6Groups(address: string): number[] {
	let text = address.replace(/%.*$/, '');
	const embedded = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
	if (embedded) {
		const value = ipv4ToNumber(embedded[1]);
		const groups = `${(value >>> 16).toString(16)}:${(value & 0xffff).toString(16)}`;
		text = `${text.slice(0, embedded.index)}${groups}`;
	}
	const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
	const parse = (part: string) => (part === '' ? [] : part.split(':').map((group) => parseInt(group, 16)));
	const headGroups = parse(head);
	if (tail === undefined) return headGroups;
	const tailGroups = parse(tail);
	const zeros = new Array<number>(8 - headGroups.length - tailGroups.length).fill(0);
	return [...headGroups, ...zeros, ...tailGroups];
}

/** The IPv4 address held in two 16-bit groups. */
function ipv4From(high: number, low: number): string {
	return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

/**
 * The class of a valid IPv6 address. An IPv4 address embedded by mapping, NAT64 or 6to4 is
 * classified as that IPv4 address, since that is what the connection reaches.
 */
function classifyIPv6(address: string): AddressClass {
	const g = ipv6Groups(address);
	const zerosUpTo = (count: number) => g.slice(0, count).every((group) => group === 0);
	if (zerosUpTo(8)) return 'unspecified';
	if (zerosUpTo(7) && g[7] === 1) return 'loopback';
	// ::ffff:a.b.c.d (IPv4-mapped) and 64:ff9b::a.b.c.d (NAT64) reach the embedded IPv4 address.
	if (zerosUpTo(5) && g[5] === 0xffff) return classifyIPv4(ipv4From(g[6], g[7]));
	if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((group) => group === 0)) {
		return classifyIPv4(ipv4From(g[6], g[7]));
	}
	if ((g[0] & 0xfe00) === 0xfc00) return 'unique-local';
	if ((g[0] & 0xffc0) === 0xfe80) return 'link-local';
	if ((g[0] & 0xffc0) === 0xfec0) return 'site-local';
	if ((g[0] & 0xff00) === 0xff00) return 'multicast';
	// 6to4 carries an IPv4 address in bits 16–47.
	if (g[0] === 0x2002) return classifyIPv4(ipv4From(g[1], g[2]));
	// 2001::/23 (IETF assignments, Teredo), 2001:db8::/32 and 3fff::/20 (documentation).
	if (g[0] === 0x2001 && (g[1] < 0x200 || g[1] === 0xdb8)) return 'reserved';
	if ((g[0] & 0xfff0) === 0x3ff0) return 'reserved';
	// Only 2000::/3 is global unicast; everything else (::/96, 100::/64, 64:ff9b:1::/48…) is special.
	return (g[0] & 0xe000) === 0x2000 ? 'public' : 'reserved';
}

/**
 * Classifies an IP address (IPv4, or IPv6 with or without brackets or a zone id). Anything other
 * than `public` must not be reached by a tool unless its host is allow-listed.
 */
export function classifyAddress(address: string): AddressClass {
	const bare = address.replace(/^\[(.*)\]$/, '$1');
	if (isIPv4(bare)) return classifyIPv4(bare);
	if (isIPv6(bare)) return classifyIPv6(bare);
	return 'invalid';
}

/** Splits a comma-separated list of hosts (such as `HTTP_TOOL_ALLOWED_HOSTS`). */
export function parseAllowedHosts(list: string | undefined): string[] {
	return (list ?? '')
		.split(',')
		.map((host) => host.trim())
		.filter(Boolean);
}

/** A hostname in comparable form: lower case, no IPv6 brackets, no trailing dot. */
function normalizeHost(host: string): string {
	return host
		.trim()
		.toLowerCase()
		.replace(/^\[(.*)\]$/, '$1')
		.replace(/\.$/, '');
}

/** "1 MB", "64 KB" or "100 bytes". */
function formatBytes(bytes: number): string {
	if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
	if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KB`;
	return bytes === 1 ? '1 byte' : `${bytes} bytes`;
}

/** "10 s", "1.5 s" or "100 ms". */
export function formatDuration(ms: number): string {
	return ms >= 1000 ? `${Number((ms / 1000).toFixed(3))} s` : `${ms} ms`;
}

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
/** Headers the caller may not set: they describe the connection, which safeFetch owns. */
const CONNECTION_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'upgrade']);
/** Headers dropped when a redirect leaves the origin, as `fetch` does. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

/** The error a request fails with when its own time limit or the caller's signal ends it. */
function abortedError(timeout: AbortSignal, timeoutMs: number): ToolError {
	return timeout.aborted
		? new ToolError(`The request timed out after ${formatDuration(timeoutMs)}.`)
		: new ToolError('The request was cancelled.');
}

/** Settles with `promise`, or rejects as soon as `signal` aborts. */
function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
	if (signal.aborted) return Promise.reject(signal.reason);
	return new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(signal.reason);
		signal.addEventListener('abort', onAbort, { once: true });
		promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
	});
}

const defaultLookup: HostLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

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

/** The addresses a URL's host may be reached at, after checking them against the policy. */
async function checkedAddresses(
	url: URL,
	allowed: ReadonlySet<string>,
	lookup: HostLookup,
	signal: AbortSignal
): Promise<LookupAddress[]> {
	const host = normalizeHost(url.hostname);
	const isAllowed = allowed.has(host);
	const family = isIP(host);
	if (family !== 0) {
		const kind = classifyAddress(host);
		if (!isAllowed && kind !== 'public') {
			throw new ToolError(`Refused: ${host} is ${ADDRESS_PHRASES[kind]}.`);
		}
		return [{ address: host, family }];
	}
	let addresses: readonly LookupAddress[];
	try {
		addresses = await abortable(lookup(host), signal);
	} catch (error) {
		if (signal.aborted) throw error;
		throw new ToolError(`Could not resolve ${host}.`, { cause: error });
	}
	if (addresses.length === 0) throw new ToolError(`Could not resolve ${host}.`);
	if (!isAllowed) {
		for (const { address } of addresses) {
			const kind = classifyAddress(address);
			if (kind !== 'public') {
				throw new ToolError(`Refused: ${host} resolves to ${ADDRESS_PHRASES[kind]} (${address}).`);
			}
		}
	}
	return [...addresses];
}

/** A `lookup` for `net.connect` that only ever answers with the pre-checked addresses. */
function pinnedLookup(addresses: LookupAddress[]): LookupFunction {
	return (hostname, options, callback) => {
		const family = options.family === 'IPv4' ? 4 : options.family === 'IPv6' ? 6 : options.family;
		const matching =
			family === 4 || family === 6 ? addresses.filter((address) => address.family === family) : addresses;
		if (matching.length === 0) {
			const error: NodeJS.ErrnoException = new Error(`No IPv${family} address for ${hostname}`);
			error.code = 'ENOTFOUND';
			callback(error, '', 0);
		} else if (options.all) {
			callback(null, matching);
		} else {
			callback(null, matching[0].address, matching[0].family);
		}
	};
}

interface Hop {
	url: URL;
	method: string;
	headers: Record<string, string>;
	body: string | Uint8Array | undefined;
	addresses: LookupAddress[];
	signal: AbortSignal;
}

/** Sends one request on a fresh connection to the pinned addresses; resolves with the response head. */
function send(hop: Hop): Promise<IncomingMessage> {
	const { url } = hop;
	const transport = url.protocol === 'https:' ? https : http;
	const auth = url.username
		? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
		: undefined;
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

/** The response body as a stream of decoded bytes (gzip, deflate and br are undone). */
function decodedStream(response: IncomingMessage): Readable {
	const encoding = (response.headers['content-encoding'] ?? '').trim().toLowerCase();
	const decoder =
		encoding === 'gzip' || encoding === 'x-gzip'
			? createGunzip()
			: encoding === 'deflate'
				? createInflate()
				: encoding === 'br'
					? createBrotliDecompress()
					: undefined;
	return decoder ? pipeline(response, decoder, () => {}) : response;
}

/** Reads the body incrementally, failing as soon as it exceeds `maxBytes` (counted after decoding). */
async function readBody(response: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
	const tooLarge = () => new ToolError(`The response is larger than ${formatBytes(maxBytes)}.`);
	const declared = Number(response.headers['content-length']);
	if (!response.headers['content-encoding'] && Number.isFinite(declared) && declared > maxBytes) {
		response.destroy();
		throw tooLarge();
	}
	const stream = decodedStream(response);
	const onAbort = () => stream.destroy(signal.reason);
	signal.addEventListener('abort', onAbort, { once: true });
	const chunks: Buffer[] = [];
	let total = 0;
	try {
		for await (const chunk of stream) {
			const buffer: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			total += buffer.length;
			if (total > maxBytes) throw tooLarge();
			chunks.push(buffer);
		}
	} finally {
		signal.removeEventListener('abort', onAbort);
		response.destroy();
	}
	return Buffer.concat(chunks);
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

/** The caller's headers without connection-level ones, with a default user agent. */
function requestHeaders(headers: Record<string, string> | undefined): Record<string, string> {
	const result: Record<string, string> = { 'user-agent': 'Parley' };
	for (const [name, value] of Object.entries(headers ?? {})) {
		const lower = name.toLowerCase();
		if (!CONNECTION_HEADERS.has(lower)) result[lower] = value;
	}
	return result;
}

/** Makes the describable message of a low-level failure (refused connection, bad header…). */
function requestFailure(url: URL, error: unknown): ToolError {
	const code =
		error instanceof Error && 'code' in error && typeof error.code === 'string' ? error.code : undefined;
	const message = error instanceof Error ? error.message : String(error);
	// Node's own validation errors (a bad header, say) explain themselves; network errors have a code.
	const detail = code === undefined || code.startsWith('ERR_') ? message : code;
	return new ToolError(`The request to ${url.host} failed (${detail}).`, { cause: error });
}

/**
 * Fetches an http(s) URL for a tool, refusing private, local and otherwise special addresses
 * (unless the host is in `options.allowedHosts`), following at most 5 redirects with each hop
 * re-checked, pinning each connection to the checked addresses, capping the body at 1 MB and the
 * whole request at 10 s by default.
 * @throws {ToolError} with a message fit for the model, e.g.
 *   `Refused: example.internal resolves to a private address (10.0.0.5).`
 */
export async function safeFetch(
	input: string | URL,
	init: SafeFetchInit = {},
	options: SafeFetchOptions = {}
): Promise<SafeFetchResponse> {
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
				response = await send({ url, method, headers, body, addresses, signal });
			} catch (error) {
				if (signal.aborted) throw error;
				throw requestFailure(url, error);
			}
			const status = response.statusCode ?? 0;
			const location = response.headers.location;
			if (REDIRECT_STATUSES.has(status) && location) {
				response.destroy();
				if (redirects >= maxRedirects) {
					throw new ToolError(`Too many redirects (more than ${maxRedirects}).`);
				}
				const next = parseUrl(location, url);
				const becomesGet =
					(status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST');
				if (becomesGet) {
					method = 'GET';
					body = undefined;
					delete headers['content-type'];
				}
				if (next.origin !== url.origin) {
					const kept = Object.entries(headers).filter(([name]) => !CREDENTIAL_HEADERS.has(name));
					headers = Object.fromEntries(kept);
				}
				url = next;
				continue;
			}
			// A HEAD response declares the length of a body it does not send.
			const bytes = method === 'HEAD' ? Buffer.alloc(0) : await readBody(response, maxBytes, signal);
			response.destroy();
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
	} catch (error) {
		if (error instanceof ToolError) throw error;
		if (signal.aborted) throw abortedError(timeout, timeoutMs);
		throw requestFailure(url, error);
	}
}
