import type { IncomingMessage } from 'node:http';
import { pipeline, type Readable } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate } from 'node:zlib';
import { formatBytes } from '../../format-bytes';
import { ToolError } from '../tools/tool-error';

/** The response body as a stream of decoded bytes (gzip, deflate and br are undone). */
function decodedStream(response: IncomingMessage): Readable {
	const encoding = (response.headers['content-encoding'] ?? '').trim().toLowerCase();
	const decoder =
		encoding === 'gzip' || encoding === 'x-gzip'
			? createGunzip()
			: encoding === 'deflate'
				? createInflate()
				: encoding === 'br'
					? createBrotliDecompress()
					: undefined;
	return decoder ? pipeline(response, decoder, () => {}) : response;
}

/** Reads the body incrementally, failing as soon as it exceeds `maxBytes` (counted after decoding). */
export async function readResponseBody(response: IncomingMessage, maxBytes: number, signal: AbortSignal): Promise<Buffer> {
	const tooLarge = () => new ToolError(`The response is larger than ${formatBytes(maxBytes, { exact: true })}.`);
	const declared = Number(response.headers['content-length']);
	if (!response.headers['content-encoding'] && Number.isFinite(declared) && declared > maxBytes) {
		response.destroy();
		throw tooLarge();
	}
	const stream = decodedStream(response);
	const onAbort = () => stream.destroy(signal.reason);
	signal.addEventListener('abort', onAbort, { once: true });
	const chunks: Buffer[] = [];
	let total = 0;
	try {
		for await (const chunk of stream) {
			const buffer: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
			total += buffer.length;
			if (total > maxBytes) throw tooLarge();
			chunks.push(buffer);
		}
	} finally {
		signal.removeEventListener('abort', onAbort);
		response.destroy();
	}
	return Buffer.concat(chunks);
}
