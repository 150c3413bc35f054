import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { extractText } from './extract-text';

/**
 * The entry of the worker threads that extract text. A worker is started from this module's own
 * address ({@link extractionWorkerUrl}): in the built server that is the chunk the bundler made
 * of it, with its imports; run from source (vite dev, vitest) it is this TypeScript file.
 * Importing the module anywhere else does nothing.
 */

/** The `workerData` that marks an extraction worker. */
export const EXTRACTION_WORKER = 'parley-extraction-worker';

/** The address to start an extraction worker from. */
export const extractionWorkerUrl = new URL(import.meta.url);

/** What a worker is asked to do: read the text of these bytes. */
export interface ExtractionRequest {
	bytes: Uint8Array;
	mediaType: string;
}

/**
 * What a worker answers: the text (undefined when there is none to read), or why it failed: the
 * error's message and name (`PasswordException`, `InvalidPDFException`… from pdf.js).
 */
export type ExtractionResponse = { ok: true; text: string | undefined } | { ok: false; error: string; name: string };

if (!isMainThread && workerData === EXTRACTION_WORKER && parentPort) {
	const port = parentPort;
	port.on('message', async (request: ExtractionRequest) => {
		let response: ExtractionResponse;
		try {
			response = { ok: true, text: await extractText(request.bytes, request.mediaType) };
		} catch (error) {
			response = error instanceof Error
				? { ok: false, error: error.message, name: error.name }
				: { ok: false, error: String(error), name: 'Error' };
		}
		port.postMessage(response);
	});
}
