import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { users } from '../../src/lib/server/db/schema';
import { startServer, type TestServer } from '../support/server';
import { signUp } from '../support/session';
import { encodeImages } from '../support/image-formats';
import { textPng } from '../support/text-png';

let server: TestServer;
let db: Db;
let key: string;
/** The server's working directory: OCR must not write its language data there. */
let workingDir: string;

beforeAll(async () => {
	workingDir = mkdtempSync(join(tmpdir(), 'parley-ocr-cwd-'));
	server = await startServer({}, { cwd: workingDir });
	await signUp(server.baseURL, 'alice@example.com');
	db = await openDatabase({ url: server.databaseUrl });
	const [user] = await db.select().from(users).where(eq(users.email, 'alice@example.com'));
	key = (await createApiKey(db, user.id, 'ocr tests')).key;
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
	rmSync(workingDir, { recursive: true, force: true });
});

function api(path: string, init: RequestInit = {}): Promise<Response> {
	const headers = new Headers(init.headers);
	headers.set('authorization', `Bearer ${key}`);
	return fetch(`${server.baseURL}${path}`, { ...init, headers });
}

async function upload(bytes: Uint8Array<ArrayBuffer>, name: string): Promise<{ id: string; mime_type: string }> {
	const form = new FormData();
	form.append('file', new File([bytes], name));
	const response = await api('/api/files', { method: 'POST', body: form });
	expect(response.status).toBe(201);
	return (await response.json()).files[0];
}

interface FileMeta {
	extraction_status: string;
	text_length: number;
	extraction_error: string | null;
}

/** The file's meta once its extraction has ended, polled every 100 ms for at most 60 s. */
async function settledMeta(id: string): Promise<FileMeta> {
	const deadline = Date.now() + 60_000;
	while (Date.now() < deadline) {
		const meta = (await (await api(`/api/files/${id}/meta`)).json()) as FileMeta;
		if (meta.extraction_status !== 'pending' && meta.extraction_status !== 'extracting') return meta;
		await new Promise((wake) => setTimeout(wake, 100));
	}
	throw new Error(`The text of file ${id} was not read within 60 s.`);
}

/** The text of an agent API answer (SSE `text_delta` events). */
async function answer(body: unknown): Promise<string> {
	const response = await api('/api/agent/stream/', {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});
	expect(response.status).toBe(200);
	const deltas = (await response.text())
		.split('\n\n')
		.filter((block) => block.startsWith('event: text_delta'))
		.map((block) => JSON.parse(block.slice(block.indexOf('data: ') + 'data: '.length)).delta as string);
	return deltas.join('');
}

describe('OCR of uploaded images (built server)', () => {
	it('reads the words of a PNG in the background and gives them to the model beside the image', async () => {
		const stored = await upload(textPng(['PARLEY OCR 42']), 'sign.png');
		expect(stored.mime_type).toBe('image/png');
		expect(await settledMeta(stored.id)).toMatchObject({
			extraction_status: 'ready',
			text_length: 'PARLEY OCR 42'.length,
			extraction_error: null
		});
		const text = await answer({ message: 'What does it say?', agent_id: 'assistant', files: [stored.id] });
		expect(text).toContain('I received 1 attachment: sign.png (image). sign.png begins: "PARLEY OCR 42".');
		// Nothing was downloaded or cached next to the server.
		expect(readdirSync(workingDir)).toEqual([]);
	}, 90_000);

	it('reads the words of a JPEG and of a WebP as of a PNG', async () => {
		const [jpeg, webp] = await encodeImages([
			{ png: textPng(['JPEG SIGN 17']), type: 'image/jpeg' },
			{ png: textPng(['WEBP SIGN 28']), type: 'image/webp' }
		]);
		// What the server reads the type from: the bytes themselves.
		expect([...jpeg.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff]);
		expect(Buffer.from(webp.subarray(8, 12)).toString('latin1')).toBe('WEBP');

		const photo = await upload(jpeg, 'photo.jpg');
		const picture = await upload(webp, 'picture.webp');
		expect([photo.mime_type, picture.mime_type]).toEqual(['image/jpeg', 'image/webp']);
		expect(await settledMeta(photo.id)).toMatchObject({
			extraction_status: 'ready',
			text_length: 'JPEG SIGN 17'.length,
			extraction_error: null
		});
		expect(await settledMeta(picture.id)).toMatchObject({
			extraction_status: 'ready',
			text_length: 'WEBP SIGN 28'.length,
			extraction_error: null
		});
		const text = await answer({ message: 'What do they say?', agent_id: 'assistant', files: [photo.id, picture.id] });
		expect(text).toContain(
			'I received 2 attachments: photo.jpg (image), picture.webp (image). photo.jpg begins: "JPEG SIGN 17". picture.webp begins: "WEBP SIGN 28".'
		);
	}, 90_000);

	it('records an image without text as having none, and a damaged one as failed with a reason', async () => {
		const blank = await upload(textPng(['']), 'blank.png');
		const damaged = await upload(textPng(['X']).subarray(0, 60), 'damaged.png');
		expect(damaged.mime_type).toBe('image/png');
		expect(await settledMeta(blank.id)).toMatchObject({ extraction_status: 'none', text_length: 0, extraction_error: null });
		expect(await settledMeta(damaged.id)).toMatchObject({
			extraction_status: 'failed',
			extraction_error: 'This image could not be decoded: it may be damaged.'
		});
		expect(server.output()).toContain(`reading the text of file ${damaged.id} (image/png) failed`);
	}, 90_000);
});
