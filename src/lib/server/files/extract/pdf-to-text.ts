import { extractText, getDocumentProxy } from 'unpdf';
import { ExtractionLimitError } from './extraction-limits';

/**
 * The text of a PDF, its pages joined (pdf.js through `unpdf`). A PDF of more than `maxPages`
 * pages is refused once its page tree is read, before any page is: reading every page of a
 * 40,000-page PDF takes gigabytes.
 */
export async function pdfToText(bytes: Uint8Array, maxPages: number): Promise<string> {
	// pdf.js takes ownership of the buffer it is given (it may detach it): pass a copy.
	const pdf = await getDocumentProxy(new Uint8Array(bytes));
	try {
		if (pdf.numPages > maxPages) {
			throw new ExtractionLimitError(
				`This PDF has ${pdf.numPages.toLocaleString('en')} pages, more than the ${maxPages.toLocaleString('en')} this server reads.`
			);
		}
		const { text } = await extractText(pdf, { mergePages: true });
		return text;
	} finally {
		await pdf.destroy();
	}
}
