import { extractText } from 'unpdf';

/** The text of a PDF, its pages joined (pdf.js through `unpdf`). */
export async function pdfToText(bytes: Uint8Array): Promise<string> {
	// pdf.js takes ownership of the buffer it is given (it may detach it): pass a copy.
	const { text } = await extractText(new Uint8Array(bytes), { mergePages: true });
	return text;
}
