import mammoth from 'mammoth';

/** The raw text of a Word (.docx) document, paragraphs separated by blank lines (`mammoth`). */
export async function docxToText(bytes: Uint8Array): Promise<string> {
	const { value } = await mammoth.extractRawText({ buffer: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) });
	return value;
}
