import { describe, expect, it } from 'vitest';
import { isSameOriginRequest } from './origin-check';

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
		expect(check('POST', { referer: 'https://parley.example.com/chat' }, 'https://parley.example.com', internal)).toBe(
			true
		);
		// Without the configured origin the same request is foreign.
		expect(check('POST', { origin: 'https://parley.example.com' }, undefined, internal)).toBe(false);
	});

	it('still refuses other origins when ORIGIN is configured', () => {
		expect(check('POST', { origin: 'https://evil.example' }, 'https://parley.example.com')).toBe(false);
	});

	it('uses the Host header when present', () => {
		const url = new URL('/api/x', 'http://127.0.0.1:3000');
		const request = new Request(url, {
			method: 'POST',
			headers: { host: 'parley.internal:8080', origin: 'http://parley.internal:8080' }
		});
		expect(isSameOriginRequest(request, url)).toBe(true);
	});
});
