import { describe, expect, it, vi } from 'vitest';
import { ALLOWED_ATTRIBUTES as ALLOWED_ATTRIBUTE_LIST, ALLOWED_TAGS as ALLOWED_TAG_LIST } from './allowed-html';
import { renderMarkdown } from './render';

/** Tags and attributes the renderer may emit; anything else in the output is a bug. */
const ALLOWED_TAGS = new Set(ALLOWED_TAG_LIST);
const ALLOWED_ATTRIBUTES = new Set(ALLOWED_ATTRIBUTE_LIST);
const SAFE_HREF = /^(?:https?:|mailto:|\/(?![/\\]))/i;
const LINK_ATTRIBUTES = 'target="_blank" rel="noopener noreferrer nofollow"';

/**
 * Checks the markup of rendered HTML. No HTML parser is installed, but the renderer escapes
 * every `<` of text and every `"`, `<` and `>` of attribute values, so each `<` in its output
 * starts a tag it wrote and each tag has the regular shape matched below. The check fails on
 * any other `<`, any tag or attribute outside the allow-lists, an event handler, an unsafe
 * link, or a link that could reach the opener.
 */
function expectSafe(html: string): void {
	const tag = /<(\/?)([a-z][a-z0-9]*)((?:\s+[a-z-]+(?:="[^"<>]*")?)*)\s*>/gi;
	const tags = [...html.matchAll(tag)];
	expect(tags.length, `every "<" starts an expected tag in ${html}`).toBe(html.split('<').length - 1);
	for (const [, closing, name, attributeText] of tags) {
		expect(ALLOWED_TAGS, html).toContain(name.toLowerCase());
		if (closing) continue;
		const attributes = new Map(
			[...attributeText.matchAll(/([a-z-]+)(?:="([^"]*)")?/gi)].map(([, key, value]) => [key.toLowerCase(), value ?? ''])
		);
		for (const [key, value] of attributes) {
			expect(ALLOWED_ATTRIBUTES, `attribute ${key} in ${html}`).toContain(key);
			if (key === 'style') expect(value).toMatch(/^(?:--shiki-[a-z-]+:[#a-z0-9 -]+;?)+$/i);
		}
		if (name === 'a') {
			expect(attributes.get('href') ?? '', html).toMatch(SAFE_HREF);
			expect(attributes.get('target')).toBe('_blank');
			expect(attributes.get('rel')).toBe('noopener noreferrer nofollow');
		}
		if (name === 'input') expect(attributes.get('type')).toBe('checkbox');
	}
}

/**
 * Only the tags of rendered HTML, with attribute values emptied: text and values are escaped
 * and may mention anything (a title saying `onclick=` is fine).
 */
function markupOf(html: string): string {
	return tagsOf(html).replace(/="[^"]*"/g, '=""');
}

/** Only the tags of rendered HTML. */
function tagsOf(html: string): string {
	return (html.match(/<[^>]*>/g) ?? []).join('');
}

function html(markdown: string): string {
	const { html } = renderMarkdown(markdown);
	expectSafe(html);
	return html;
}

describe('renderMarkdown: nothing from the text becomes executable markup', () => {
	const attacks: [string, string][] = [
		['script block', '<script>window.__xss = 1</script>'],
		['script inline', 'Hello <script>window.__xss = 1</script> there'],
		['img onerror', '<img src=x onerror="window.__xss=1">'],
		['img onerror inline', 'Look: <img src=x onerror=alert(1)> here'],
		['svg onload', '<svg onload=alert(1)><circle r="1"/></svg>'],
		['svg inline', 'a <svg/onload=alert(1)> b'],
		['iframe', '<iframe src="javascript:alert(1)"></iframe>'],
		['iframe srcdoc', 'x <iframe srcdoc="<script>alert(1)</script>"></iframe>'],
		['object and embed', '<object data="x.swf"></object><embed src="x.swf">'],
		['style', '<style>body { display: none }</style>'],
		['form', '<form action="https://evil.example"><button>Go</button></form>'],
		['meta refresh', '<meta http-equiv="refresh" content="0;url=https://evil.example">'],
		['anchor tag', '<a href="javascript:alert(1)">click</a>'],
		['anchor inline', 'see <a href="javascript:alert(1)" onclick="alert(2)">here</a>'],
		['details ontoggle', '<details open ontoggle=alert(1)>'],
		['raw pre text', 'a <pre>x<img src=x onerror=alert(1)// y</pre>'],
		['raw script text', 'a <script>x<img src=x onerror=alert(1)//</script> b'],
		['javascript link', '[click](javascript:alert(1))'],
		['mixed case scheme', '[click](JaVaScRiPt:alert(1))'],
		['decimal reference', '[click](javascript&#58;alert(1))'],
		['decimal reference without semicolon', '[click](javascript&#0000058alert(1))'],
		['hex reference', '[click](javascript&#x3A;alert(1))'],
		['named reference', '[click](javascript&colon;alert(1))'],
		['encoded letters', '[click](&#106;&#97;vascript:alert(1))'],
		['escaped colon', '[click](javascript\\:alert(1))'],
		['angle destination', '[click](<javascript:alert(1)>)'],
		['tab in scheme', '[click](<java\tscript:alert(1)>)'],
		['percent tab in scheme', '[click](java%09script:alert(1))'],
		['autolink', '<javascript:alert(1)>'],
		['data link', '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
		['vbscript link', '[click](vbscript:msgbox(1))'],
		['file link', '[click](file:///etc/passwd)'],
		['reference definition', '[click][1]\n\n[1]: javascript:alert(1)'],
		['protocol-relative', '[click](//evil.example/path)'],
		['backslash host', '[click](/\\evil.example/path)'],
		['image', '![pixel](https://tracker.example/p.png)'],
		['image with javascript', '![x](javascript:alert(1))'],
		['image alt with quotes', '![x" onerror="alert(1)](https://example.com/a.png)'],
		['image alt with html', '![<img src=x onerror=alert(1)>](https://example.com/a.png)'],
		['html in link text', '[<img src=x onerror=alert(1)>](https://example.com)'],
		['quote in url', '[x](<https://example.com/" onmouseover="alert(1)>)'],
		['quote in title', '[x](https://example.com "a\\" onmouseover=\\"alert(1)")'],
		['single quote in title', "[x](https://example.com 'a\\' onmouseover=\\'alert(1)')"],
		['html in code fence', '```html\n<script>alert(1)</script>\n<img src=x onerror=alert(1)>\n```'],
		['html in unclosed fence', '```\n<script>alert(1)'],
		['html in fence language', '```"><img src=x onerror=alert(1)>\ncode\n```'],
		['html in inline code', '`<img src=x onerror=alert(1)>`'],
		['html in table', '| <script>alert(1)</script> | b |\n|---|---|\n| <img src=x onerror=alert(1)> | [x](javascript:alert(1)) |'],
		['html in list', '- <img src=x onerror=alert(1)>\n  - <svg onload=alert(1)>'],
		['html in heading', '# <img src=x onerror=alert(1)>'],
		['html in blockquote', '> <iframe src=x></iframe>'],
		['entities', '&lt;script&gt;alert(1)&lt;/script&gt;'],
		['nested link', '[a [b](https://example.com) c](https://example.org)'],
		['image in link', '[![a](javascript:alert(1))](https://example.com)']
	];

	it.each(attacks)('%s', (_name, markdown) => {
		const output = html(markdown);
		const markup = markupOf(output);
		expect(markup).not.toMatch(/<(?:script|img|svg|iframe|object|embed|style|form|meta|details)\b/i);
		expect(markup).not.toMatch(/\son[a-z]+=/i);
		expect(tagsOf(output)).not.toMatch(/href="(?!https?:|mailto:|\/(?![/\\]))/i);
	});

	it('shows raw HTML as escaped text', () => {
		expect(html('<script>window.__xss = 1</script>')).toBe('<p>&lt;script&gt;window.__xss = 1&lt;/script&gt;</p>\n');
		expect(html('a <img src=x onerror=alert(1)> b')).toBe('<p>a &lt;img src=x onerror=alert(1)&gt; b</p>\n');
		expect(html('<div>\n<b>x</b>\n</div>')).toBe('<p>&lt;div&gt;<br>&lt;b&gt;x&lt;/b&gt;<br>&lt;/div&gt;</p>\n');
		expect(html('a <pre>x<img src=x onerror=alert(1)// y</pre>')).toBe(
			'<p>a &lt;pre&gt;x&lt;img src=x onerror=alert(1)// y&lt;/pre&gt;</p>\n'
		);
	});

	it('renders links with unsafe schemes as their text', () => {
		for (const href of [
			'javascript:alert(1)',
			'JaVaScRiPt:alert(1)',
			'javascript&#58;alert(1)',
			'javascript&colon;alert(1)',
			'<javascript:alert(1)>',
			'data:text/html,hi',
			'vbscript:msgbox(1)',
			'//evil.example',
			'/\\evil.example'
		]) {
			expect(html(`[click me](${href})`)).toBe('<p>click me</p>\n');
		}
		expect(html('<javascript:alert(1)>')).toBe('<p>javascript:alert(1)</p>\n');
	});

	it('keeps quotes inside URLs and titles from ending the attribute', () => {
		expect(html('[x](<https://example.com/" onmouseover="alert(1)>)')).toBe(
			`<p><a href="https://example.com/&quot;%20onmouseover=&quot;alert(1)" ${LINK_ATTRIBUTES}>x</a></p>\n`
		);
		expect(html('[x](https://example.com "a\\" onmouseover=\\"alert(1)")')).toBe(
			`<p><a href="https://example.com" title="a&quot; onmouseover=&quot;alert(1)" ${LINK_ATTRIBUTES}>x</a></p>\n`
		);
	});

	it('turns images into links labelled with their alt text, never loading them', () => {
		expect(html('![A chart](https://example.com/chart.png)')).toBe(
			`<p><a class="image-link" href="https://example.com/chart.png" ${LINK_ATTRIBUTES}>Image: A chart</a></p>\n`
		);
		expect(html('![<img src=x onerror=alert(1)>](https://example.com/a.png)')).toBe(
			`<p><a class="image-link" href="https://example.com/a.png" ${LINK_ATTRIBUTES}>Image: &lt;img src=x onerror=alert(1)&gt;</a></p>\n`
		);
		expect(html('![](data:image/png;base64,AAAA)')).toBe('<p>Image</p>\n');
		// A link cannot hold another: the image inside shows as its label.
		expect(html('[![logo](https://example.com/l.png)](https://example.com)')).toBe(
			`<p><a href="https://example.com" ${LINK_ATTRIBUTES}>Image: logo</a></p>\n`
		);
	});

	it('shows HTML inside code as written', () => {
		expect(html('`<img src=x onerror=alert(1)>` and `a &amp; b`')).toBe(
			'<p><code>&lt;img src=x onerror=alert(1)&gt;</code> and <code>a &amp;amp; b</code></p>\n'
		);
		expect(html('```html\n<script>alert("x")</script>\n```')).toContain(
			'<pre tabindex="0"><code class="language-html">&lt;script&gt;alert("x")&lt;/script&gt;</code></pre>'
		);
	});

	it('stays safe for any mix of dangerous fragments', () => {
		const fragments = [
			'<script>',
			'</script>',
			'<img src=x onerror=alert(1)>',
			'<svg onload=alert(1)>',
			'<pre>',
			'</pre>',
			'[',
			']',
			'(',
			')',
			'![',
			'](javascript:alert(1))',
			'](https://example.com)',
			'"',
			"'",
			'`',
			'```',
			'\n',
			'**',
			'_',
			'|',
			'&#58;',
			'&lt;',
			'<',
			'>',
			'javascript:',
			' onerror=',
			'\\',
			'- ',
			'> ',
			'<a href="'
		];
		let seed = 1;
		const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
		for (let round = 0; round < 500; round++) {
			const length = 1 + Math.floor(random() * 14);
			const markdown = Array.from({ length }, () => fragments[Math.floor(random() * fragments.length)]).join('');
			const output = renderMarkdown(markdown).html;
			expectSafe(output);
			expect(markupOf(output), markdown).not.toMatch(/<(?:script|img|svg)\b|\son[a-z]+=/i);
		}
	});
});

describe('renderMarkdown: markdown', () => {
	it('renders emphasis, strikethrough, inline code and line breaks', () => {
		expect(html('**bold** _em_ ~~gone~~ `code`\nnext line')).toBe(
			'<p><strong>bold</strong> <em>em</em> <del>gone</del> <code>code</code><br>next line</p>\n'
		);
	});

	it('renders safe links that open in a new tab', () => {
		expect(html('[docs](https://example.com/a?b=1&amp;c=2 "The docs")')).toBe(
			`<p><a href="https://example.com/a?b=1&amp;c=2" title="The docs" ${LINK_ATTRIBUTES}>docs</a></p>\n`
		);
		expect(html('[tasks](/tasks) <me@example.com> www.example.com')).toBe(
			`<p><a href="/tasks" ${LINK_ATTRIBUTES}>tasks</a> ` +
				`<a href="mailto:me@example.com" ${LINK_ATTRIBUTES}>me@example.com</a> ` +
				`<a href="http://www.example.com" ${LINK_ATTRIBUTES}>www.example.com</a></p>\n`
		);
	});

	it('renders nested lists, ordered lists and task lists', () => {
		expect(html('- a\n  - b\n    1. c\n- [x] done\n- [ ] todo')).toBe(
			'<ul>\n<li>a<ul>\n<li>b<ol>\n<li>c</li>\n</ol>\n</li>\n</ul>\n</li>\n' +
				'<li><input type="checkbox" disabled="" checked=""> done</li>\n' +
				'<li><input type="checkbox" disabled=""> todo</li>\n</ul>\n'
		);
		expect(html('3. three\n4. four')).toBe('<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>\n');
	});

	it('wraps tables in a scrolling box and keeps the alignment', () => {
		expect(html('| a | b |\n|:--|--:|\n| **1** | 2 |')).toBe(
			'<div class="table-scroll"><table>\n<thead>\n<tr><th align="left">a</th><th align="right">b</th></tr>\n</thead>\n' +
				'<tbody>\n<tr><td align="left"><strong>1</strong></td><td align="right">2</td></tr>\n</tbody>\n</table></div>\n'
		);
	});

	it('renders headings, quotes and rules', () => {
		expect(html('> quote\n\n---\n\n# One\n### Three')).toBe(
			'<blockquote>\n<p>quote</p>\n</blockquote>\n<hr>\n<h1>One</h1>\n<h3>Three</h3>\n'
		);
	});

	it('puts code blocks in a box with their language and a Copy button', () => {
		const { html: output, codeBlocks } = renderMarkdown('```TS\nconst a = 1 < 2;\n```');
		expectSafe(output);
		expect(output).toBe(
			'<div class="code-block"><div class="code-header"><span class="code-language">ts</span>' +
				'<button type="button" class="code-copy" aria-label="Copy code">Copy</button></div>' +
				'<pre tabindex="0"><code class="language-ts">const a = 1 &lt; 2;</code></pre></div>\n'
		);
		expect(codeBlocks).toEqual([{ code: 'const a = 1 < 2;', language: 'ts', complete: true }]);
	});

	it('labels a block without a usable language as text', () => {
		const { html: output, codeBlocks } = renderMarkdown('```"><b>\nx\n```\n\n    indented');
		expect(output).toContain('<span class="code-language">text</span>');
		expect(output).not.toContain('language-');
		expect(codeBlocks).toEqual([
			{ code: 'x', language: '', complete: true },
			{ code: 'indented', language: '', complete: true }
		]);
	});
});

describe('renderMarkdown: streaming', () => {
	it('shows an unclosed fence as a growing code block that is not complete yet', () => {
		const partial = renderMarkdown('Here:\n\n```ts\nconst a = 1;\nconst b');
		expectSafe(partial.html);
		expect(partial.html).toContain('<pre tabindex="0"><code class="language-ts">const a = 1;\nconst b</code></pre></div>');
		expect(partial.codeBlocks).toEqual([{ code: 'const a = 1;\nconst b', language: 'ts', complete: false }]);

		expect(renderMarkdown('```ts').codeBlocks).toEqual([{ code: '', language: 'ts', complete: false }]);
		expect(renderMarkdown('```ts\nx\n```').codeBlocks[0].complete).toBe(true);
		expect(renderMarkdown('~~~\nx\n~~~~\n\nafter').codeBlocks[0].complete).toBe(true);
		// A shorter fence does not close a longer one.
		expect(renderMarkdown('````\nx\n```').codeBlocks[0]).toEqual({ code: 'x\n```', language: '', complete: false });
	});

	it('leaves unclosed emphasis and links as text', () => {
		expect(html('Some **bold')).toBe('<p>Some **bold</p>\n');
		expect(html('See [the docs](/tas')).toBe('<p>See [the docs](/tas</p>\n');
	});
});

describe('renderMarkdown: highlighting', () => {
	it('uses the highlighted code the callback returns, and escaped code otherwise', () => {
		const highlight = vi.fn((code: string, language: string) =>
			language === 'ts' ? `<span class="line">${code.length}</span>` : undefined
		);
		const output = renderMarkdown('```ts\nabc\n```\n\n```py\n<x>\n```\n\n```\nplain\n```', { highlight }).html;
		expect(output).toContain('<code class="language-ts"><span class="line">3</span></code>');
		expect(output).toContain('<code class="language-py">&lt;x&gt;</code>');
		// Blocks without a language are never handed to the highlighter.
		expect(highlight.mock.calls).toEqual([
			['abc', 'ts'],
			['<x>', 'py']
		]);
	});
});
