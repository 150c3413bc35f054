import { isHttpError } from '@sveltejs/kit';
import { describe, expect, it } from 'vitest';
import { postRequest, rejection } from '../../../../tests/support/request-body';
import { readActionForm, readForm } from './read-form';

const boundary = '----parley-test';
const type = `multipart/form-data; boundary=${boundary}`;
const complete = `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nAda\r\n--${boundary}--\r\n`;
/** The same form cut off before its closing boundary. */
const truncated = `--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nAda`;

const post = (body: BodyInit, headers: Record<string, string> = { 'content-type': type }) => postRequest(body, headers);

/** A body streamed without a `content-length`. */
function streamed(text: string): ReadableStream<Uint8Array> {
	const bytes = new TextEncoder().encode(text);
	return new ReadableStream({
		start(controller) {
			for (let at = 0; at < bytes.length; at += 100) controller.enqueue(bytes.slice(at, at + 100));
			controller.close();
		}
	});
}

describe('readForm', () => {
	it('reads a multipart form', async () => {
		expect((await readForm(post(complete))).get('name')).toBe('Ada');
	});

	it('refuses a truncated multipart body with 400', async () => {
		expect(await rejection(readForm(post(truncated)))).toMatchObject({ code: 'invalid_input', status: 400, field: 'body' });
	});

	it('counts a chunked body against the request limit', async () => {
		const big = complete.replace('Ada', 'x'.repeat(5000));
		expect(await rejection(readForm(post(streamed(big)), 1000))).toMatchObject({ code: 'payload_too_large', status: 413 });
		expect((await readForm(post(streamed(complete)), 1000)).get('name')).toBe('Ada');
	});

	it('refuses another content type with 415', async () => {
		expect(await rejection(readForm(post('{}', { 'content-type': 'application/json' })))).toMatchObject({ status: 415 });
	});
});

describe('readActionForm', () => {
	it('fails a form action with SvelteKit’s 400 on a truncated body', async () => {
		const error = await rejection(readActionForm(post(truncated)));
		expect(isHttpError(error, 400)).toBe(true);
		expect(error).toMatchObject({ body: { message: 'The form data could not be read.', code: 'invalid_input' } });
	});
});
