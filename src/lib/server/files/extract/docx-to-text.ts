import { lazyModule } from '../../modules/lazy-module';

/** The DOCX reader (mammoth, with its ZIP and XML readers): loaded with the first Word document. */
const loadMammoth = lazyModule('Reading Word documents', async () => (await import('mammoth')).default);
import { formatBytes } from '../../../format-bytes';
import { ExtractionLimitError, type ExtractionLimits } from './extraction-limits';
import { inflatedSizeOf, readZipEntries, zipEntryCount, ZipFormatError } from './zip-limits';

/**
 * Refuses a Word document that would unpack to more than `docxInflatedBytes`, or that has more
 * than `docxEntries` entries, before anything parses it: a few kilobytes of deflated XML can
 * inflate to gigabytes. The sizes are measured by inflating each entry up to what is left of the
 * limit, not taken from the zip's directory, which can say anything. An archive whose directory
 * cannot be read is left to the parser, which reports it damaged.
 */
export function assertDocxWithinLimits(bytes: Uint8Array, limits: Pick<ExtractionLimits, 'docxInflatedBytes' | 'docxEntries'>): void {
	const tooLarge = () =>
		new ExtractionLimitError(
			`This Word document unpacks to more than ${formatBytes(limits.docxInflatedBytes)}, more than this server reads.`
		);
	let count: number;
	try {
		count = zipEntryCount(bytes);
	} catch (error) {
		if (error instanceof ZipFormatError) return;
		throw error;
	}
	if (count > limits.docxEntries) {
		throw new ExtractionLimitError(
			`This Word document has more than ${limits.docxEntries.toLocaleString('en')} parts, more than this server reads.`
		);
	}
	const entries = readZipEntries(bytes);
	if (entries.reduce((sum, entry) => sum + entry.uncompressedSize, 0) > limits.docxInflatedBytes) throw tooLarge();
	let left = limits.docxInflatedBytes;
	for (const entry of entries) {
		left -= inflatedSizeOf(bytes, entry, left);
		if (left < 0) throw tooLarge();
	}
}

/**
 * The raw text of a Word (.docx) document, paragraphs separated by blank lines (`mammoth`), once
 * it is known to be within the limits ({@link assertDocxWithinLimits}).
 */
export async function docxToText(bytes: Uint8Array, limits: Pick<ExtractionLimits, 'docxInflatedBytes' | 'docxEntries'>): Promise<string> {
	assertDocxWithinLimits(bytes, limits);
	const mammoth = await loadMammoth();
	const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
	return value;
}
