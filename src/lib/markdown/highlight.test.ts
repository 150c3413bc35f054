import { describe, expect, it } from 'vitest';
import type { ThemedToken } from 'shiki/core';
import { cachedHighlight, grammarFor, highlightCode, highlightRevision, tokensToHtml } from './highlight';

/** The text a browser would show for highlighted HTML: tags dropped, the three escapes undone. */
function textOf(html: string): string {
	return html
		.replace(/<[^>]*>/g, '')
		.replace(/&lt;/g, '<')
		.replace(/&gt;/g, '>')
		.replace(/&amp;/g, '&');
}

function token(content: string, htmlStyle?: Record<string, string>): ThemedToken {
	return { content, offset: 0, htmlStyle };
}

describe('grammarFor', () => {
	it('maps fence names and aliases to a grammar, and nothing else', () => {
		expect(grammarFor('typescript')).toBe('typescript');
		expect(grammarFor('ts')).toBe('typescript');
		expect(grammarFor('sh')).toBe('bash');
		expect(grammarFor('c++')).toBe('cpp');
		expect(grammarFor('py')).toBe('python');
		expect(grammarFor('')).toBeUndefined();
		expect(grammarFor('text')).toBeUndefined();
		expect(grammarFor('brainfudge')).toBeUndefined();
		expect(grammarFor('constructor')).toBeUndefined();
		expect(grammarFor('__proto__')).toBeUndefined();
	});
});

describe('tokensToHtml', () => {
	it('escapes token text and keeps only the themes’ colour and font variables', () => {
		const html = tokensToHtml([
			[
				token('<script>', { '--shiki-light': '#D73A49', '--shiki-dark': '#F97583' }),
				token(' & ', { color: 'red', '--shiki-light-font-style': 'italic' }),
				token('x', { '--shiki-light': 'red;background:url(https://evil.example)' })
			],
			[],
			[token('"end"')]
		]);
		expect(html).toBe(
			'<span class="line"><span style="--shiki-light:#D73A49;--shiki-dark:#F97583">&lt;script&gt;</span>' +
				'<span style="--shiki-light-font-style:italic"> &amp; </span>x</span>\n' +
				'<span class="line"></span>\n' +
				'<span class="line">"end"</span>'
		);
	});
});

describe('highlightCode', () => {
	const code = 'const tag = "<script>alert(1)</script>";\n\tif (a && b) greet(`${tag}`);';

	it('highlights a known language with light and dark colours, keeping the exact text', async () => {
		const before = highlightRevision();
		const [html, again] = await Promise.all([highlightCode(code, 'ts'), highlightCode(code, 'typescript')]);
		expect(html).toBeDefined();
		expect(again).toBe(html);
		expect(html).toMatch(/^<span class="line">/);
		expect(html).toContain('style="--shiki-light:#');
		expect(html).toContain(';--shiki-dark:#');
		expect(html).not.toMatch(/<(?!\/?span\b)/);
		expect(textOf(html ?? '')).toBe(code);
		expect(highlightRevision()).toBe(before + 1);
		expect(cachedHighlight(code, 'ts')).toBe(html);
	});

	it('leaves unknown languages and very long code plain', async () => {
		expect(await highlightCode('x', 'brainfudge')).toBeUndefined();
		expect(await highlightCode('x'.repeat(20_001), 'ts')).toBeUndefined();
		expect(cachedHighlight('x', 'brainfudge')).toBeUndefined();
		expect(cachedHighlight('never highlighted', 'ts')).toBeUndefined();
	});
});
