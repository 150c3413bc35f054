import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../src/lib/server/auth/api-keys';
import { openDatabase, type Db } from '../../src/lib/server/db';
import { files as fileRows, messages, users } from '../../src/lib/server/db/schema';
import { minimalDocx } from '../support/minimal-docx';
import { minimalPdf } from '../support/minimal-pdf';
import { startServer, type TestServer } from '../support/server';
import { signUp, type SessionClient } from '../support/session';

let server: TestServer;
let db: Db;
/** The first account: an admin. */
let adminKey: string;
let aliceKey: string;
let bobKey: string;
let alice: SessionClient;

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
const PDF = new TextEncoder().encode('%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n');

beforeAll(async () => {
	server = await startServer({ FILE_SIZE_LIMIT: '4096' });
	await signUp(server.baseURL, 'admin@example.com');
	alice = await signUp(server.baseURL, 'alice@example.com');
	await signUp(server.baseURL, 'bob@example.com');
	db = await openDatabase({ url: server.databaseUrl });
	const keyOf = async (email: string) => {
		const [user] = await db.select().from(users).where(eq(users.email, email));
		return (await createApiKey(db, user.id, 'file tests')).key;
	};
	adminKey = await keyOf('admin@example.com');
	aliceKey = await keyOf('alice@example.com');
	bobKey = await keyOf('bob@example.com');
});

afterAll(async () => {
	db?.$client.close();
	await server?.stop();
});

function api(path: string, init: RequestInit = {}, key = aliceKey): Promise<Response> {
	const headers = new Headers(init.headers);
	headers.set('authorization', `Bearer ${key}`);
	return fetch(`${server.baseURL}${path}`, { ...init, headers });
}

function upload(files: File[], key = aliceKey): Promise<Response> {
	const form = new FormData();
	for (const file of files) form.append('file', file);
	return api('/api/files', { method: 'POST', body: form }, key);
}

interface StoredFile {
	id: string;
	name: string;
	mime_type: string;
	size: number;
	status: string;
}

interface FileMeta extends StoredFile {
	extraction_status: string;
	text_length: number;
}

/** The file's meta once its text extraction has ended (polled a bounded number of times). */
async function settledMeta(id: string): Promise<FileMeta> {
	for (let attempt = 0; attempt < 200; attempt++) {
		const meta = (await (await api(`/api/files/${id}/meta`)).json()) as FileMeta;
		if (meta.extraction_status !== 'pending' && meta.extraction_status !== 'extracting') return meta;
		await new Promise((wake) => setTimeout(wake, 50));
	}
	throw new Error(`The text of file ${id} was not read within 200 attempts.`);
}

describe('POST /api/files', () => {
	it('stores several files with the type read from their content and a safe name', async () => {
		const response = await upload([
			new File([PNG], 'photo.png', { type: 'application/octet-stream' }),
			new File([PDF], '../../report.pdf', { type: 'application/pdf' }),
			new File(['a,b\n1,2\n'], 'table.csv', { type: 'text/csv' })
		]);
		expect(response.status).toBe(201);
		const { files } = (await response.json()) as { files: StoredFile[] };
		expect(files).toEqual([
			{ id: expect.any(String), name: 'photo.png', mime_type: 'image/png', size: PNG.byteLength, status: 'stored' },
			{ id: expect.any(String), name: 'report.pdf', mime_type: 'application/pdf', size: PDF.byteLength, status: 'stored' },
			{ id: expect.any(String), name: 'table.csv', mime_type: 'text/csv', size: 8, status: 'stored' }
		]);
		expect(new Set(files.map((file) => file.id)).size).toBe(3);
	});

	it('works with a session cookie from this site', async () => {
		const form = new FormData();
		form.append('file', new File(['from the app'], 'note.txt', { type: 'text/plain' }));
		const response = await alice.fetch('/api/files', { method: 'POST', body: form });
		expect(response.status).toBe(201);
	});

	it('refuses callers without a key, empty forms, JSON bodies and oversized files', async () => {
		const anonymous = await fetch(`${server.baseURL}/api/files`, { method: 'POST', body: new FormData() });
		expect(anonymous.status).toBe(401);

		const empty = await api('/api/files', { method: 'POST', body: new FormData() });
		expect(empty.status).toBe(400);
		expect(await empty.json()).toMatchObject({ error: { code: 'invalid_input', field: 'file' } });

		const text = new FormData();
		text.append('file', 'not a file');
		expect((await api('/api/files', { method: 'POST', body: text })).status).toBe(400);

		const json = await api('/api/files', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ file: 'x' })
		});
		expect(json.status).toBe(415);

		const before = (await db.select().from(fileRows)).length;
		const big = await upload([new File(['small.'], 'small.txt'), new File([new Uint8Array(5000)], 'big.bin')]);
		expect(big.status).toBe(413);
		expect(await big.json()).toMatchObject({ error: { code: 'payload_too_large', field: 'file' } });
		// The whole request is refused: not even the small file is stored.
		expect((await db.select().from(fileRows)).length).toBe(before);
	});
});

