import { describe, expect, it } from 'vitest';
import { docxOf, inflatingDocx, minimalDocx } from '../../../../../tests/support/minimal-docx';
import { assertDocxWithinLimits, docxToText } from './docx-to-text';
import { ExtractionLimitError } from './extraction-limits';
import { readZipEntries, zipEntryCount } from './zip-limits';

const MB = 1024 * 1024;
const defaults = { docxInflatedBytes: 50 * MB, docxEntries: 10_000 };

/** The same archive with every size the central directory declares for `name` set to `size`. */
function withDeclaredSize(bytes: Uint8Array, name: string, size: number): Uint8Array {
	const copy = new Uint8Array(bytes);
	const view = new DataView(copy.buffer);
	const entry = readZipEntries(copy).find((candidate) => candidate.name === name)!;
	// The directory entry is found again by its local header offset (bytes 42–45 of the entry).
	for (let at = copy.byteLength - 22; at >= 0; at--) {
		if (view.getUint32(at, true) === 0x02014b50 && view.getUint32(at + 42, true) === entry.localHeaderOffset) {
			view.setUint32(at + 24, size, true);
			break;
		}
	}
	// The local header too, as a liar would.
	view.setUint32(entry.localHeaderOffset + 22, size, true);
	return copy;
}

describe('Word documents within limits', () => {
	it('reads a document within the limits', async () => {
		expect((await docxToText(await minimalDocx(['Within the limits.']), defaults)).trim()).toBe('Within the limits.');
	});

	it('refuses a document whose document.xml inflates to more than 50 MB before parsing it', async () => {
		const bomb = await inflatingDocx(60 * MB);
		expect(bomb.byteLength).toBeLessThan(200 * 1024);
		const refusal = await docxToText(bomb, defaults).catch((error: unknown) => error);
		expect(refusal).toBeInstanceOf(ExtractionLimitError);
		expect((refusal as Error).message).toBe('This Word document unpacks to more than 50 MB, more than this server reads.');
	});

	it('measures what the data inflates to, not what the zip directory says', async () => {
		const bomb = await inflatingDocx(3 * MB);
		const lying = withDeclaredSize(bomb, 'word/document.xml', 100);
		expect(readZipEntries(lying).find((entry) => entry.name === 'word/document.xml')?.uncompressedSize).toBe(100);
		const limits = { docxInflatedBytes: 2 * MB, docxEntries: 100 };
		expect(() => assertDocxWithinLimits(lying, limits)).toThrow('This Word document unpacks to more than 2 MB');
		// Within a larger limit the same document passes the check.
		expect(() => assertDocxWithinLimits(bomb, { ...limits, docxInflatedBytes: 4 * MB })).not.toThrow();
	});

	it('refuses a document with more entries than DOCX_ENTRY_LIMIT', async () => {
		const extra = Object.fromEntries(Array.from({ length: 30 }, (_, index) => [`word/media/part${index}.xml`, '<x/>']));
		const many = await docxOf('<w:document/>', extra);
		expect(zipEntryCount(many)).toBe(36); // JSZip adds an entry per folder too
		await expect(docxToText(many, { ...defaults, docxEntries: 35 })).rejects.toThrow(
			'This Word document has more than 35 parts, more than this server reads.'
		);
	});

	it('leaves what is not a zip to the parser, which reports it damaged', async () => {
		const junk = new TextEncoder().encode('PK\u0003\u0004 broken');
		expect(() => assertDocxWithinLimits(junk, defaults)).not.toThrow();
		await expect(docxToText(junk, defaults)).rejects.not.toBeInstanceOf(ExtractionLimitError);
	});
});
