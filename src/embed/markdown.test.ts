import { describe, expect, it } from 'vitest';
import { parseBlocks, parseInline } from './markdown';

describe('markdown', () => {
	it('reads paragraphs, headings, lists and code blocks (an open fence runs to the end)', () => {
		expect(parseBlocks('# Title\n\nSome **bold** text\nnext line\n\n- one\n- two\n\n1. first\n\n```js\nconst a = 1;')).toEqual([
			{ type: 'heading', level: 1, children: [{ type: 'text', text: 'Title' }] },
			{
				type: 'paragraph',
				children: [
					{ type: 'text', text: 'Some ' },
					{ type: 'strong', children: [{ type: 'text', text: 'bold' }] },
					{ type: 'text', text: ' text\nnext line' }
				]
			},
			{ type: 'list', ordered: false, items: [[{ type: 'text', text: 'one' }], [{ type: 'text', text: 'two' }]] },
			{ type: 'list', ordered: true, items: [[{ type: 'text', text: 'first' }]] },
			{ type: 'code', text: 'const a = 1;' }
		]);
	});

	it('links only http(s) and mailto targets, and leaves snake_case words alone', () => {
		expect(parseInline('[site](https://example.com) [x](javascript:alert(1))')).toEqual([
			{ type: 'link', href: 'https://example.com', children: [{ type: 'text', text: 'site' }] },
			{ type: 'text', text: ' ' },
			{ type: 'text', text: '[x](javascript:alert(1)' },
			{ type: 'text', text: ')' }
		]);
		expect(parseInline('use current_time and tool_demo, *really*')).toEqual([
			{ type: 'text', text: 'use current_time and tool_demo, ' },
			{ type: 'em', children: [{ type: 'text', text: 'really' }] }
		]);
	});
});
