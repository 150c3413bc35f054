/**
 * Which link targets model-written Markdown may point to: the one rule of the app's renderer
 * (render.ts) and the embeddable widget's (src/embed/markdown.ts). It imports nothing, since the
 * widget's bundle has a budget.
 */

/** Schemes a link may use. Everything else (javascript:, data:, vbscript:, file:…) stays text. */
const SAFE_SCHEME = /^(?:https?|mailto):/i;
/** A path on this site: one slash, not `//` or `/\`, which browsers read as another host. */
const SAME_SITE_PATH = /^\/(?![/\\])/;
/** C0 controls, space, DEL and C1 controls: browsers drop some of them inside URLs. */
const URL_CONTROL = /[\u0000-\u0020\u007f-\u009f]/;

/** Options of {@link safeUrl}. */
export interface SafeUrlOptions {
	/**
	 * Whether a path on this site (`/chat/abc`) may be a link; by default it may. The widget says
	 * no: on another site's page such a path would lead into that site, not to the server.
	 */
	sameSitePaths?: boolean;
}

/**
 * The URL a link may point to, or `undefined` when it must stay text. Character references are
 * decoded first, as a browser would in an attribute (`javascript&#58;…`), and the result is
 * escaped completely when written out, so the checked string is exactly what the browser sees.
 */
export function safeUrl(href: string | null | undefined, options: SafeUrlOptions = {}): string | undefined {
	if (!href) return undefined;
	const url = decodeCharacterReferences(href).trim().replace(/ /g, '%20');
	if (URL_CONTROL.test(url)) return undefined;
	if (SAFE_SCHEME.test(url)) return url;
	return options.sameSitePaths !== false && SAME_SITE_PATH.test(url) ? url : undefined;
}

const NAMED_REFERENCES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: '\u00a0'
};

/**
 * Decodes numeric character references (with or without `;`, as browsers do in attributes) and
 * the common named ones. Other named references are left as they are; since the result is
 * escaped completely, they reach the browser as literal text and cannot hide a scheme.
 */
export function decodeCharacterReferences(text: string): string {
	return text.replace(/&(?:#(\d+)|#x([0-9a-f]+)|([a-z]+));?/gi, (match, decimal, hex, name) => {
		if (name !== undefined) return NAMED_REFERENCES[name.toLowerCase()] ?? match;
		const code = decimal !== undefined ? Number.parseInt(decimal, 10) : Number.parseInt(hex, 16);
		return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd';
	});
}
