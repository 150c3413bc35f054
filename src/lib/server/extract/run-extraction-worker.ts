import { Worker } from 'node:worker_threads';
import type { ExtractionRequest, ExtractionResponse } from './extraction-worker';

/** How long one file may take before its worker is stopped and the extraction fails. */
export const EXTRACTION_TIMEOUT_MS = 120_000;

/** Reading a file took longer than it may; its worker was stopped. */
export class ExtractionTimeoutError extends Error {
	override name = 'ExtractionTimeoutError';
	constructor(readonly timeoutMs: number) {
		super(`Extraction took longer than ${timeoutMs} ms.`);
	}
}

/** An extraction worker ended without answering (it crashed, or ran out of memory). */
export class ExtractionWorkerExitError extends Error {
	override name = 'ExtractionWorkerExitError';
}

/** The error a worker reported, with the name it had in the worker. */
function reportedError(response: { error: string; name: string }): Error {
	const error = new Error(response.error);
	error.name = response.name;
	return error;
}

/**
 * Extracts the text of a file in a worker thread of its own, so that parsing a large PDF never
 * blocks the server's event loop, and a file that takes too long or crashes the parser only ends
 * its worker. Starting a worker per file costs little next to reading a document, and frees
 * pdf.js's and Tesseract's memory after each file. Rejects with the parser's error (its message
 * and name) when extraction fails, an {@link ExtractionTimeoutError} after `timeoutMs`, and an
 * {@link ExtractionWorkerExitError} when the worker dies.
 */
export async function runExtractionWorker(
	request: ExtractionRequest,
	options: { timeoutMs?: number } = {}
): Promise<string | undefined> {
	// Imported when first needed, so that the bundler gives the worker's entry a chunk of its own.
	const { EXTRACTION_WORKER, extractionWorkerUrl } = await import('./extraction-worker');
	const timeoutMs = options.timeoutMs ?? EXTRACTION_TIMEOUT_MS;
	const fromSource = extractionWorkerUrl.pathname.endsWith('.ts');
	const worker = new Worker(extractionWorkerUrl, {
		workerData: EXTRACTION_WORKER,
		// From source the entry is TypeScript with extensionless imports: tsx loads it. Built, the
		// worker takes the process's own options, as Node does by default.
		execArgv: fromSource ? ['--import', 'tsx'] : undefined
	});
	try {
		return await new Promise<string | undefined>((resolve, reject) => {
			const timer = setTimeout(() => reject(new ExtractionTimeoutError(timeoutMs)), timeoutMs);
			const settle = () => clearTimeout(timer);
			worker.once('message', (response: ExtractionResponse) => {
				settle();
				if (response.ok) resolve(response.text);
				else reject(reportedError(response));
			});
			worker.once('error', (error) => {
				settle();
				reject(error);
			});
			worker.once('exit', (code) => {
				settle();
				reject(new ExtractionWorkerExitError(`The extraction worker stopped (exit code ${code}).`));
			});
			worker.postMessage(request);
		});
	} finally {
		await worker.terminate();
	}
}
