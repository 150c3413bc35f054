import { describe, expect, it } from 'vitest';
import { postRequest, rejection } from '../../../../tests/support/request-body';
import { readBodyWithin } from './read-body';

/** A request whose body arrives in `chunks` without a `content-length`, recording how much of it was read. */
function chunkedRequest(chunks: Uint8Array[], headers: Record<string, string> = {}) {
	let pulled = 0;
	let index = 0;
	const body = new ReadableStream<Uint8Array>({
		pull(controller) {
			if (index === chunks.length) return controller.close();
			pulled += chunks[index].byteLength;
			controller.enqueue(chunks[index++]);
		}
	});
	return { request: postRequest(body, headers), pulled: () => pulled };
}

const kilobytes = (count: number) => Array.from({ length: count }, () => new Uint8Array(1024).fill(120));

describe('readBodyWithin', () => {
	it('reads a body within the limit, whole', async () => {
		const { request } = chunkedRequest(kilobytes(3));
		const bytes = await readBodyWithin(request, 3 * 1024);
		expect(bytes.byteLength).toBe(3 * 1024);
		expect(bytes.every((byte) => byte === 120)).toBe(true);
	});

	it('counts a chunked body while reading it: over the limit is payload_too_large', async () => {
		const { request } = chunkedRequest(kilobytes(10));
		expect(await rejection(readBodyWithin(request, 4 * 1024, { drainTimeoutMs: 60_000 }))).toMatchObject({
			code: 'payload_too_large',
			status: 413,
			message: 'The request body is larger than the limit of 4 KB.'
		});
	});

	it('reads the rest of a body over the limit before refusing it, up to the drain limit', async () => {
		const whole = chunkedRequest(kilobytes(10));
		await rejection(readBodyWithin(whole.request, 2 * 1024, { drainLimit: 64 * 1024, drainTimeoutMs: 60_000 }));
		expect(whole.pulled()).toBe(10 * 1024);

		const bounded = chunkedRequest(kilobytes(100));
		await rejection(readBodyWithin(bounded.request, 2 * 1024, { drainLimit: 4 * 1024, drainTimeoutMs: 60_000 }));
		expect(bounded.pulled()).toBeLessThan(10 * 1024);
	});

	it('refuses a declared length over the limit, reading it only when within the drain limit', async () => {
		const small = chunkedRequest(kilobytes(8), { 'content-length': String(8 * 1024) });
		const error = await rejection(readBodyWithin(small.request, 1024, { drainLimit: 64 * 1024, drainTimeoutMs: 60_000 }));
		expect(error).toMatchObject({ code: 'payload_too_large' });
		expect(small.pulled()).toBe(8 * 1024);

		const huge = chunkedRequest(kilobytes(8), { 'content-length': String(100 * 1024 * 1024) });
		expect(await rejection(readBodyWithin(huge.request, 1024, { drainLimit: 64 * 1024 }))).toMatchObject({
			code: 'payload_too_large'
		});
		// At most what the stream had buffered before the first read.
		expect(huge.pulled()).toBeLessThanOrEqual(1024);
	});

	it('stops reading the rest after the drain time even when the client keeps the body open', async () => {
		const body = new ReadableStream<Uint8Array>({
			start(controller) {
				controller.enqueue(new Uint8Array(2048));
				// …and never another byte, nor the end.
			}
		});
		expect(await rejection(readBodyWithin(postRequest(body), 1024, { drainTimeoutMs: 10 }))).toMatchObject({ code: 'payload_too_large' });
	});

	it('a body cut off while being read is invalid input', async () => {
		const body = new ReadableStream<Uint8Array>({
			start(controller) {
				controller.enqueue(new Uint8Array(10));
				controller.error(new Error('aborted'));
			}
		});
		expect(await rejection(readBodyWithin(postRequest(body), 1024))).toMatchObject({ code: 'invalid_input', field: 'body' });
	});

	it('an empty body is empty', async () => {
		expect((await readBodyWithin(new Request('http://localhost/x', { method: 'POST' }), 10)).byteLength).toBe(0);
	});
});
