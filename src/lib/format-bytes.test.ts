import { describe, expect, it } from 'vitest';
import { formatBytes } from './format-bytes';

describe('formatBytes', () => {
	it('rounds a size to 0.1 MB, or to whole KB (at least 1 KB)', () => {
		expect(formatBytes(25 * 1024 * 1024)).toBe('25 MB');
		expect(formatBytes(1.25 * 1024 * 1024)).toBe('1.3 MB');
		expect(formatBytes(1536 * 1024)).toBe('1.5 MB');
		expect(formatBytes(4 * 1024)).toBe('4 KB');
		expect(formatBytes(2000)).toBe('2 KB');
		expect(formatBytes(100)).toBe('1 KB');
	});

	it('shortens an exact count only when nothing is lost', () => {
		expect(formatBytes(1024 * 1024, { exact: true })).toBe('1 MB');
		expect(formatBytes(1536 * 1024, { exact: true })).toBe('1536 KB');
		expect(formatBytes(64 * 1024, { exact: true })).toBe('64 KB');
		expect(formatBytes(1000, { exact: true })).toBe('1000 bytes');
		expect(formatBytes(1, { exact: true })).toBe('1 byte');
	});
});