describe('GET /api/files/{id}', () => {
	it('sends the bytes with their type, a safe disposition and nosniff; raster images show in the browser', async () => {
		const { files } = (await (await upload([new File([PNG], 'my "best" photo.png')])).json()) as { files: StoredFile[] };
		const response = await api(`/api/files/${files[0].id}`);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('image/png');
		expect(response.headers.get('x-content-type-options')).toBe('nosniff');
		expect(response.headers.get('content-disposition')).toBe(
			`inline; filename="my _best_ photo.png"; filename*=UTF-8''my%20%22best%22%20photo.png`
		);
		expect(new Uint8Array(await response.arrayBuffer())).toEqual(PNG);

		const { files: documents } = (await (await upload([new File([PDF], 'report.pdf')])).json()) as { files: StoredFile[] };
		const download = await api(`/api/files/${documents[0].id}`);
		expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="report.pdf"/);
		await download.arrayBuffer();
	});

	it('sends an uploaded HTML page as a sandboxed attachment', async () => {
		const { files } = (await (await upload([new File(['<script>alert(1)</script>'], 'x.html', { type: 'text/html' })])).json()) as {
			files: StoredFile[];
		};
		const response = await api(`/api/files/${files[0].id}`);
		expect(response.headers.get('content-type')).toBe('text/html');
		expect(response.headers.get('content-disposition')).toMatch(/^attachment;/);
		expect(response.headers.get('content-security-policy')).toContain('sandbox');
		await response.arrayBuffer();
	});

	it('hides someone else’s file as 404, and lets an admin read it', async () => {
		const { files } = (await (await upload([new File([PDF], 'private.pdf')])).json()) as { files: StoredFile[] };
		const foreign = await api(`/api/files/${files[0].id}`, {}, bobKey);
		expect(foreign.status).toBe(404);
		expect(await foreign.json()).toMatchObject({ error: { code: 'not_found' } });
		expect((await api(`/api/files/${files[0].id}/meta`, {}, bobKey)).status).toBe(404);
		expect((await fetch(`${server.baseURL}/api/files/${files[0].id}`)).status).toBe(404);
		expect((await api('/api/files/no-such-file')).status).toBe(404);

		const asAdmin = await api(`/api/files/${files[0].id}`, {}, adminKey);
		expect(asAdmin.status).toBe(200);
		expect(new Uint8Array(await asAdmin.arrayBuffer())).toEqual(PDF);
	});
});

