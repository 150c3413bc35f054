import { describe, expect, it } from 'vitest';
import { cookieJar } from './chat-socket';

describe('cookieJar', () => {
	it('decodes cookie values', () => {
		const jar = cookieJar('a=1; parley_session=abc%20def; empty=');
		expect(jar.get('parley_session')).toBe('abc def');
		expect(jar.get('a')).toBe('1');
		expect(jar.get('empty')).toBe('');
	});

	it('counts a cookie that cannot be decoded as absent, and keeps the others', () => {
		const jar = cookieJar('parley_session=%E0%A4%A; junk=%; other=ok');
		expect(jar.get('parley_session')).toBeUndefined();
		expect(jar.get('junk')).toBeUndefined();
		expect(jar.get('other')).toBe('ok');
	});
});
