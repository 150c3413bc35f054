import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import type { ExtractionRequest, ExtractionResponse } from './extraction-worker';

/** How long one file may take before its worker is stopped and the extraction fails. */
export const EXTRACTION_TIMEOUT_MS = 120_000;

/** The most of a worker's error output kept for the log, in characters. */
const KEPT_OUTPUT = 4000;

/** Reading a file took longer than it may; its worker was stopped. */
export class ExtractionTimeoutError extends Error {
	override name = 'ExtractionTimeoutError';
	constructor(readonly timeoutMs: number) {
		super(`Extraction took longer than ${timeoutMs} ms.`);
	}
}

/** An extraction worker ended without answering (it crashed). */
export class ExtractionWorkerExitError extends Error {
	override name = 'ExtractionWorkerExitError';
}

/** An extraction worker ran out of the memory it may use (`EXTRACTION_MEMORY_LIMIT_MB`) and was ended. */
export class ExtractionMemoryError extends Error {
	override name = 'ExtractionMemoryError';
	constructor(
		readonly memoryLimitMb: number,
		detail: string
	) {
		super(`The extraction worker ran out of memory (limit ${memoryLimitMb} MB): ${detail}`);
	}
}

/** The error a worker reported, with the name it had in the worker. */
function reportedError(response: { error: string; name: string }): Error {
	const error = new Error(response.error);
	error.name = response.name;
	return error;
}

/**
 * How much more than its heap limit a worker may hold in all, in MB: its code (pdf.js, Tesseract),
 * WebAssembly memory and buffers.
 */
export const EXTRA_RESIDENT_MB = 256;

/** How often a worker's resident memory is checked, in milliseconds. */
const MEMORY_CHECK_MS = 100;

/**
 * The resident memory of a process in bytes, from `/proc` (Linux); undefined where that cannot
 * be read (another system, or the process is gone).
 */
function residentBytesOf(pid: number | undefined): number | undefined {
	if (pid === undefined) return undefined;
	try {
		const kilobytes = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'latin1'))?.[1];
		return kilobytes === undefined ? undefined : Number(kilobytes) * 1024;
	} catch {
		return undefined;
	}
}

/** What V8 and the kernel print or do when a process runs out of memory. */
const OUT_OF_MEMORY = /heap out of memory|Fatal process out of memory|Reached heap limit|Allocation failed/i;

/**
 * Extracts the text of a file in a process of its own, so that parsing a large PDF never blocks
 * the server's event loop, and a file that takes too long, crashes the parser or needs too much
 * memory only ends that process. Its JavaScript heap is capped at `memoryLimitMb`
 * (`--max-old-space-size`), and its resident memory at {@link EXTRA_RESIDENT_MB} more (checked
 * every {@link MEMORY_CHECK_MS} ms, on Linux): over either, the process is ended. Only a separate
 * process survives that: a worker thread's `resourceLimits` still abort the whole server when
 * one large allocation crosses the limit. Starting a process per file costs about as much as a
 * worker thread next to reading a document, and returns pdf.js's and Tesseract's memory to the
 * system after each file. Rejects with the parser's error (its message and name) when extraction fails,
 * an {@link ExtractionTimeoutError} after `timeoutMs`, an {@link ExtractionMemoryError} when the
 * worker runs out of memory, and an {@link ExtractionWorkerExitError} when it dies otherwise.
 */
export async function runExtractionWorker(
	request: ExtractionRequest,
	options: { timeoutMs?: number; memoryLimitMb?: number } = {}
): Promise<string | undefined> {
	// Imported when first needed, so that the bundler gives the worker's entry a chunk of its own.
	const { EXTRACTION_WORKER, extractionWorkerUrl } = await import('./extraction-worker');
	const timeoutMs = options.timeoutMs ?? EXTRACTION_TIMEOUT_MS;
	const memoryLimitMb = options.memoryLimitMb ?? 512;
	const fromSource = extractionWorkerUrl.pathname.endsWith('.ts');
	const child = fork(fileURLToPath(extractionWorkerUrl), [EXTRACTION_WORKER], {
		// From source the entry is TypeScript with extensionless imports: tsx loads it.
		execArgv: [...(fromSource ? ['--import', 'tsx'] : []), `--max-old-space-size=${memoryLimitMb}`],
		serialization: 'advanced',
		stdio: ['ignore', 'inherit', 'pipe', 'ipc']
	});
	// A server that stops does not wait for its extractions: they start again at the next start.
	child.unref();
	child.channel?.unref();
	let output = '';
	child.stderr?.setEncoding('utf8');
	(child.stderr as Socket | null)?.unref();
	child.stderr?.on('data', (chunk: string) => (output = (output + chunk).slice(-KEPT_OUTPUT)));
	const ended = new Promise<void>((resolve) => child.once('close', () => resolve()));
	// Memory outside the JavaScript heap (WebAssembly, as Tesseract decodes an image, and
	// buffers) is not capped by V8: the process is ended when it holds more than the limit plus
	// room for its code and those.
	const residentLimit = (memoryLimitMb + EXTRA_RESIDENT_MB) * 1024 * 1024;
	const watchdog = setInterval(() => {
		const resident = residentBytesOf(child.pid);
		if (resident !== undefined && resident > residentLimit) child.kill('SIGKILL');
	}, MEMORY_CHECK_MS);
	watchdog.unref();
	let answered = false;
	try {
		return await new Promise<string | undefined>((resolve, reject) => {
			const timer = setTimeout(() => reject(new ExtractionTimeoutError(timeoutMs)), timeoutMs);
			const settle = () => clearTimeout(timer);
			child.once('message', (response: ExtractionResponse) => {
				answered = true;
				settle();
				if (response.ok) resolve(response.text);
				else reject(reportedError(response));
			});
			child.once('error', (error) => {
				settle();
				reject(error);
			});
			// `close` comes after the error output is read, so that it can be told apart.
			child.once('close', (code, signal) => {
				settle();
				if (answered) return;
				const lines = output.trim().split('\n');
				const detail = `exit code ${code}, signal ${signal}: ${lines.find((line) => OUT_OF_MEMORY.test(line)) ?? lines.at(-1)}`;
				// V8 aborts on a full heap; the watchdog above and the kernel's out-of-memory killer send SIGKILL.
				if (OUT_OF_MEMORY.test(output) || signal === 'SIGKILL') reject(new ExtractionMemoryError(memoryLimitMb, detail));
				else reject(new ExtractionWorkerExitError(`The extraction worker stopped (${detail}).`));
			});
			child.send(request, (error) => {
				if (error) {
					settle();
					reject(error);
				}
			});
		});
	} finally {
		clearInterval(watchdog);
		if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
		await ended;
	}
}
