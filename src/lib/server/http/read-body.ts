import { getConfig } from '../config';
import { formatBytes } from '../../format-bytes';
import { AppError } from '../errors';

/** `payload_too_large`: "`subject` is larger than the limit of 1 MB." */
export function tooLarge(subject: string, limitBytes: number): AppError {
	return new AppError('payload_too_large', `${subject} is larger than the limit of ${formatBytes(limitBytes)}.`);
}

/**
 * Reads a whole request body, counting its bytes as they arrive: over `limitBytes` is
 * `payload_too_large`, whether the body declared its length (`content-length`) or not (chunked).
 * A body over the limit is read on and thrown away (up to `BODY_DRAIN_LIMIT` bytes, for up to
 * `BODY_DRAIN_TIMEOUT_MS`) before the error is thrown: a client still sending when the answer
 * comes would otherwise see its connection reset instead of the 413. `subject` names the body in
 * messages ("The request body").
 */
export async function readBodyWithin(
	request: Request,
	limitBytes: number,
	options: { subject?: string; drainLimit?: number; drainTimeoutMs?: number } = {}
): Promise<Uint8Array<ArrayBuffer>> {
	const subject = options.subject ?? 'The request body';
	const drainLimit = options.drainLimit ?? getConfig().BODY_DRAIN_LIMIT;
	const drainTimeoutMs = options.drainTimeoutMs ?? getConfig().BODY_DRAIN_TIMEOUT_MS;
	const declared = Number(request.headers.get('content-length') ?? '');
	if (Number.isFinite(declared) && declared > limitBytes) {
		// A body that will not be read to its end anyway is not read at all.
		if (request.body && declared <= drainLimit) await drain(request.body.getReader(), declared, drainTimeoutMs);
		throw tooLarge(subject, limitBytes);
	}
	if (!request.body) return new Uint8Array(0);
	const reader = request.body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	for (;;) {
		let result: ReadableStreamReadResult<Uint8Array>;
		try {
			result = await reader.read();
		} catch (cause) {
			throw unreadable(cause, subject, limitBytes);
		}
		if (result.done) break;
		size += result.value.byteLength;
		if (size > limitBytes) {
			await drain(reader, drainLimit, drainTimeoutMs);
			throw tooLarge(subject, limitBytes);
		}
		chunks.push(result.value);
	}
	// Node's chunks are views of plain (never shared) ArrayBuffers.
	if (chunks.length === 1) return chunks[0] as Uint8Array<ArrayBuffer>;
	const bytes = new Uint8Array(size);
	let offset = 0;
	for (const chunk of chunks) {
		bytes.set(chunk, offset);
		offset += chunk.byteLength;
	}
	return bytes;
}

/**
 * Reads and throws away up to `budget` more bytes, for at most `timeoutMs`. The
 * stream is not cancelled when it stops early: under Node that would destroy the socket before
 * the answer is written.
 */
async function drain(reader: ReadableStreamDefaultReader<Uint8Array>, budget: number, timeoutMs: number): Promise<void> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timedOut = new Promise<'timeout'>((resolve) => {
		timer = setTimeout(() => resolve('timeout'), timeoutMs);
	});
	try {
		let drained = 0;
		while (drained <= budget) {
			const result = await Promise.race([reader.read(), timedOut]);
			if (result === 'timeout' || result.done) return;
			drained += result.value.byteLength;
		}
	} catch {
		// The client went away: nothing is left to read.
	} finally {
		clearTimeout(timer);
	}
}

/** A body that failed while being read: over the server's own size limit, or cut off. */
function unreadable(cause: unknown, subject: string, limitBytes: number): AppError {
	// adapter-node refuses bodies over BODY_SIZE_LIMIT with a 413 error in the stream.
	if (typeof cause === 'object' && cause !== null && (cause as { status?: unknown }).status === 413) {
		return tooLarge(subject, limitBytes);
	}
	return new AppError('invalid_input', `${subject} could not be read to its end.`, { field: 'body', cause });
}
