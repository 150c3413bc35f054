/**
 * How a document's extracted text is shown to a model: one text part, a header line naming the
 * file and then its text. The offline model reads the same header to quote attachments.
 */

const HEADER = /^\[File ([^\]\n]*)\]\n/;

/** A document's text as a model reads it: `[File report.pdf]` on a line of its own, then the text. */
export function fileTextPart(name: string, text: string): { type: 'text'; text: string } {
	return { type: 'text', text: `[File ${name.replace(/[\]\n]/g, '_')}]\n${text}` };
}

/** The file name and text of a part made by {@link fileTextPart}, or `undefined` for any other text. */
export function parseFileTextPart(text: string): { name: string; text: string } | undefined {
	const match = HEADER.exec(text);
	return match ? { name: match[1], text: text.slice(match[0].length) } : undefined;
}