describe('GET /api/files/{id}/meta', () => {
	it('gives the summary plus the extraction status and text length: text is read in the background', async () => {
		const { files } = (await (
			await upload([new File(['hello'], 'hello.txt', { type: 'text/plain' }), new File([PNG], 'a.png')])
		).json()) as {
			files: StoredFile[];
		};
		const response = await api(`/api/files/${files[0].id}/meta`);
		expect(response.status).toBe(200);
		expect(await response.json()).toMatchObject({ ...files[0], extraction_status: expect.stringMatching(/^(pending|extracting|ready)$/) });
		expect(await settledMeta(files[0].id)).toEqual({ ...files[0], extraction_status: 'ready', text_length: 5, extraction_error: null });
		// Images are read by OCR; this one is a PNG header without an image.
		expect(await settledMeta(files[1].id)).toEqual({
			...files[1],
			extraction_status: 'failed',
			text_length: 0,
			extraction_error: 'This image could not be decoded: it may be damaged.'
		});
	});

	it('reads the text of a PDF and a Word file in worker threads, and a damaged PDF fails', async () => {
		const pdf = minimalPdf(['Platypuses glow under ultraviolet light.']);
		const docx = await minimalDocx(['Echidnas lay eggs.']);
		const { files } = (await (
			await upload([new File([pdf], 'glow.pdf', { type: 'application/pdf' }), new File([PDF], 'broken.pdf'), new File([docx], 'eggs.docx')])
		).json()) as { files: StoredFile[] };
		const meta = await settledMeta(files[0].id);
		expect(meta).toMatchObject({ mime_type: 'application/pdf', extraction_status: 'ready' });
		expect(meta.text_length).toBeGreaterThan(30);
		const [row] = await db.select().from(fileRows).where(eq(fileRows.id, files[0].id));
		expect(row.extractedText).toContain('Platypuses glow under ultraviolet light.');
		expect(await settledMeta(files[1].id)).toMatchObject({ extraction_status: 'failed', text_length: 0 });
		expect(await settledMeta(files[2].id)).toMatchObject({
			mime_type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
			extraction_status: 'ready',
			text_length: 'Echidnas lay eggs.'.length
		});
	});
});

describe('uploads in the app’s chat (POST /api/chat)', () => {
	it('a link to an upload becomes the stored file: the model reads its content, and the file joins the task', async () => {
		const stored = (await (
			await upload([new File(['Otters hold hands while sleeping.'], 'otters.txt', { type: 'text/plain' })])
		).json()) as {
			files: StoredFile[];
		};
		const file = stored.files[0];
		const taskId = `files-chat-${Date.now()}`;
		const response = await alice.fetch('/api/chat', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				id: taskId,
				messages: [
					{
						id: 'q1',
						role: 'user',
						parts: [
							{ type: 'text', text: 'What does this say?' },
							// The browser's idea of the type and name does not matter: the stored file's do.
							{ type: 'file', mediaType: 'application/octet-stream', url: `/api/files/${file.id}`, filename: 'whatever.bin' }
						]
					}
				]
			})
		});
		expect(response.status).toBe(200);
		expect(await response.text()).toContain('[DONE]');

		const [question, answer] = await db.select().from(messages).where(eq(messages.taskId, taskId)).orderBy(messages.position);
		const answerText = answer.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
		expect(answerText).toContain('otters.txt');
		expect(answerText).toContain('Otters hold hands');
		expect(answerText).not.toContain('/api/files/');
		expect(question.parts).toContainEqual({
			type: 'file',
			mediaType: 'text/plain',
			url: `/api/files/${file.id}`,
			filename: 'otters.txt',
			providerMetadata: { parley: { fileId: file.id } }
		});
		const [row] = await db.select().from(fileRows).where(eq(fileRows.id, file.id));
		expect(row.taskId).toBe(taskId);
	});

	it('a PDF reaches the model as its text', async () => {
		const pdf = minimalPdf(['Wombats leave cube-shaped droppings.', 'Nobody quite knows why.']);
		const { files } = (await (await upload([new File([pdf], 'wombats.pdf')])).json()) as { files: StoredFile[] };
		expect(await settledMeta(files[0].id)).toMatchObject({ extraction_status: 'ready' });
		const taskId = `files-pdf-chat-${Date.now()}`;
		const response = await alice.fetch('/api/chat', {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				id: taskId,
				messages: [
					{
						id: 'q1',
						role: 'user',
						parts: [
							{ type: 'text', text: 'What is this about?' },
							{ type: 'file', mediaType: 'application/pdf', url: `/api/files/${files[0].id}`, filename: 'wombats.pdf' }
						]
					}
				]
			})
		});
		expect(response.status).toBe(200);
		expect(await response.text()).toContain('[DONE]');
		const [, answer] = await db.select().from(messages).where(eq(messages.taskId, taskId)).orderBy(messages.position);
		const answerText = answer.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
		expect(answerText).toContain('wombats.pdf (document)');
		expect(answerText).toContain('Wombats leave cube-shaped droppings.');
		expect(answerText).toContain('What is this about?');
	});
});
