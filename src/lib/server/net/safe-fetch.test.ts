import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolError } from '../tools/tool-error';
import { parseAllowedHosts } from './allowed-hosts';
import type { HostLookup } from './checked-addresses';
import { classifyAddress, type AddressClass } from './classify-address';
import { safeFetch } from './safe-fetch';

/** Requests the test server received, newest last. */
const received: { method: string; url: string; headers: IncomingMessage['headers'] }[] = [];
/** Set when the server saw a response it was writing get cut off. */
let endlessClosed: Promise<void> = Promise.resolve();

async function bodyOf(request: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of request) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

/** A small server with one route per behaviour under test. */
async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
	const url = new URL(request.url ?? '/', 'http://test');
	received.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers });
	switch (url.pathname) {
		case '/text':
			response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('hello');
			return;
		case '/json':
			response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"n":[1,2]}');
			return;
		case '/problem':
			response.writeHead(422, { 'content-type': 'application/problem+json' }).end('{"title":"bad"}');
			return;
		case '/broken-json':
			response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":');
			return;
		case '/latin1':
			response.writeHead(200, { 'content-type': 'text/plain; charset=iso-8859-1' }).end(Buffer.from([0x63, 0x61, 0x66, 0xe9]));
			return;
		case '/echo': {
			const body = await bodyOf(request);
			response
				.writeHead(200, { 'content-type': 'application/json' })
				.end(JSON.stringify({ method: request.method, url: request.url, headers: request.headers, body }));
			return;
		}
		case '/redirect': {
			const status = Number(url.searchParams.get('status') ?? 302);
			response.writeHead(status, { location: url.searchParams.get('to') ?? '/text' }).end();
			return;
		}
		case '/loop':
			response.writeHead(302, { location: `/loop?n=${Number(url.searchParams.get('n') ?? 0) + 1}` }).end();
			return;
		case '/bytes': {
			// Writes `n` bytes in 1 KB chunks, without a content-length.
			let left = Number(url.searchParams.get('n'));
			while (left > 0) {
				const size = Math.min(1024, left);
				response.write(Buffer.alloc(size, 0x61));
				left -= size;
			}
			response.end();
			return;
		}
		case '/declared':
			response.writeHead(200, { 'content-length': '5000000' });
			response.flushHeaders(); // A HEAD response ignores write(), so its headers need a push.
			response.write('a');
			return; // Never finishes: only the declared length can end this quickly.
		case '/endless': {
			// Streams for as long as the client reads; only the size cap can end it.
			endlessClosed = new Promise((resolve) => response.on('close', resolve));
			const write = () => {
				while (response.write(Buffer.alloc(16 * 1024, 0x62)));
			};
			response.on('drain', write);
			write();
			return;
		}
		case '/gzip-bomb':
			response
				.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' })
				.end(gzipSync(Buffer.alloc(2 * 1024 * 1024, 0x30)));
			return;
		case '/gzip':
			response.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync('{"zipped":true}'));
			return;
		case '/hang':
			return; // Never answers.
		default:
			response.writeHead(404).end('not found');
	}
}

let server: Server;
let base: string;
let port: number;

beforeAll(async () => {
	server = createServer((request, response) => void handle(request, response));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	port = (server.address() as AddressInfo).port;
	base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
});

const local = { allowedHosts: ['127.0.0.1'] };

/** A lookup that answers from a table and fails for any other name. */
function fakeLookup(table: Record<string, string[]>): HostLookup & { calls: string[] } {
	const calls: string[] = [];
	const lookup = async (hostname: string) => {
		calls.push(hostname);
		const addresses = table[hostname];
		if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
		return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
	};
	return Object.assign(lookup, { calls });
}

/** A lookup that must not be reached: literal IPs and refused schemes are decided before DNS. */
const noLookup: HostLookup = async (hostname) => {
	throw new Error(`lookup(${hostname}) should not have been called`);
};

/** Asserts that `promise` rejects with a ToolError of exactly `message`. */
async function expectToolError(promise: Promise<unknown>, message: string): Promise<void> {
	const error = await promise.then(
		() => undefined,
		(thrown: unknown) => thrown
	);
	expect(error).toBeInstanceOf(ToolError);
	expect((error as ToolError).message).toBe(message);
}

