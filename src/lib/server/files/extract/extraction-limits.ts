import type { Config } from '../../config';

/** How much of a file text extraction reads before it gives up (see the settings of the same names). */
export interface ExtractionLimits {
	/** Most bytes a Word document may unpack to (`DOCX_INFLATED_LIMIT`). */
	docxInflatedBytes: number;
	/** Most entries a Word document's zip may have (`DOCX_ENTRY_LIMIT`). */
	docxEntries: number;
	/** Most pages of a PDF (`PDF_PAGE_LIMIT`). */
	pdfPages: number;
}

/** The extraction limits of a configuration. */
export function extractionLimitsOf(config: Pick<Config, 'DOCX_INFLATED_LIMIT' | 'DOCX_ENTRY_LIMIT' | 'PDF_PAGE_LIMIT'>): ExtractionLimits {
	return {
		docxInflatedBytes: config.DOCX_INFLATED_LIMIT,
		docxEntries: config.DOCX_ENTRY_LIMIT,
		pdfPages: config.PDF_PAGE_LIMIT
	};
}

/**
 * A file is over one of the {@link ExtractionLimits}; its message is written for the file's
 * owner and is stored as the reason the extraction failed. It crosses from the extraction
 * process by its name, `ExtractionLimitError`.
 */
export class ExtractionLimitError extends Error {
	override name = 'ExtractionLimitError';
}

/** Whether an error is an {@link ExtractionLimitError}, also as re-created from another process (by name). */
export function isExtractionLimitError(error: unknown): error is Error {
	return error instanceof Error && error.name === 'ExtractionLimitError';
}
