import { describe, expect, it } from 'vitest';
import { textOf } from './text-of';

describe('textOf', () => {
	const parts = [
		{ type: 'step-start' },
		{ type: 'reasoning', text: 'thinking' },
		{ type: 'text', text: 'Hello' },
		{ type: 'file', url: 'data:,x', mediaType: 'text/plain' },
		{ type: 'text', text: 'world' }
	];

	it('joins the text parts only, with the separator given', () => {
		expect(textOf(parts, ' ')).toBe('Hello world');
		expect(textOf(parts, '\n\n')).toBe('Hello\n\nworld');
		expect(textOf(parts, '')).toBe('Helloworld');
	});

	it('is empty without text parts', () => {
		expect(textOf([], ' ')).toBe('');
		const thoughts = [{ type: 'reasoning', text: 'only thoughts' }];
		expect(textOf(thoughts, ' ')).toBe('');
	});
});