describe('classifyAddress', () => {
	it.each<[string, AddressClass]>([
		// IPv4
		['8.8.8.8', 'public'],
		['1.1.1.1', 'public'],
		['93.184.216.34', 'public'],
		['172.15.255.255', 'public'],
		['172.32.0.0', 'public'],
		['100.63.255.255', 'public'],
		['100.128.0.0', 'public'],
		['223.255.255.255', 'public'],
		['0.0.0.0', 'unspecified'],
		['0.1.2.3', 'unspecified'],
		['127.0.0.1', 'loopback'],
		['127.255.255.254', 'loopback'],
		['10.0.0.5', 'private'],
		['10.255.255.255', 'private'],
		['172.16.0.1', 'private'],
		['172.31.255.255', 'private'],
		['192.168.1.1', 'private'],
		['100.64.0.1', 'carrier-grade-nat'],
		['100.127.255.255', 'carrier-grade-nat'],
		['169.254.169.254', 'link-local'],
		['224.0.0.1', 'multicast'],
		['239.255.255.250', 'multicast'],
		['240.0.0.1', 'reserved'],
		['255.255.255.255', 'reserved'],
		['192.0.0.8', 'reserved'],
		['192.0.2.1', 'reserved'],
		['198.18.0.1', 'reserved'],
		['198.51.100.7', 'reserved'],
		['203.0.113.9', 'reserved'],
		// IPv6
		['2606:4700:4700::1111', 'public'],
		['2001:4860:4860::8888', 'public'],
		['::', 'unspecified'],
		['::1', 'loopback'],
		['[::1]', 'loopback'],
		['0:0:0:0:0:0:0:1', 'loopback'],
		['fc00::1', 'unique-local'],
		['fd12:3456:789a::1', 'unique-local'],
		['fe80::1', 'link-local'],
		['fe80::1%eth0', 'link-local'],
		['febf::1', 'link-local'],
		['fec0::1', 'site-local'],
		['ff02::1', 'multicast'],
		['2001:db8::1', 'reserved'],
		['2001::1', 'reserved'],
		['3fff::1', 'reserved'],
		['100::1', 'reserved'],
		['::1.2.3.4', 'reserved'],
		['64:ff9b:1::1', 'reserved'],
		['4000::1', 'reserved'],
		// IPv4 inside IPv6
		['::ffff:127.0.0.1', 'loopback'],
		['::ffff:7f00:1', 'loopback'],
		['::ffff:10.0.0.5', 'private'],
		['::ffff:a00:5', 'private'],
		['0:0:0:0:0:ffff:c0a8:0101', 'private'],
		['::ffff:169.254.169.254', 'link-local'],
		['::ffff:8.8.8.8', 'public'],
		['64:ff9b::10.0.0.1', 'private'],
		['64:ff9b::8.8.8.8', 'public'],
		['2002:7f00:1::', 'loopback'],
		['2002:c0a8:101::1', 'private'],
		['2002:808:808::1', 'public'],
		// Not addresses at all
		['example.com', 'invalid'],
		['', 'invalid'],
		['1.2.3', 'invalid'],
		['256.1.1.1', 'invalid'],
		['::ffff:1.2.3.256', 'invalid']
	])('%s is %s', (address, expected) => {
		expect(classifyAddress(address)).toBe(expected);
	});
});

describe('parseAllowedHosts', () => {
	it('splits a comma-separated list and drops blanks', () => {
		expect(parseAllowedHosts(' localhost, intranet.example ,,')).toEqual(['localhost', 'intranet.example']);
		expect(parseAllowedHosts(undefined)).toEqual([]);
		expect(parseAllowedHosts('')).toEqual([]);
	});
});

