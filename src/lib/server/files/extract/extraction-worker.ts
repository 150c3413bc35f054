import { extractText } from './extract-text';
import type { ExtractionLimits } from './extraction-limits';

/**
 * The entry of the processes that extract text. One is started from this module's own address
 * ({@link extractionWorkerUrl}) with {@link EXTRACTION_WORKER} as its argument: in the built
 * server that is the chunk the bundler made of it, with its imports; run from source (vite dev,
 * vitest) it is this TypeScript file. Importing the module anywhere else does nothing.
 */

/** The argument that marks an extraction process. */
export const EXTRACTION_WORKER = '--parley-extraction-worker';

/** The address to start an extraction process from. */
export const extractionWorkerUrl = new URL(import.meta.url);

/** What a worker is asked to do: read the text of these bytes, within these limits. */
export interface ExtractionRequest {
	bytes: Uint8Array;
	mediaType: string;
	/** The limits to read within; the configuration's when absent. */
	limits?: ExtractionLimits;
}

/**
 * What a worker answers: the text (undefined when there is none to read), or why it failed: the
 * error's message and name (`PasswordException`, `InvalidPDFException`… from pdf.js,
 * `ExtractionLimitError` for a file over a limit).
 */
export type ExtractionResponse = { ok: true; text: string | undefined } | { ok: false; error: string; name: string };

if (process.argv.includes(EXTRACTION_WORKER) && process.send) {
	// The server that started it is gone (it stopped, or died): nobody waits for the text.
	process.once('disconnect', () => process.exit(0));
	process.once('message', async (request: ExtractionRequest) => {
		let response: ExtractionResponse;
		try {
			response = { ok: true, text: await extractText(request.bytes, request.mediaType, request.limits) };
		} catch (error) {
			response =
				error instanceof Error ? { ok: false, error: error.message, name: error.name } : { ok: false, error: String(error), name: 'Error' };
		}
		process.send?.(response);
	});
}
