/**
 * The HTML rendered Markdown may hold: the tags and attributes the renderer writes. The chat's
 * sanitiser keeps only these, and the renderer's tests fail on anything else.
 */
export const ALLOWED_TAGS = [
	'a',
	'blockquote',
	'br',
	'button',
	'code',
	'del',
	'div',
	'em',
	'h1',
	'h2',
	'h3',
	'h4',
	'h5',
	'h6',
	'hr',
	'input',
	'li',
	'ol',
	'p',
	'pre',
	'span',
	'strong',
	'table',
	'tbody',
	'td',
	'th',
	'thead',
	'tr',
	'ul'
];

/** The attributes rendered Markdown may hold. */
export const ALLOWED_ATTRIBUTES = [
	'align',
	'aria-label',
	'checked',
	'class',
	'disabled',
	'href',
	'rel',
	'start',
	'style',
	'tabindex',
	'target',
	'title',
	'type'
];