describe('safeFetch: which hosts it reaches', () => {
	it('refuses a loopback server by default', async () => {
		await expectToolError(safeFetch(`${base}/text`), 'Refused: 127.0.0.1 is a loopback address.');
	});

	it('refuses localhost, which resolves to a loopback address', async () => {
		const error = await safeFetch(`http://localhost:${port}/text`).catch((thrown: unknown) => thrown);
		expect(error).toBeInstanceOf(ToolError);
		expect((error as Error).message).toMatch(/^Refused: localhost resolves to a loopback address \((127\.0\.0\.1|::1)\)\.$/);
	});

	it('reaches an allow-listed loopback server', async () => {
		const response = await safeFetch(`${base}/text`, {}, local);
		expect(response).toMatchObject({ status: 200, contentType: 'text/plain; charset=utf-8', body: 'hello' });
		expect(response.json).toBeUndefined();
		expect(response.url).toBe(`${base}/text`);
	});

	it('matches allow-listed hosts case-insensitively and exactly', async () => {
		const lookup = fakeLookup({ 'api.internal.test': ['127.0.0.1'], 'internal.test': ['127.0.0.1'] });
		const response = await safeFetch(`http://API.Internal.Test:${port}/text`, {}, { allowedHosts: ['api.INTERNAL.test'], lookup });
		expect(response.body).toBe('hello');
		await expectToolError(
			safeFetch(`http://api.internal.test:${port}/text`, {}, { allowedHosts: ['internal.test'], lookup }),
			'Refused: api.internal.test resolves to a loopback address (127.0.0.1).'
		);
	});

	it('refuses a name resolving to a private address', async () => {
		const lookup = fakeLookup({ 'example.internal': ['10.0.0.5'] });
		await expectToolError(
			safeFetch('http://example.internal/', {}, { lookup }),
			'Refused: example.internal resolves to a private address (10.0.0.5).'
		);
	});

	it('refuses a name when any of its addresses is not public', async () => {
		const lookup = fakeLookup({
			'mixed.test': ['93.184.216.34', '192.168.0.10'],
			'mapped.test': ['::ffff:10.0.0.5'],
			'ula.test': ['2606:4700::1', 'fd00::5'],
			'metadata.test': ['169.254.169.254']
		});
		await expectToolError(
			safeFetch('http://mixed.test/', {}, { lookup }),
			'Refused: mixed.test resolves to a private address (192.168.0.10).'
		);
		await expectToolError(
			safeFetch('http://mapped.test/', {}, { lookup }),
			'Refused: mapped.test resolves to a private address (::ffff:10.0.0.5).'
		);
		await expectToolError(
			safeFetch('https://ula.test/', {}, { lookup }),
			'Refused: ula.test resolves to a unique-local address (fd00::5).'
		);
		await expectToolError(
			safeFetch('http://metadata.test/', {}, { lookup }),
			'Refused: metadata.test resolves to a link-local address (169.254.169.254).'
		);
	});

	it.each([
		['http://10.0.0.5/', 'Refused: 10.0.0.5 is a private address.'],
		['http://169.254.169.254/latest/meta-data/', 'Refused: 169.254.169.254 is a link-local address.'],
		['http://100.64.1.1/', 'Refused: 100.64.1.1 is a carrier-grade NAT address.'],
		['http://0.0.0.0:8080/', 'Refused: 0.0.0.0 is an unspecified address.'],
		['http://224.0.0.1/', 'Refused: 224.0.0.1 is a multicast address.'],
		['http://[::1]/', 'Refused: ::1 is a loopback address.'],
		['http://[fd00::1]/', 'Refused: fd00::1 is a unique-local address.'],
		['http://[fe80::1]/', 'Refused: fe80::1 is a link-local address.'],
		['http://[::]/', 'Refused: :: is an unspecified address.'],
		['http://[::ffff:127.0.0.1]/', 'Refused: ::ffff:7f00:1 is a loopback address.'],
		['http://[::ffff:10.1.2.3]/', 'Refused: ::ffff:a01:203 is a private address.'],
		// The URL parser normalizes these spellings of 127.0.0.1 and 0.0.0.0 before the check.
		['http://2130706433/', 'Refused: 127.0.0.1 is a loopback address.'],
		['http://0x7f.1/', 'Refused: 127.0.0.1 is a loopback address.'],
		['http://0177.0.0.1/', 'Refused: 127.0.0.1 is a loopback address.'],
		['http://0/', 'Refused: 0.0.0.0 is an unspecified address.']
	])('refuses the literal address in %s', async (url, message) => {
		await expectToolError(safeFetch(url, {}, { lookup: noLookup }), message);
	});

	it.each([
		['file:///etc/passwd', 'Refused: only http and https URLs are allowed, not file.'],
		['ftp://example.com/', 'Refused: only http and https URLs are allowed, not ftp.'],
		['gopher://example.com/', 'Refused: only http and https URLs are allowed, not gopher.'],
		['data:text/plain,hi', 'Refused: only http and https URLs are allowed, not data.'],
		['not a url', '"not a url" is not a valid URL.']
	])('refuses %s', async (url, message) => {
		await expectToolError(safeFetch(url, {}, { lookup: noLookup, allowedHosts: ['example.com'] }), message);
	});

	it('names a host that does not resolve', async () => {
		await expectToolError(safeFetch('http://nowhere.test/', {}, { lookup: fakeLookup({}) }), 'Could not resolve nowhere.test.');
	});

	it('connects to the checked address, never resolving the name again', async () => {
		// `rebind.test` does not exist in real DNS: reaching the server proves the pinned address was used.
		const lookup = fakeLookup({ 'rebind.test': ['127.0.0.1'] });
		const response = await safeFetch(`http://rebind.test:${port}/echo`, {}, { allowedHosts: ['rebind.test'], lookup });
		expect(response.status).toBe(200);
		expect((response.json as { headers: Record<string, string> }).headers.host).toBe(`rebind.test:${port}`);
		expect(lookup.calls).toEqual(['rebind.test']);
	});

	it('refuses a connection error with a clear message', async () => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const closedPort = (closed.address() as AddressInfo).port;
		await new Promise((resolve) => closed.close(resolve));
		await expectToolError(
			safeFetch(`http://127.0.0.1:${closedPort}/`, {}, local),
			`The request to 127.0.0.1:${closedPort} failed (ECONNREFUSED).`
		);
	});
});

