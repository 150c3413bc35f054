import { describe, expect, it } from 'vitest';
import { redirectTarget } from './redirect-target';

const origin = 'http://parley.example:3000';
const target = (next: string) => {
	const url = new URL('/login', origin);
	url.searchParams.set('next', next);
	return redirectTarget(url);
};

/** Where a browser goes with a `Location` header, from the log-in page. */
const browserGoesTo = (location: string) => new URL(location, `${origin}/login`);

describe('redirectTarget', () => {
	it('keeps a path on this site, with its query and fragment', () => {
		expect(target('/chat/abc')).toBe('/chat/abc');
		expect(target('/tasks?page=2#top')).toBe('/tasks?page=2#top');
		expect(target(`${origin}/settings`)).toBe('/settings');
	});

	it('goes home without next', () => {
		expect(redirectTarget(new URL('/login', origin))).toBe('/');
		expect(target('')).toBe('/');
	});

	it.each([
		['//evil.example'],
		['/\\evil.example'],
		['\\\\evil.example'],
		['/\t/evil.example'],
		['/%09/evil.example'],
		['\t//evil.example'],
		['/\n/evil.example'],
		['/\r\n/evil.example'],
		['https://evil.example'],
		['https://evil.example/login'],
		['http://parley.example:3001/'],
		['https://parley.example:3000/'],
		['javascript:alert(1)'],
		['JaVaScRiPt:alert(1)'],
		['data:text/html,<script>alert(1)</script>'],
		['/.//evil.example'],
		['///evil.example']
	])('never leaves the site for %j', (next) => {
		const location = target(next);
		expect(location.startsWith('/')).toBe(true);
		expect(location.startsWith('//')).toBe(false);
		expect(location).not.toMatch(/[\t\r\n\\]/);
		expect(browserGoesTo(location).origin).toBe(origin);
	});

	it('reads %09 in the query as a tab, so /%09/evil.example is not taken as a path', () => {
		const url = new URL(`${origin}/login?next=/%09/evil.example`);
		expect(redirectTarget(url)).toBe('/');
	});

	it('drops control characters from a same-site path instead of putting them in a header', () => {
		expect(target('/chat/a\r\nSet-Cookie: x=1')).toBe('/chat/aSet-Cookie:%20x=1');
		expect(target('/tasks\n')).toBe('/tasks');
	});
});
