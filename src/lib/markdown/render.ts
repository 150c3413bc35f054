import { Marked, type RendererObject, type Tokens } from 'marked';
import { decodeCharacterReferences, safeUrl } from './safe-url';

/** A code block met while rendering, so the caller can highlight it once it is finished. */
export interface CodeBlock {
	/** The code as written, without the fences. */
	code: string;
	/** The language named after the opening fence, lower-cased; `''` when none or not a plain name. */
	language: string;
	/** Whether the block is finished: its closing fence has arrived (indented blocks always are). */
	complete: boolean;
}

/** Options of {@link renderMarkdown}. */
export interface RenderOptions {
	/**
	 * Returns the highlighted inner HTML of a code block's `<code>`, or `undefined` to show the
	 * escaped code. Called synchronously while rendering; its result is inserted as it is, so it
	 * must be built from escaped text only.
	 */
	highlight?: (code: string, language: string) => string | undefined;
}

/** The safe HTML of a markdown text and the code blocks it contains. */
export interface RenderedMarkdown {
	html: string;
	codeBlocks: CodeBlock[];
}

/** What one call of {@link renderMarkdown} collects; the renderer methods below read it. */
interface RenderState {
	highlight: RenderOptions['highlight'];
	codeBlocks: CodeBlock[];
	/** How many links the renderer is inside: a link inside a link is shown as its text. */
	linkDepth: number;
}