describe('safeFetch: requests and responses', () => {
	it('parses a JSON body, including +json types and non-2xx statuses', async () => {
		const json = await safeFetch(`${base}/json`, {}, local);
		expect(json).toMatchObject({ status: 200, contentType: 'application/json', json: { ok: true, n: [1, 2] } });
		expect(json.body).toBe('{"ok":true,"n":[1,2]}');
		expect(json.headers['content-type']).toBe('application/json');
		const problem = await safeFetch(`${base}/problem`, {}, local);
		expect(problem).toMatchObject({ status: 422, json: { title: 'bad' } });
	});

	it('keeps the text of a JSON response that does not parse', async () => {
		const response = await safeFetch(`${base}/broken-json`, {}, local);
		expect(response.body).toBe('{"ok":');
		expect('json' in response).toBe(false);
	});

	it('decodes the charset of the content type and gzip bodies', async () => {
		expect((await safeFetch(`${base}/latin1`, {}, local)).body).toBe('café');
		expect((await safeFetch(`${base}/gzip`, {}, local)).json).toEqual({ zipped: true });
	});

	it('sends the method, headers and body', async () => {
		const response = await safeFetch(
			`${base}/echo?q=1`,
			{ method: 'post', headers: { 'Content-Type': 'text/plain', 'X-Token': 'abc', Host: 'evil.test' }, body: 'payload' },
			local
		);
		expect(response.json).toMatchObject({
			method: 'POST',
			url: '/echo?q=1',
			body: 'payload',
			headers: { 'content-type': 'text/plain', 'x-token': 'abc', host: `127.0.0.1:${port}`, 'user-agent': 'Parley' }
		});
	});

	it('refuses an unknown method and an invalid header', async () => {
		await expectToolError(safeFetch(`${base}/echo`, { method: 'TRACE' }, local), 'Unsupported HTTP method "TRACE".');
		const error = await safeFetch(`${base}/echo`, { headers: { 'x-bad': 'a\r\nb' } }, local).catch((thrown: unknown) => thrown);
		expect(error).toBeInstanceOf(ToolError);
		expect((error as Error).message).toMatch(/^The request to 127\.0\.0\.1:\d+ failed \(Invalid character in header content/);
	});
});

describe('safeFetch: redirects', () => {
	it('follows a redirect to an allowed host', async () => {
		const response = await safeFetch(`${base}/redirect?to=/json`, {}, local);
		expect(response).toMatchObject({ status: 200, url: `${base}/json`, json: { ok: true, n: [1, 2] } });
	});

	it('refuses a redirect from an allowed host to a private address', async () => {
		await expectToolError(
			safeFetch(`${base}/redirect?to=${encodeURIComponent('http://10.0.0.5/admin')}`, {}, { ...local, lookup: noLookup }),
			'Refused: 10.0.0.5 is a private address.'
		);
	});

	it('re-checks the DNS of every hop', async () => {
		const lookup = fakeLookup({ 'internal.test': ['192.168.1.20'] });
		await expectToolError(
			safeFetch(`${base}/redirect?status=307&to=${encodeURIComponent('http://internal.test/')}`, {}, { ...local, lookup }),
			'Refused: internal.test resolves to a private address (192.168.1.20).'
		);
		expect(lookup.calls).toEqual(['internal.test']);
	});

	it('refuses a redirect to another scheme', async () => {
		await expectToolError(
			safeFetch(`${base}/redirect?to=${encodeURIComponent('file:///etc/passwd')}`, {}, local),
			'Refused: only http and https URLs are allowed, not file.'
		);
	});

	it('follows at most 5 redirects', async () => {
		await expectToolError(safeFetch(`${base}/loop`, {}, local), 'Too many redirects (more than 5).');
		const hops = received.filter((request) => request.url.startsWith('/loop')).map((request) => request.url);
		expect(hops.slice(-6)).toEqual(['/loop', '/loop?n=1', '/loop?n=2', '/loop?n=3', '/loop?n=4', '/loop?n=5']);
		await expectToolError(safeFetch(`${base}/loop`, {}, { ...local, maxRedirects: 1 }), 'Too many redirects (more than 1).');
	});

	it('turns a POST into a GET on 303, and keeps it on 307', async () => {
		const init = { method: 'POST', body: 'data', headers: { 'content-type': 'text/plain' } };
		const seeOther = await safeFetch(`${base}/redirect?status=303&to=/echo`, init, local);
		expect(seeOther.json).toMatchObject({ method: 'GET', body: '' });
		expect((seeOther.json as { headers: object }).headers).not.toHaveProperty('content-type');
		const temporary = await safeFetch(`${base}/redirect?status=307&to=/echo`, init, local);
		expect(temporary.json).toMatchObject({ method: 'POST', body: 'data' });
	});

	it('drops credentials when a redirect leaves the origin', async () => {
		const lookup = fakeLookup({ 'other.test': ['127.0.0.1'] });
		const options = { allowedHosts: ['127.0.0.1', 'other.test'], lookup };
		const init = { headers: { authorization: 'Bearer secret', cookie: 'a=b', 'x-keep': 'yes' } };
		const sameOrigin = await safeFetch(`${base}/redirect?to=/echo`, init, options);
		expect((sameOrigin.json as { headers: object }).headers).toMatchObject({ authorization: 'Bearer secret', cookie: 'a=b' });
		const crossOrigin = await safeFetch(`${base}/redirect?to=${encodeURIComponent(`http://other.test:${port}/echo`)}`, init, options);
		const headers = (crossOrigin.json as { headers: Record<string, string> }).headers;
		expect(headers).not.toHaveProperty('authorization');
		expect(headers).not.toHaveProperty('cookie');
		expect(headers['x-keep']).toBe('yes');
	});
});

describe('safeFetch: limits', () => {
	it('caps the body at 1 MB by default', async () => {
		await expectToolError(safeFetch(`${base}/bytes?n=${1024 * 1024 + 1}`, {}, local), 'The response is larger than 1 MB.');
		const atCap = await safeFetch(`${base}/bytes?n=${1024 * 1024}`, {}, local);
		expect(atCap.body).toHaveLength(1024 * 1024);
	});

	it('caps the body at maxBytes', async () => {
		await expectToolError(safeFetch(`${base}/bytes?n=3000`, {}, { ...local, maxBytes: 2048 }), 'The response is larger than 2 KB.');
		await expectToolError(safeFetch(`${base}/bytes?n=101`, {}, { ...local, maxBytes: 100 }), 'The response is larger than 100 bytes.');
		expect((await safeFetch(`${base}/bytes?n=100`, {}, { ...local, maxBytes: 100 })).body).toBe('a'.repeat(100));
	});

	it('refuses a declared length above the cap without waiting for the body', async () => {
		await expectToolError(safeFetch(`${base}/declared`, {}, { ...local, maxBytes: 1000 }), 'The response is larger than 1000 bytes.');
	});

	it('does not hold the declared length of a HEAD response against the cap', async () => {
		const response = await safeFetch(`${base}/declared`, { method: 'HEAD' }, { ...local, maxBytes: 1000 });
		expect(response).toMatchObject({ status: 200, body: '' });
		expect(response.headers['content-length']).toBe('5000000');
	});

	it('stops reading an endless body at the cap and closes the connection', async () => {
		await expectToolError(safeFetch(`${base}/endless`, {}, { ...local, maxBytes: 64 * 1024 }), 'The response is larger than 64 KB.');
		await endlessClosed;
	});

	it('counts decompressed bytes, so a small gzip bomb is caught', async () => {
		await expectToolError(safeFetch(`${base}/gzip-bomb`, {}, local), 'The response is larger than 1 MB.');
	});

	it('times out a server that never answers', async () => {
		await expectToolError(safeFetch(`${base}/hang`, {}, { ...local, timeoutMs: 100 }), 'The request timed out after 100 ms.');
	});

	it('times out a DNS lookup that never answers', async () => {
		const lookup: HostLookup = () => new Promise(() => {});
		await expectToolError(safeFetch('http://slow-dns.test/', {}, { lookup, timeoutMs: 50 }), 'The request timed out after 50 ms.');
	});

	it('stops when the caller aborts', async () => {
		const controller = new AbortController();
		const pending = safeFetch(`${base}/hang`, { signal: controller.signal }, local);
		controller.abort();
		await expectToolError(pending, 'The request was cancelled.');
		await expectToolError(safeFetch(`${base}/text`, { signal: AbortSignal.abort() }, local), 'The request was cancelled.');
	});
});
