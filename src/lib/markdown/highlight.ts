import type { HighlighterCore, LanguageRegistration, ThemedToken } from 'shiki/core';

/**
 * Syntax highlighting for code blocks in chat answers, with shiki loaded on demand.
 *
 * Nothing here is imported eagerly: the highlighter, its regex engine, the two themes and each
 * grammar are separate chunks fetched the first time a finished code block needs them, so the
 * chat page's own JavaScript stays small. Only the browser calls {@link highlightCode} (from a
 * component effect); server rendering shows the plain escaped code.
 */

type Grammar = () => Promise<{ default: LanguageRegistration[] }>;

/**
 * The grammars that can be loaded, by shiki's name. Each import names its module literally so
 * the bundler can split it into its own chunk; a template string would not be followed.
 */
const GRAMMARS: Record<string, Grammar> = {
	bash: () => import('@shikijs/langs/bash'),
	c: () => import('@shikijs/langs/c'),
	cpp: () => import('@shikijs/langs/cpp'),
	csharp: () => import('@shikijs/langs/csharp'),
	css: () => import('@shikijs/langs/css'),
	diff: () => import('@shikijs/langs/diff'),
	dockerfile: () => import('@shikijs/langs/dockerfile'),
	go: () => import('@shikijs/langs/go'),
	html: () => import('@shikijs/langs/html'),
	java: () => import('@shikijs/langs/java'),
	javascript: () => import('@shikijs/langs/javascript'),
	json: () => import('@shikijs/langs/json'),
	jsx: () => import('@shikijs/langs/jsx'),
	kotlin: () => import('@shikijs/langs/kotlin'),
	markdown: () => import('@shikijs/langs/markdown'),
	php: () => import('@shikijs/langs/php'),
	python: () => import('@shikijs/langs/python'),
	ruby: () => import('@shikijs/langs/ruby'),
	rust: () => import('@shikijs/langs/rust'),
	sql: () => import('@shikijs/langs/sql'),
	svelte: () => import('@shikijs/langs/svelte'),
	swift: () => import('@shikijs/langs/swift'),
	toml: () => import('@shikijs/langs/toml'),
	tsx: () => import('@shikijs/langs/tsx'),
	typescript: () => import('@shikijs/langs/typescript'),
	xml: () => import('@shikijs/langs/xml'),
	yaml: () => import('@shikijs/langs/yaml')
};

/** Other names models write after a fence, mapped to a grammar above. */
const ALIASES: Record<string, string> = {
	'c#': 'csharp',
	'c++': 'cpp',
	cjs: 'javascript',
	console: 'bash',
	cs: 'csharp',
	docker: 'dockerfile',
	golang: 'go',
	htm: 'html',
	js: 'javascript',
	jsonc: 'json',
	kt: 'kotlin',
	md: 'markdown',
	mjs: 'javascript',
	patch: 'diff',
	py: 'python',
	rb: 'ruby',
	rs: 'rust',
	sh: 'bash',
	shell: 'bash',
	svg: 'xml',
	ts: 'typescript',
	yml: 'yaml',
	zsh: 'bash'
};