/** Attributes of every link: model output opens in a new tab, without access to this page. */
const LINK_ATTRIBUTES = 'target="_blank" rel="noopener noreferrer nofollow"';
/** A language name after a fence that is safe to show and to use in a class name. */
const LANGUAGE_NAME = /^[a-z0-9][a-z0-9_+#.-]{0,31}$/;

let state: RenderState = { highlight: undefined, codeBlocks: [], linkDepth: 0 };

/**
 * Renderer methods that replace marked's defaults wherever model text reaches the output. The
 * defaults not listed (paragraphs, headings, lists, emphasis…) only wrap the output of these.
 */
const renderer: RendererObject = {
	// Raw HTML in markdown is shown as text: model output never becomes markup of its own.
	html(token: Tokens.HTML | Tokens.Tag) {
		if (!token.block) return escapeText(token.text);
		return `<p>${escapeText(token.text.trim()).replace(/\n/g, '<br>')}</p>\n`;
	},

	// marked passes text inside a raw `<pre>`/`<script>` tag through unescaped (`escaped: true`);
	// that text is escaped here like any other.
	text(token: Tokens.Text | Tokens.Escape) {
		if ('tokens' in token && token.tokens) return this.parser.parseInline(token.tokens);
		return escapeText(token.text);
	},

	codespan({ text }: Tokens.Codespan) {
		return `<code>${escapeCode(text)}</code>`;
	},

	code(token: Tokens.Code) {
		const language = languageOf(token.lang);
		const complete = token.codeBlockStyle === 'indented' || fenceClosed(token.raw);
		state.codeBlocks.push({ code: token.text, language, complete });
		const code = (language && state.highlight?.(token.text, language)) || escapeCode(token.text);
		const languageClass = language ? ` class="language-${escapeAttribute(language)}"` : '';
		// The block scrolls sideways when its lines are long: focusable, so keys can scroll it too.
		return (
			'<div class="code-block"><div class="code-header">' +
			`<span class="code-language">${escapeText(language || 'text')}</span>` +
			'<button type="button" class="code-copy" aria-label="Copy code">Copy</button></div>' +
			`<pre tabindex="0"><code${languageClass}>${code}</code></pre></div>\n`
		);
	},

	link(token: Tokens.Link) {
		state.linkDepth++;
		const text = this.parser.parseInline(token.tokens);
		state.linkDepth--;
		const href = safeUrl(token.href);
		if (href === undefined || state.linkDepth > 0) return text;
		return `<a href="${escapeAttribute(href)}"${titleAttribute(token.title)} ${LINK_ATTRIBUTES}>${text}</a>`;
	},

	// Images are never loaded from model output (tracking pixels, spoofed content): an image
	// becomes a link to it, labelled with its alt text.
	image(token: Tokens.Image) {
		const alt = token.tokens ? this.parser.parseInline(token.tokens, this.parser.textRenderer) : token.text;
		const label = escapeText(alt.trim() ? `Image: ${alt.trim()}` : 'Image');
		const href = safeUrl(token.href);
		if (href === undefined || state.linkDepth > 0) return label;
		return `<a class="image-link" href="${escapeAttribute(href)}"${titleAttribute(token.title)} ${LINK_ATTRIBUTES}>${label}</a>`;
	},

	checkbox({ checked }: Tokens.Checkbox) {
		return `<input type="checkbox" disabled=""${checked ? ' checked=""' : ''}> `;
	},

	// Wide tables scroll inside their own box instead of widening the chat bubble.
	table(token: Tokens.Table) {
		const row = (cells: Tokens.TableCell[]) => `<tr>${cells.map((cell) => this.tablecell(cell)).join('')}</tr>\n`;
		const body = token.rows.length > 0 ? `<tbody>\n${token.rows.map(row).join('')}</tbody>\n` : '';
		return `<div class="table-scroll"><table>\n<thead>\n${row(token.header)}</thead>\n${body}</table></div>\n`;
	},

	tablecell(token: Tokens.TableCell) {
		const tag = token.header ? 'th' : 'td';
		const align = token.align ? ` align="${escapeAttribute(token.align)}"` : '';
		return `<${tag}${align}>${this.parser.parseInline(token.tokens)}</${tag}>`;
	}
};

/**
 * GFM with single line breaks kept: chat text often relies on them (addresses, verse, steps),
 * and the plain-text rendering this replaces showed them too.
 */
const marked = new Marked({ gfm: true, breaks: true, async: false, renderer });

/**
 * Renders markdown written by a model to HTML that is safe to insert as it is, on the server
 * as in the browser: raw HTML is escaped, links keep only http(s), mailto and same-site paths
 * and open in a new tab, images become links, and code blocks get a header with a Copy button.
 * Incomplete markdown (an unclosed fence or `**` while streaming) renders as far as it goes.
 */
export function renderMarkdown(markdown: string, options: RenderOptions = {}): RenderedMarkdown {
	const previous = state;
	state = { highlight: options.highlight, codeBlocks: [], linkDepth: 0 };
	try {
		const html = marked.parse(markdown, { async: false });
		return { html, codeBlocks: state.codeBlocks };
	} catch {
		// marked gives up on pathological input; the text itself is still worth showing.
		return { html: `<p>${escapeText(markdown).replace(/\n/g, '<br>')}</p>\n`, codeBlocks: [] };
	} finally {
		state = previous;
	}
}

/** The fence's language, when it is a plain name (`ts`, `c++`, `objective-c`); else `''`. */
function languageOf(lang: string | undefined): string {
	const name = (lang ?? '').trim().split(/\s/, 1)[0].toLowerCase();
	return LANGUAGE_NAME.test(name) ? name : '';
}

/** Whether a fenced block's raw text ends with a closing fence as long as its opening one. */
function fenceClosed(raw: string): boolean {
	const opening = /^ {0,3}(`{3,}|~{3,})/.exec(raw);
	if (!opening) return true;
	const lines = raw.replace(/\n+$/, '').split('\n');
	if (lines.length < 2) return false;
	const fence = opening[1];
	const closing = new RegExp(`^ {0,3}\\${fence[0]}{${fence.length},}[ \\t]*$`);
	return closing.test(lines[lines.length - 1]);
}

function titleAttribute(title: string | null | undefined): string {
	return title ? ` title="${escapeAttribute(decodeCharacterReferences(title))}"` : '';
}

/**
 * Escapes text content. A `&` that starts a character reference is kept, so `&lt;` written in
 * markdown shows as `<`; a reference in text content can only ever produce text. Quotes are left
 * alone because browsers serialise text that way too, which keeps the output identical after
 * a round trip through the DOM (DOMPurify) and hydration quiet.
 */
function escapeText(text: string): string {
	return text
		.replace(/&(?!#\d+;|#x[0-9a-f]+;|[a-z][a-z0-9]*;)/gi, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;');
}

/** Escapes code: every character shows as written, `&amp;` included. */
function escapeCode(code: string): string {
	return code.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Escapes a double-quoted attribute value completely: the browser decodes nothing in it. */
function escapeAttribute(value: string): string {
	return escapeCode(value).replace(/"/g, '&quot;');
}
