import { describe, expect, it } from 'vitest';
import { exportFileName } from './task-export';

describe('exportFileName', () => {
	it('keeps the title’s words, joined by dashes, with the format’s extension', () => {
		expect(exportFileName('Trip to Lisbon: food & wine!', 'md')).toBe('Trip-to-Lisbon-food-wine.md');
		expect(exportFileName('Café ünïcode', 'json')).toBe('Cafe-unicode.json');
	});

	it('names an untitled or symbol-only chat "chat", and cuts long titles', () => {
		expect(exportFileName('', 'md')).toBe('chat.md');
		expect(exportFileName('../../etc/passwd', 'md')).toBe('etc-passwd.md');
		expect(exportFileName('???', 'json')).toBe('chat.json');
		expect(exportFileName('word '.repeat(40), 'md').length).toBeLessThanOrEqual(83);
	});
});
