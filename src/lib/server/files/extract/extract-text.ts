import { getConfig } from '../../config';
import { docxToText } from './docx-to-text';
import { extractionLimitsOf, type ExtractionLimits } from './extraction-limits';
import { htmlToText } from './html-to-text';
import { canReadImageText, imageToText } from './image-to-text';
import { pdfToText } from './pdf-to-text';

/**
 * The most characters of extracted text kept per file: about 250,000 tokens, more than any
 * model's context holds, and a bound on the row and on what a turn sends.
 */
export const MAX_EXTRACTED_CHARACTERS = 1_000_000;

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/**
 * Whether {@link extractText} reads text from files of this media type: documents, text, and
 * raster images (by OCR); not audio, video, archives or vector images.
 */
export function canExtractText(mediaType: string): boolean {
	return (
		canReadImageText(mediaType) ||
		mediaType === 'application/pdf' ||
		mediaType === DOCX ||
		mediaType === 'application/json' ||
		// Plain text, Markdown, CSV, HTML, and source code and the like, read as written.
		mediaType.startsWith('text/')
	);
}

/** UTF-8 bytes as text, without a byte order mark; invalid sequences become U+FFFD. */
function decodeUtf8(bytes: Uint8Array): string {
	return new TextDecoder().decode(bytes).replace(/^\uFEFF/, '');
}

/** JSON pretty-printed with two spaces, or as written when it does not parse. */
function jsonToText(text: string): string {
	try {
		return JSON.stringify(JSON.parse(text), null, 2);
	} catch {
		return text;
	}
}

/** Text as stored: at most {@link MAX_EXTRACTED_CHARACTERS}, without cutting a surrogate pair in half. */
export function capText(text: string): string {
	if (text.length <= MAX_EXTRACTED_CHARACTERS) return text;
	const cutsPair = /[\ud800-\udbff]/.test(text[MAX_EXTRACTED_CHARACTERS - 1]);
	return text.slice(0, cutsPair ? MAX_EXTRACTED_CHARACTERS - 1 : MAX_EXTRACTED_CHARACTERS);
}

/**
 * The text of a file: PDF (pdf.js), Word .docx (mammoth), HTML (tags stripped), JSON
 * (pretty-printed), plain text, Markdown, CSV and any other `text/*` type (as written), and the
 * text in PNG, JPEG, WebP, GIF, BMP and TIFF images (OCR, see {@link imageToText}); capped at
 * {@link MAX_EXTRACTED_CHARACTERS}. `undefined` for a type it does not read ({@link canExtractText})
 * and for an image in which OCR finds no text. Throws when the file is damaged or not what its
 * type says, and an `ExtractionLimitError` when it is over one of the `limits` (by default the
 * configuration's).
 */
export async function extractText(
	bytes: Uint8Array,
	mediaType: string,
	limits: ExtractionLimits = extractionLimitsOf(getConfig())
): Promise<string | undefined> {
	if (!canExtractText(mediaType)) return undefined;
	let text: string;
	if (canReadImageText(mediaType)) {
		text = (await imageToText(bytes)).trim();
		if (text === '') return undefined;
	} else if (mediaType === 'application/pdf') text = await pdfToText(bytes, limits.pdfPages);
	else if (mediaType === DOCX) text = await docxToText(bytes, limits);
	else if (mediaType === 'text/html') text = htmlToText(decodeUtf8(bytes));
	else if (mediaType === 'application/json') text = jsonToText(decodeUtf8(bytes));
	else text = decodeUtf8(bytes);
	return capText(text.trim());
}
