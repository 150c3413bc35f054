import { describe, expect, it } from 'vitest';
import { safeUrl } from './safe-url';

describe('safeUrl', () => {
	it('accepts http(s), mailto and same-site paths only', () => {
		expect(safeUrl('https://example.com/a b')).toBe('https://example.com/a%20b');
		expect(safeUrl('HTTP://example.com')).toBe('HTTP://example.com');
		expect(safeUrl('mailto:me@example.com')).toBe('mailto:me@example.com');
		expect(safeUrl('/chat/abc')).toBe('/chat/abc');
		expect(safeUrl('https://example.com/?a=1&amp;b=2')).toBe('https://example.com/?a=1&b=2');
		for (const href of [
			'',
			null,
			'javascript:alert(1)',
			' javascript:alert(1)',
			'java\nscript:alert(1)',
			'&#x6A;avascript:alert(1)',
			'data:text/html,x',
			'relative/path',
			'#top',
			'//evil.example',
			'/\\evil.example',
			'https://example.com/\u0000'
		]) {
			expect(safeUrl(href), String(href)).toBeUndefined();
		}
	});
});

describe('safeUrl without same-site paths', () => {
	it('keeps the schemes and refuses paths, as the widget on another site needs', () => {
		const options = { sameSitePaths: false };
		expect(safeUrl('https://example.com', options)).toBe('https://example.com');
		expect(safeUrl(' mailto:me@example.com ', options)).toBe('mailto:me@example.com');
		expect(safeUrl('/chat/abc', options)).toBeUndefined();
		expect(safeUrl('javascript:alert(1)', options)).toBeUndefined();
		expect(safeUrl('java&#115;cript:alert(1)', options)).toBeUndefined();
	});
});