/** GitHub's high-contrast themes: every token colour of the plain ones falls short of WCAG AA. */
const THEMES = { light: 'github-light-high-contrast', dark: 'github-dark-high-contrast' } as const;
/** Longer code is left plain: highlighting it would hold up the page for little benefit. */
const MAX_CODE_LENGTH = 20_000;
/** Longer lines are shown unhighlighted, which bounds the work for any one line. */
const MAX_LINE_LENGTH = 1_000;
/** How many highlighted blocks are kept; the oldest is dropped first. */
const MAX_CACHED = 200;
/** Style properties a token may carry: the two themes' colours and font styles. */
const TOKEN_STYLE_PROPERTY = /^--shiki-(?:light|dark)(?:-font-style|-font-weight|-text-decoration)?$/;
/** A colour or keyword value; nothing that could end the declaration or load anything. */
const TOKEN_STYLE_VALUE = /^[#a-z0-9 -]+$/i;

let highlighter: Promise<HighlighterCore> | undefined;
const grammarsLoaded = new Map<string, Promise<void>>();
const results = new Map<string, string>();
const pending = new Map<string, Promise<string | undefined>>();
let revision = 0;

/** The grammar for a fence's language name, or `undefined` when none is available. */
export function grammarFor(language: string): string | undefined {
	const name = Object.hasOwn(ALIASES, language) ? ALIASES[language] : language;
	return Object.hasOwn(GRAMMARS, name) ? name : undefined;
}

/** Increases every time a new highlighted block is cached, so renders can tell they are stale. */
export function highlightRevision(): number {
	return revision;
}

/** The highlighted inner HTML of a `<code>` element, if this code was highlighted before. */
export function cachedHighlight(code: string, language: string): string | undefined {
	const grammar = grammarFor(language);
	return grammar === undefined ? undefined : results.get(cacheKey(grammar, code));
}

/**
 * Highlights `code` as `language` and caches the result for {@link cachedHighlight}. Resolves
 * to the inner HTML of a `<code>` element, or `undefined` when the language is unknown, the
 * code is too long or shiki could not be loaded; the caller then keeps the plain code.
 */
export function highlightCode(code: string, language: string): Promise<string | undefined> {
	const grammar = grammarFor(language);
	if (grammar === undefined || code.length > MAX_CODE_LENGTH) return Promise.resolve(undefined);
	const key = cacheKey(grammar, code);
	const done = results.get(key);
	if (done !== undefined) return Promise.resolve(done);
	let result = pending.get(key);
	if (result === undefined) {
		result = highlight(code, grammar).then(
			(html) => {
				remember(key, html);
				return html;
			},
			() => undefined
		);
		result.finally(() => pending.delete(key));
		pending.set(key, result);
	}
	return result;
}

/**
 * Lines of shiki tokens as HTML: one `<span class="line">` per line, joined by newlines, with
 * each token's light and dark colours as CSS variables. Text is escaped and style values are
 * checked, so the result is safe even without a sanitiser. Its text is exactly the code.
 */
export function tokensToHtml(lines: ThemedToken[][]): string {
	return lines
		.map((line) => {
			const tokens = line.map((token) => {
				const style = tokenStyle(token.htmlStyle);
				const text = escapeCode(token.content);
				return style ? `<span style="${style}">${text}</span>` : text;
			});
			return `<span class="line">${tokens.join('')}</span>`;
		})
		.join('\n');
}

async function highlight(code: string, grammar: string): Promise<string> {
	const shiki = await loadHighlighter();
	await loadGrammar(shiki, grammar);
	const { tokens } = shiki.codeToTokens(code, {
		lang: grammar,
		themes: THEMES,
		defaultColor: false,
		// shiki stops a line after 500 ms by default and carries the unfinished state on, so a
		// slow first run (the JavaScript engine compiles each pattern on first use) could colour
		// the rest of the block as a comment. Lines are bounded by length instead.
		tokenizeTimeLimit: 0,
		tokenizeMaxLineLength: MAX_LINE_LENGTH
	});
	return tokensToHtml(tokens);
}

/** One highlighter for the page. A failed download is not retried until the next page load. */
function loadHighlighter(): Promise<HighlighterCore> {
	highlighter ??= Promise.all([import('shiki/core'), import('shiki/engine/javascript')]).then(
		([{ createHighlighterCore }, { createJavaScriptRegexEngine }]) =>
			createHighlighterCore({
				// Patterns the JavaScript engine cannot run are skipped rather than failing the grammar.
				engine: createJavaScriptRegexEngine({ forgiving: true }),
				themes: [import('@shikijs/themes/github-light-high-contrast'), import('@shikijs/themes/github-dark-high-contrast')],
				langs: []
			})
	);
	return highlighter;
}

function loadGrammar(shiki: HighlighterCore, grammar: string): Promise<void> {
	let loaded = grammarsLoaded.get(grammar);
	if (loaded === undefined) {
		loaded = GRAMMARS[grammar]().then((module) => shiki.loadLanguage(module.default));
		grammarsLoaded.set(grammar, loaded);
	}
	return loaded;
}

function remember(key: string, html: string): void {
	if (results.size >= MAX_CACHED) {
		const oldest = results.keys().next().value;
		if (oldest !== undefined) results.delete(oldest);
	}
	results.set(key, html);
	revision++;
}

function cacheKey(grammar: string, code: string): string {
	return `${grammar}\u0000${code}`;
}

function tokenStyle(style: Record<string, string> | undefined): string {
	if (!style) return '';
	return Object.entries(style)
		.filter(([property, value]) => TOKEN_STYLE_PROPERTY.test(property) && TOKEN_STYLE_VALUE.test(value))
		.map(([property, value]) => `${property}:${value}`)
		.join(';');
}

function escapeCode(code: string): string {
	return code.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
