import { AppError } from '../../errors';
import { isExtractionLimitError } from './extraction-limits';
import { ExtractionMemoryError, ExtractionTimeoutError, ExtractionWorkerExitError } from './run-extraction-worker';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** What a file of this media type is called in a message. */
function kindOf(mediaType: string): string {
	if (mediaType === 'application/pdf') return 'This PDF';
	if (mediaType === DOCX) return 'This Word document';
	return 'This file';
}

/**
 * Why reading a file's text failed, in a short sentence fit to show its owner (stored as the
 * file's `extraction_error`). The parser's own message can name internals and is for the log.
 */
export function extractionErrorMessage(mediaType: string, error: unknown): string {
	if (error instanceof ExtractionTimeoutError) {
		return `Reading its text took longer than ${Math.round(error.timeoutMs / 1000)} seconds, so it was stopped.`;
	}
	if (error instanceof ExtractionMemoryError) {
		return `This file needs more memory to read than this server allows (${error.memoryLimitMb} MB).`;
	}
	// Written for the file's owner where the limit was found (a page count, an unpacked size).
	if (isExtractionLimitError(error)) return error.message;
	if (error instanceof ExtractionWorkerExitError) {
		return 'The reader stopped before it finished: the file may be too large or too complex.';
	}
	if (error instanceof AppError && error.code === 'not_found') return 'Its content is no longer stored.';
	const name = error instanceof Error ? error.name : '';
	if (name === 'PasswordException') return 'This PDF is protected by a password.';
	if (mediaType.startsWith('image/')) return 'This image could not be decoded: it may be damaged.';
	return `${kindOf(mediaType)} could not be read: it may be damaged, or not what its type says.`;
}
