/** The names of the Latin-1 characters U+00A0 to U+00FF, in order, as HTML spells them. */
const LATIN1_NAMES =
	'nbsp iexcl cent pound curren yen brvbar sect uml copy ordf laquo not shy reg macr deg plusmn sup2 sup3 acute micro para middot cedil sup1 ordm raquo frac14 frac12 frac34 iquest Agrave Aacute Acirc Atilde Auml Aring AElig Ccedil Egrave Eacute Ecirc Euml Igrave Iacute Icirc Iuml ETH Ntilde Ograve Oacute Ocirc Otilde Ouml times Oslash Ugrave Uacute Ucirc Uuml Yacute THORN szlig agrave aacute acirc atilde auml aring aelig ccedil egrave eacute ecirc euml igrave iacute icirc iuml eth ntilde ograve oacute ocirc otilde ouml divide oslash ugrave uacute ucirc uuml yacute thorn yuml'.split(
		' '
	);

/** Named character references common in real pages (names are case-sensitive); others are left as written. */
const NAMED_ENTITIES: Record<string, string> = {
	...Object.fromEntries(LATIN1_NAMES.map((name, index) => [name, String.fromCharCode(0xa0 + index)])),
	nbsp: ' ',
	shy: '',
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	trade: '™',
	hellip: '…',
	mdash: '—',
	ndash: '–',
	lsquo: '‘',
	rsquo: '’',
	sbquo: '‚',
	ldquo: '“',
	rdquo: '”',
	bdquo: '„',
	bull: '•',
	euro: '€',
	dagger: '†',
	permil: '‰',
	OElig: 'Œ',
	oelig: 'œ',
	Scaron: 'Š',
	scaron: 'š',
	thinsp: ' ',
	ensp: ' ',
	emsp: ' ',
	minus: '−',
	larr: '←',
	rarr: '→',
	uarr: '↑',
	darr: '↓',
	hearts: '♥'
};

/** Decodes character references (`&amp;`, `&#233;`, `&#xE9;`) in text taken from HTML. */
export function decodeEntities(text: string): string {
	return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z][a-z0-9]*);/gi, (reference, body: string) => {
		if (body[0] === '#') {
			const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
			// Out-of-range and surrogate code points cannot be characters: show the replacement character.
			if (!Number.isFinite(code) || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return '\uFFFD';
			return code === 0 ? '\uFFFD' : String.fromCodePoint(code);
		}
		return NAMED_ENTITIES[body] ?? NAMED_ENTITIES[body.toLowerCase()] ?? reference;
	});
}

/** Elements whose content is not text a reader sees. */
const HIDDEN_ELEMENTS = /<(script|style|noscript|template|head|svg|iframe|object)\b[^>]*>[\s\S]*?<\/\1\s*>/gi;
/** Elements that start a new line when shown. */
const BLOCK_TAGS =
	/<\/?(address|article|aside|blockquote|br|dd|div|dl|dt|fieldset|figcaption|figure|footer|form|h[1-6]|header|hr|li|main|nav|ol|p|pre|section|table|tbody|td|tfoot|th|thead|title|tr|ul)\b[^>]*>/gi;

/**
 * The text of an HTML page as a reader sees it: scripts, styles and other hidden content
 * dropped, tags removed (block elements become line breaks), character references decoded and
 * runs of blank space collapsed.
 */
export function htmlToText(html: string): string {
	const text = html
		.replace(/<!--[\s\S]*?-->/g, '')
		.replace(HIDDEN_ELEMENTS, ' ')
		// An unclosed <script> or <style> hides the rest of the page from a browser too.
		.replace(/<(script|style)\b[\s\S]*$/i, '')
		.replace(BLOCK_TAGS, '\n')
		.replace(/<\/?[a-z!?][^>]*>/gi, '');
	return decodeEntities(text)
		.replace(/[ \t\f\v\r\u00a0]+/g, ' ')
		.replace(/ *\n */g, '\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}
