import { describe, expect, it } from 'vitest';
import { isSameOriginSocket } from '../protocols/websocket/chat-socket';
import { isSameOrigin, isSameOriginRequest, ownOrigin } from './origin-check';

const SITE = 'http://localhost:5173';

/** A request to `SITE/api/x` with the given method and headers. */
function check(method: string, headers: Record<string, string>, trustedOrigin?: string, site = SITE): boolean {
	const url = new URL('/api/x', site);
	const request = new Request(url, { method, headers });
	return isSameOriginRequest(request, url, trustedOrigin);
}

describe('isSameOriginRequest', () => {
	it.each(['GET', 'HEAD', 'OPTIONS'])('allows %s whatever its origin', (method) => {
		expect(check(method, { origin: 'https://evil.example' })).toBe(true);
		expect(check(method, {})).toBe(true);
	});

	it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('allows %s from the same origin', (method) => {
		expect(check(method, { origin: SITE })).toBe(true);
	});

	it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('refuses %s from a foreign origin', (method) => {
		expect(check(method, { origin: 'https://evil.example' })).toBe(false);
	});

	it('refuses a foreign origin on the same host name but another port', () => {
		expect(check('POST', { origin: 'http://localhost:6666' })).toBe(false);
	});

	it('falls back to a same-origin Referer when Origin is missing', () => {
		expect(check('POST', { referer: `${SITE}/chat/abc?x=1` })).toBe(true);
	});

	it('refuses a foreign Referer when Origin is missing', () => {
		expect(check('POST', { referer: 'https://evil.example/page' })).toBe(false);
	});

	it('refuses a request with neither Origin nor Referer', () => {
		expect(check('POST', {})).toBe(false);
	});

	it('refuses the opaque "null" origin', () => {
		expect(check('POST', { origin: 'null' })).toBe(false);
		expect(check('POST', { origin: 'null', referer: `${SITE}/page` })).toBe(false);
	});

	it('refuses a malformed Origin or Referer', () => {
		expect(check('POST', { origin: 'not a url' })).toBe(false);
		expect(check('POST', { referer: 'not a url' })).toBe(false);
	});

	it('prefers Origin over Referer', () => {
		expect(check('POST', { origin: 'https://evil.example', referer: `${SITE}/page` })).toBe(false);
	});

	it('accepts the configured ORIGIN even when the Host differs', () => {
		const internal = 'http://127.0.0.1:3000';
		expect(check('POST', { origin: 'https://parley.example.com' }, 'https://parley.example.com', internal)).toBe(true);
		expect(check('POST', { origin: 'https://parley.example.com' }, 'https://parley.example.com/', internal)).toBe(true);
		expect(check('POST', { referer: 'https://parley.example.com/chat' }, 'https://parley.example.com', internal)).toBe(true);
		// Without the configured origin the same request is foreign.
		expect(check('POST', { origin: 'https://parley.example.com' }, undefined, internal)).toBe(false);
	});

	it('still refuses other origins when ORIGIN is configured', () => {
		expect(check('POST', { origin: 'https://evil.example' }, 'https://parley.example.com')).toBe(false);
	});

	it('refuses the same host under the other scheme', () => {
		expect(check('POST', { origin: 'https://localhost:5173' })).toBe(false);
		expect(check('POST', { referer: 'https://localhost:5173/chat' })).toBe(false);
		const secure = 'https://parley.example.com';
		expect(check('POST', { origin: 'http://parley.example.com' }, secure)).toBe(false);
		expect(check('POST', { origin: 'http://parley.example.com' }, undefined, secure)).toBe(false);
		expect(check('POST', { origin: secure }, undefined, secure)).toBe(true);
	});

	it('refuses the same scheme and host on another port, the default port included', () => {
		const secure = 'https://parley.example.com';
		expect(check('POST', { origin: 'https://parley.example.com:8443' }, secure)).toBe(false);
		expect(check('POST', { origin: 'https://parley.example.com:443' }, secure)).toBe(true);
		expect(check('POST', { origin: 'http://localhost' })).toBe(false);
	});

	it('ignores the Host header: the request URL (or ORIGIN) is the site', () => {
		const url = new URL('/api/x', 'http://127.0.0.1:3000');
		const request = new Request(url, {
			method: 'POST',
			headers: { host: 'evil.example', origin: 'http://evil.example' }
		});
		expect(isSameOriginRequest(request, url)).toBe(false);
	});

	it('with ORIGIN set, accepts only ORIGIN, not the address the server was reached by', () => {
		const internal = 'http://127.0.0.1:3000';
		expect(check('POST', { origin: internal }, 'https://parley.example.com', internal)).toBe(false);
	});
});

describe('ownOrigin and isSameOrigin', () => {
	it('take ORIGIN when set, else the request URL', () => {
		expect(ownOrigin(new URL('http://127.0.0.1:3000/api/x'), 'https://parley.example.com/app')).toBe('https://parley.example.com');
		expect(ownOrigin(new URL('http://127.0.0.1:3000/api/x'))).toBe('http://127.0.0.1:3000');
	});

	it('compare scheme, host and port', () => {
		expect(isSameOrigin('https://a.example', 'https://a.example/')).toBe(true);
		expect(isSameOrigin('http://a.example', 'https://a.example')).toBe(false);
		expect(isSameOrigin('https://a.example:444', 'https://a.example')).toBe(false);
		expect(isSameOrigin('https://b.example', 'https://a.example')).toBe(false);
		expect(isSameOrigin(null, 'https://a.example')).toBe(false);
		expect(isSameOrigin('null', 'https://a.example')).toBe(false);
		expect(isSameOrigin('https://a.example', 'not a url')).toBe(false);
	});
});

describe('isSameOriginSocket (the WebSocket chat uses the same comparison)', () => {
	it("accepts the socket's own origin and ORIGIN", () => {
		expect(isSameOriginSocket('http://127.0.0.1:3000', '127.0.0.1:3000')).toBe(true);
		expect(isSameOriginSocket('https://parley.example.com', '127.0.0.1:3000', 'https://parley.example.com')).toBe(true);
	});

	it('refuses another scheme or port on the same host', () => {
		expect(isSameOriginSocket('https://127.0.0.1:3000', '127.0.0.1:3000')).toBe(false);
		expect(isSameOriginSocket('http://127.0.0.1:3001', '127.0.0.1:3000')).toBe(false);
		expect(isSameOriginSocket('http://parley.example.com', '127.0.0.1:3000', 'https://parley.example.com')).toBe(false);
		expect(isSameOriginSocket('https://parley.example.com:8443', 'parley.example.com:8443', 'https://parley.example.com')).toBe(false);
	});

	it('refuses a missing, opaque or foreign origin, and a missing host without ORIGIN', () => {
		expect(isSameOriginSocket(undefined, '127.0.0.1:3000')).toBe(false);
		expect(isSameOriginSocket('null', '127.0.0.1:3000')).toBe(false);
		expect(isSameOriginSocket('http://evil.example', '127.0.0.1:3000')).toBe(false);
		expect(isSameOriginSocket('http://127.0.0.1:3000', undefined)).toBe(false);
	});
});
