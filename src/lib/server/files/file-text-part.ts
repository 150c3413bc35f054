import { formatBytes } from '../../format-bytes';

/**
 * How files are shown to a model as text: a document's extracted text (or the text read from an
 * image) as one text part, a header line naming the file and then its text; and a file the model
 * cannot take as one line naming it, its type and size, and why. The offline model reads the
 * same lines to answer about attachments.
 */

const HEADER = /^\[File ([^\]\n]*?)( \(text read from the image\))?\]\n/;
const IMAGE_TEXT = ' (text read from the image)';

/** A file name as it appears between brackets or quotes: without `]`, `"` or line breaks. */
function shownName(name: string): string {
	return name.replace(/[\]"\n\r]/g, '_');
}

/**
 * A document's text as a model reads it: `[File report.pdf]` on a line of its own, then the
 * text. The text read from an image by OCR says so: `[File sign.png (text read from the image)]`.
 */
export function fileTextPart(name: string, text: string, options: { fromImage?: boolean } = {}): { type: 'text'; text: string } {
	return { type: 'text', text: `[File ${shownName(name)}${options.fromImage ? IMAGE_TEXT : ''}]\n${text}` };
}

/** The file name and text of a part made by {@link fileTextPart}, or `undefined` for any other text. */
export function parseFileTextPart(text: string): { name: string; text: string; fromImage: boolean } | undefined {
	const match = HEADER.exec(text);
	return match ? { name: match[1], text: text.slice(match[0].length), fromImage: match[2] !== undefined } : undefined;
}

/** The kind of a described file, as the first words of its line say it. */
export type DescribedKind = 'image' | 'audio' | 'video' | 'document';

const LABELS: Record<DescribedKind, string> = { image: 'Image', audio: 'Audio file', video: 'Video file', document: 'File' };
const KINDS_BY_LABEL = new Map(Object.entries(LABELS).map(([kind, label]) => [label, kind as DescribedKind]));
const DESCRIPTION = /^\[(Image|Audio file|Video file|File) "([^"\n]*)", ([^\s,]+), ([0-9.]+ [KMG]?B) — ([^\]\n]+)\]$/;

/** A file described in a line rather than sent. */
export interface FileDescription {
	kind: DescribedKind;
	name: string;
	mediaType: string;
	/** The size as written, e.g. `1.2 MB`. */
	size: string;
	/** Why the file itself is not there, e.g. `this model cannot listen to audio`. */
	note: string;
}

/**
 * A file that is not sent to the model, in one line naming it, its type and size, and why:
 * `[Audio file "memo.mp3", audio/mpeg, 1.2 MB — this model cannot listen to audio]`.
 */
export function fileDescriptionPart(
	file: { kind: DescribedKind; name: string; mediaType: string; size: number },
	note: string
): { type: 'text'; text: string } {
	const reason = note.replace(/[\]\n\r]/g, ' ').replace(/\.$/, '');
	return {
		type: 'text',
		text: `[${LABELS[file.kind]} "${shownName(file.name)}", ${file.mediaType}, ${formatBytes(file.size)} — ${reason}]`
	};
}

/** The file described by a part made by {@link fileDescriptionPart}, or `undefined` for any other text. */
export function parseFileDescriptionPart(text: string): FileDescription | undefined {
	const match = DESCRIPTION.exec(text);
	if (!match) return undefined;
	const [, label, name, mediaType, size, note] = match;
	return { kind: KINDS_BY_LABEL.get(label) ?? 'document', name, mediaType, size, note };
}
