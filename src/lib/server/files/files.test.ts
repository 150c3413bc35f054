import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { minimalPdf } from '../../../../tests/support/minimal-pdf';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { textPng } from '../../../../tests/support/text-png';
import { parseConfig } from '../config';
import { files, users } from '../db/schema';
import { createTask } from '../services/tasks';
import type { Viewer } from '../services/viewer';
import { extractText } from './extract/extract-text';
import { ExtractionQueue } from './extract/extraction-queue';
import { contentDisposition, sanitizeFileName } from './file-names';
import { assignFilesToTask, getOwnFile, saveUpload, toFileMeta, toFileSummary } from './file-records';
import { fileIdOfUrl } from './file-urls';
import { LocalFileStorage, uploadsDirOf } from './local-storage';
import { fileSizeLimitOf } from './media-types';
import { fileIdOfPart, resolveUserFileParts, toFilePart, withFileData } from './model-parts';
import { sha256Hex } from './storage';
import { assertUploadableByType } from './upload-checks';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
/** The start of an MP3 file: an ID3 tag, then an MPEG audio frame header. */
const MP3 = new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, 0xff, 0xfb, 0x90, 0x64, 0, 0, 0, 0, 0, 0]);
/** The start of an MP4 video: an `ftyp` box. */
const MP4 = new Uint8Array([
	0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d, 0, 0, 2, 0, 0x69, 0x73, 0x6f, 0x6d, 0x6d, 0x70, 0x34, 0x31
]);

let temp: TempDb;
let folder: string;
let storage: LocalFileStorage;
/** Reads text in process: the worker process has tests of its own. */
let queue: ExtractionQueue;
const alice: Viewer = { kind: 'user', id: 'user-alice', role: 'user' };
const bob: Viewer = { kind: 'user', id: 'user-bob', role: 'user' };
const admin: Viewer = { kind: 'user', id: 'user-admin', role: 'admin' };
const stranger: Viewer = { kind: 'anonymous', anonymousId: 'anon_stranger' };

beforeEach(async () => {
	temp = await createTempDb({ seed: true });
	folder = mkdtempSync(join(tmpdir(), 'parley-uploads-'));
	storage = new LocalFileStorage(folder);
	queue = new ExtractionQueue({ extract: (request) => extractText(request.bytes, request.mediaType) });
	for (const [id, role] of [
		['user-alice', 'user'],
		['user-bob', 'user'],
		['user-admin', 'admin']
	] as const) {
		await temp.db.insert(users).values({ id, email: `${id}@example.com`, passwordHash: 'x', role });
	}
});

afterEach(async () => {
	await queue.idle();
	temp.cleanup();
	rmSync(folder, { recursive: true, force: true });
});

describe('LocalFileStorage', () => {
	it('stores bytes under their SHA-256 and reads them back', async () => {
		const bytes = new TextEncoder().encode('hello files');
		const key = await storage.put(bytes);
		expect(key).toBe(`sha256/${sha256Hex(bytes).slice(0, 2)}/${sha256Hex(bytes)}`);
		expect(existsSync(join(folder, key))).toBe(true);
		expect(new TextDecoder().decode(await storage.get(key))).toBe('hello files');
		const streamed = await new Response(await storage.stream(key)).text();
		expect(streamed).toBe('hello files');
	});

	it('keeps one copy of the same bytes and leaves no temporary files', async () => {
		const bytes = new TextEncoder().encode('same');
		expect(await storage.put(bytes)).toBe(await storage.put(bytes));
		const key = await storage.put(bytes);
		expect(readdirSync(join(folder, key, '..'))).toEqual([key.split('/').at(-1)]);
	});

	it('deletes bytes, and reports missing or foreign keys as not found', async () => {
		const key = await storage.put(new TextEncoder().encode('bye'));
		await storage.delete(key);
		await storage.delete(key);
		await expect(storage.get(key)).rejects.toMatchObject({ code: 'not_found' });
		await expect(storage.stream(key)).rejects.toMatchObject({ code: 'not_found' });
		await expect(storage.get('../../etc/passwd')).rejects.toMatchObject({ code: 'not_found' });
	});
});

describe('uploadsDirOf', () => {
	it('puts uploads beside a file database, else under data/', () => {
		expect(uploadsDirOf({ DATABASE_URL: 'file:/srv/parley/parley.db' })).toBe('/srv/parley/uploads');
		expect(uploadsDirOf({ DATABASE_URL: 'file:data/parley.db' })).toBe(join(process.cwd(), 'data', 'uploads'));
		expect(uploadsDirOf({ DATABASE_URL: 'libsql://example.turso.io' })).toBe(join(process.cwd(), 'data', 'uploads'));
	});
});

describe('sanitizeFileName', () => {
	it('keeps the last path segment without control characters', () => {
		expect(sanitizeFileName('../../etc/passwd')).toBe('passwd');
		expect(sanitizeFileName('C:\\Users\\me\\report.pdf')).toBe('report.pdf');
		expect(sanitizeFileName('bad\u0000na\r\nme.txt')).toBe('badname.txt');
		expect(sanitizeFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
		expect(sanitizeFileName('  spaced   out .txt ')).toBe('spaced out .txt');
	});

	it('names nameless files "file"', () => {
		expect(sanitizeFileName('')).toBe('file');
		expect(sanitizeFileName('..')).toBe('file');
		expect(sanitizeFileName('dir/')).toBe('file');
		expect(sanitizeFileName(undefined)).toBe('file');
	});

	it('cuts long names to 255 characters, keeping the extension', () => {
		const name = sanitizeFileName(`${'a'.repeat(300)}.pdf`);
		expect([...name]).toHaveLength(255);
		expect(name.endsWith('.pdf')).toBe(true);
		expect([...sanitizeFileName('é'.repeat(400))]).toHaveLength(255);
	});
});

describe('contentDisposition', () => {
	it('gives an ASCII fallback and the UTF-8 name', () => {
		expect(contentDisposition('report.pdf')).toBe(`attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`);
		expect(contentDisposition('résumé "final".pdf')).toBe(
			`attachment; filename="r_sum_ _final_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20%22final%22.pdf`
		);
		expect(contentDisposition('a\r\nb/../c.txt')).toBe(`attachment; filename="c.txt"; filename*=UTF-8''c.txt`);
	});
});

describe('saveUpload', () => {
	it('stores the bytes, sniffs the type and records the file for its owner', async () => {
		const file = new File([PNG], '../photo.png', { type: 'application/octet-stream' });
		const row = await saveUpload(temp.db, { viewer: alice, file }, { storage, extraction: queue });
		expect(row).toMatchObject({
			userId: 'user-alice',
			anonymousId: null,
			taskId: null,
			name: 'photo.png',
			mimeType: 'image/png',
			size: PNG.byteLength,
			sha256: sha256Hex(PNG),
			// Its text is read by OCR.
			extractionStatus: 'pending'
		});
		expect(await storage.get(row.storageKey)).toEqual(PNG);
		expect(toFileSummary(row)).toEqual({ id: row.id, name: 'photo.png', mime_type: 'image/png', size: 16, status: 'stored' });
		expect(toFileMeta(row)).toEqual({ ...toFileSummary(row), extraction_status: 'pending', text_length: 0, extraction_error: null });
	});

	it('keeps a declared text type and links the file to a task', async () => {
		const task = await createTask(temp.db, { viewer: alice, agentId: 1 });
		const file = new File(['a,b\n1,2\n'], 'table.csv', { type: 'text/csv' });
		const row = await saveUpload(temp.db, { viewer: alice, file, taskId: task.id }, { storage, extraction: queue });
		expect(row).toMatchObject({ mimeType: 'text/csv', taskId: task.id });
	});

	it('records anonymous owners', async () => {
		const row = await saveUpload(temp.db, { viewer: stranger, file: new File(['hi'], 'hi.txt') }, { storage, extraction: queue });
		expect(row).toMatchObject({ userId: null, anonymousId: 'anon_stranger', mimeType: 'text/plain' });
	});

	it('refuses empty and oversized files', async () => {
		await expect(
			saveUpload(temp.db, { viewer: alice, file: new File([], 'empty.txt') }, { storage, extraction: queue })
		).rejects.toMatchObject({
			code: 'invalid_input',
			field: 'file'
		});
		await expect(
			saveUpload(
				temp.db,
				{ viewer: alice, file: new File(['12345'], 'big.txt'), field: 'documents' },
				{ storage, extraction: queue, maxBytes: 4 }
			)
		).rejects.toMatchObject({ code: 'payload_too_large', field: 'documents' });
	});

	it('refuses a file over the limit of its kind, read from its content, before storing anything', async () => {
		const limits = parseConfig({ FILE_SIZE_LIMIT: '10000', FILE_SIZE_LIMIT_IMAGE: '1000' });
		const image = textPng(['TOO BIG']);
		expect(image.byteLength).toBeGreaterThan(1000);
		expect(image.byteLength).toBeLessThan(10000);
		// Declared as a document: the type read from the bytes decides the limit.
		const file = new File([image], 'scan.pdf', { type: 'application/pdf' });
		const refused = saveUpload(temp.db, { viewer: alice, file, field: 'images' }, { storage, limits, extraction: queue });
		await expect(refused).rejects.toMatchObject({
			code: 'payload_too_large',
			field: 'images',
			message: 'The file "scan.pdf" (image/png) is larger than the limit of 1 KB for images.'
		});
		await expect(assertUploadableByType(file, 'file', { limits })).rejects.toMatchObject({ code: 'payload_too_large' });
		expect(await temp.db.select().from(files).where(eq(files.userId, 'user-alice'))).toEqual([]);
		expect(readdirSync(folder)).toEqual([]);

		// A document of the same size is within its own limit.
		const text = new File(['x'.repeat(image.byteLength)], 'notes.txt');
		await assertUploadableByType(text, 'file', { limits });
		expect(await saveUpload(temp.db, { viewer: alice, file: text }, { storage, limits, extraction: queue })).toMatchObject({
			mimeType: 'text/plain'
		});
	});
});

describe('fileSizeLimitOf', () => {
	it('takes each kind’s own limit, FILE_SIZE_LIMIT when unset, and never more than FILE_SIZE_LIMIT', () => {
		const defaults = parseConfig({});
		expect(['image', 'audio', 'video', 'document'].map((kind) => fileSizeLimitOf(kind as never, defaults))).toEqual([
			10 * 1024 * 1024,
			25 * 1024 * 1024,
			25 * 1024 * 1024,
			25 * 1024 * 1024
		]);
		const set = parseConfig({
			FILE_SIZE_LIMIT: '5000',
			FILE_SIZE_LIMIT_IMAGE: '9000',
			FILE_SIZE_LIMIT_AUDIO: '3000',
			FILE_SIZE_LIMIT_VIDEO: '',
			FILE_SIZE_LIMIT_DOCUMENT: '100'
		});
		expect(['image', 'audio', 'video', 'document'].map((kind) => fileSizeLimitOf(kind as never, set))).toEqual([5000, 3000, 5000, 100]);
		expect(() => parseConfig({ FILE_SIZE_LIMIT_AUDIO: '0' })).toThrow(/FILE_SIZE_LIMIT_AUDIO: must be at least 1/);
	});
});

describe('getOwnFile', () => {
	it('finds the owner’s files, any file for an admin, and hides others’ as not found', async () => {
		const row = await saveUpload(temp.db, { viewer: alice, file: new File(['mine'], 'mine.txt') }, { storage, extraction: queue });
		expect((await getOwnFile(temp.db, alice, row.id)).id).toBe(row.id);
		expect((await getOwnFile(temp.db, admin, row.id)).id).toBe(row.id);
		await expect(getOwnFile(temp.db, bob, row.id)).rejects.toMatchObject({ code: 'not_found', field: 'id' });
		await expect(getOwnFile(temp.db, stranger, row.id)).rejects.toMatchObject({ code: 'not_found' });
		await expect(getOwnFile(temp.db, alice, 'no-such-file')).rejects.toMatchObject({ code: 'not_found' });
	});
});

describe('assignFilesToTask', () => {
	it('links only the viewer’s own files', async () => {
		const task = await createTask(temp.db, { viewer: alice, agentId: 1 });
		const mine = await saveUpload(temp.db, { viewer: alice, file: new File(['a'], 'a.txt') }, { storage, extraction: queue });
		const theirs = await saveUpload(temp.db, { viewer: bob, file: new File(['b'], 'b.txt') }, { storage, extraction: queue });
		await assignFilesToTask(temp.db, alice, [mine.id, theirs.id], task.id);
		expect((await getOwnFile(temp.db, alice, mine.id)).taskId).toBe(task.id);
		expect((await getOwnFile(temp.db, bob, theirs.id)).taskId).toBeNull();
	});
});

describe('toFilePart and withFileData', () => {
	it('stores a link to the file, its name and id', async () => {
		const row = await saveUpload(
			temp.db,
			{ viewer: alice, file: new File(['hello'], 'note.txt', { type: 'text/plain' }) },
			{ storage, extraction: queue }
		);
		const part = await toFilePart(temp.db, row);
		expect(part).toEqual({
			type: 'file',
			mediaType: 'text/plain',
			url: `/api/files/${row.id}`,
			filename: 'note.txt',
			providerMetadata: { parley: { fileId: row.id } }
		});
		expect(fileIdOfPart(part)).toBe(row.id);
		expect(await toFilePart(temp.db, row.id)).toEqual(part);
		expect(fileIdOfPart({ providerMetadata: { other: { fileId: 'x' } } })).toBeUndefined();
		await expect(toFilePart(temp.db, 'missing')).rejects.toMatchObject({ code: 'not_found' });
	});

	it('gives the model a document as its text (waiting for it), an image as its bytes, and a note for a missing file', async () => {
		const note = await saveUpload(
			temp.db,
			{ viewer: alice, file: new File(['hello'], 'note.txt', { type: 'text/plain' }) },
			{ storage, extraction: queue }
		);
		const image = await saveUpload(temp.db, { viewer: alice, file: new File([PNG], 'photo.png') }, { storage, extraction: queue });
		// Asked at once: the note's text is still being read, and is waited for.
		expect(note.extractionStatus).toBe('pending');
		const text = { type: 'text', text: 'see attached' };
		const notePart = await toFilePart(temp.db, note);
		const imagePart = await toFilePart(temp.db, image);
		expect(await withFileData(temp.db, [text, notePart, imagePart], { storage, extraction: queue })).toEqual([
			text,
			{ type: 'text', text: '[File note.txt]\nhello' },
			{ ...imagePart, url: `data:image/png;base64,${Buffer.from(PNG).toString('base64')}` }
		]);
		expect(await withFileData(temp.db, [{ ...notePart, providerMetadata: { parley: { fileId: 'gone' } } }], { storage })).toEqual([
			{ type: 'text', text: '[An attached file is no longer available.]' }
		]);
	});

	it('says a document is still being read when it is not ready in time, and why one that failed could not be read', async () => {
		// A queue that never gets to the file: as when a large PDF takes longer than the turn waits.
		const stalled = new ExtractionQueue({ extract: () => new Promise(() => {}) });
		const slow = await saveUpload(temp.db, { viewer: alice, file: new File(['slow'], 'slow.md') }, { storage, extraction: stalled });
		expect(await withFileData(temp.db, [await toFilePart(temp.db, slow)], { storage, extraction: stalled, waitMs: 20 })).toEqual([
			{ type: 'text', text: '[File slow.md: its text is still being read and is not available yet.]' }
		]);

		await temp.db
			.update(files)
			.set({ extractionStatus: 'failed', extractionError: 'Reading its text took longer than 120 seconds, so it was stopped.' })
			.where(eq(files.id, slow.id));
		const part = await toFilePart(temp.db, slow);
		expect(await withFileData(temp.db, [part], { storage, extraction: queue })).toEqual([
			{
				type: 'text',
				text: '[File "slow.md", text/markdown, 1 KB — its text could not be read: Reading its text took longer than 120 seconds, so it was stopped]'
			}
		]);
	});
});

describe('withFileData for each model', () => {
	/** Uploads files as alice and returns their message parts once their text has been read. */
	async function attach(...uploads: [BlobPart, string][]) {
		const rows = [];
		for (const [content, name] of uploads)
			rows.push(await saveUpload(temp.db, { viewer: alice, file: new File([content], name) }, { storage, extraction: queue }));
		await queue.settled(
			rows.map((row) => row.id),
			20_000
		);
		return Promise.all(rows.map((row) => toFilePart(temp.db, row.id)));
	}
	const dataUrl = (type: string, bytes: Uint8Array) => `data:${type};base64,${Buffer.from(bytes).toString('base64')}`;
	const pdf = minimalPdf(['Sea otters hold hands.']);

	it('gives the offline model images with the text read from them, documents as text, and audio and video as a line each', async () => {
		const sign = textPng(['PARLEY OCR 42']);
		const [image, report, memo, clip, archive] = await attach(
			[sign, 'sign.png'],
			[pdf, 'report.pdf'],
			[MP3, 'memo.mp3'],
			[MP4, 'clip.mp4'],
			[new Uint8Array([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 0, 0]), 'bundle.zip']
		);
		expect(await withFileData(temp.db, [image, report, memo, clip, archive], { storage, modelId: 'mock:offline' })).toEqual([
			{ ...image, url: dataUrl('image/png', sign) },
			{ type: 'text', text: '[File sign.png (text read from the image)]\nPARLEY OCR 42' },
			{ type: 'text', text: '[File report.pdf]\nSea otters hold hands.' },
			{ type: 'text', text: '[Audio file "memo.mp3", audio/mpeg, 1 KB — this model cannot listen to audio]' },
			{ type: 'text', text: '[Video file "clip.mp4", video/mp4, 1 KB — this model cannot watch video]' },
			{ type: 'text', text: '[File "bundle.zip", application/zip, 1 KB — this model cannot read files of this type]' }
		]);
	});

	it('sends PDFs as files to models that read them, and their text to the others', async () => {
		const [report] = await attach([pdf, 'report.pdf']);
		const asFile = [{ ...report, url: dataUrl('application/pdf', pdf) }];
		const asText = [{ type: 'text', text: '[File report.pdf]\nSea otters hold hands.' }];
		for (const modelId of ['anthropic:claude-sonnet-4-5', 'google:gemini-2.5-flash', 'openai:gpt-4.1-mini', 'openai:gpt-4o']) {
			expect(await withFileData(temp.db, [report], { storage, modelId })).toEqual(asFile);
		}
		for (const modelId of ['openai:gpt-3.5-turbo', 'anthropic:claude-3-haiku-20240307', 'compatible:llama3.1', 'mock:offline']) {
			expect(await withFileData(temp.db, [report], { storage, modelId })).toEqual(asText);
		}
	});

	it('sends audio and video as files to Gemini, unless too large for it, and describes them to the others', async () => {
		const [memo, clip] = await attach([MP3, 'memo.mp3'], [MP4, 'clip.mp4']);
		expect(await withFileData(temp.db, [memo, clip], { storage, modelId: 'google:gemini-2.5-flash' })).toEqual([
			{ ...memo, url: dataUrl('audio/mpeg', MP3) },
			{ ...clip, url: dataUrl('video/mp4', MP4) }
		]);
		expect(await withFileData(temp.db, [memo], { storage, modelId: 'openai:gpt-4o' })).toEqual([
			{ type: 'text', text: '[Audio file "memo.mp3", audio/mpeg, 1 KB — this model cannot listen to audio]' }
		]);
		await temp.db
			.update(files)
			.set({ size: 16 * 1024 * 1024 })
			.where(eq(files.id, fileIdOfPart(clip)!));
		expect(await withFileData(temp.db, [clip], { storage, modelId: 'google:gemini-2.5-flash' })).toEqual([
			{ type: 'text', text: '[Video file "clip.mp4", video/mp4, 16 MB — too large to send to this model]' }
		]);
	});

	it('describes an image a model cannot see, with any text read from it', async () => {
		const tiff = new Uint8Array([0x49, 0x49, 0x2a, 0, 8, 0, 0, 0, 0, 0]);
		const [scan] = await attach([tiff, 'scan.tiff']);
		expect(await withFileData(temp.db, [scan], { storage, modelId: 'anthropic:claude-sonnet-4-5' })).toEqual([
			{
				type: 'text',
				text: '[Image "scan.tiff", image/tiff, 1 KB — its text could not be read: This image could not be decoded: it may be damaged]'
			}
		]);
		await temp.db
			.update(files)
			.set({ extractionStatus: 'ready', extractedText: 'INVOICE 7' })
			.where(eq(files.id, fileIdOfPart(scan)!));
		expect(await withFileData(temp.db, [scan], { storage, modelId: 'anthropic:claude-sonnet-4-5' })).toEqual([
			{ type: 'text', text: '[File scan.tiff (text read from the image)]\nINVOICE 7' }
		]);
	});

	it('describes inline audio a model cannot listen to, and leaves other inline files as they are', async () => {
		const audio = { type: 'file', mediaType: 'audio/mpeg', url: dataUrl('audio/mpeg', MP3), filename: 'inline.mp3' };
		const text = { type: 'file', mediaType: 'text/plain', url: 'data:text/plain;base64,aGk=', filename: 'hi.txt' };
		expect(await withFileData(temp.db, [audio, text], { storage, modelId: 'mock:offline' })).toEqual([
			{ type: 'text', text: '[Audio file "inline.mp3", audio/mpeg, 1 KB — this model cannot listen to audio]' },
			text
		]);
		expect(await withFileData(temp.db, [audio, text], { storage, modelId: 'google:gemini-2.5-pro' })).toEqual([audio, text]);
	});
});

describe('resolveUserFileParts', () => {
	it('turns links to the viewer’s uploads into their files, keeps data URLs, and lists the uploads', async () => {
		const row = await saveUpload(
			temp.db,
			{ viewer: alice, file: new File(['hello'], 'note.txt', { type: 'text/plain' }) },
			{ storage, extraction: queue }
		);
		const text = { type: 'text', text: 'see attached' };
		const inline = { type: 'file', mediaType: 'text/plain', url: 'data:text/plain;base64,aGk=', filename: 'hi.txt' };
		// What a browser sends: the link, and whatever name and type it likes; the stored file's win.
		const linked = { type: 'file', mediaType: 'application/x-made-up', url: `/api/files/${row.id}`, filename: 'x' };
		const resolved = await resolveUserFileParts(temp.db, alice, [text, inline, linked]);
		expect(resolved.parts).toEqual([text, inline, await toFilePart(temp.db, row)]);
		expect(resolved.uploadedIds).toEqual([row.id]);
	});

	it('reports someone else’s upload as not found and refuses other addresses', async () => {
		const theirs = await saveUpload(temp.db, { viewer: bob, file: new File(['b'], 'b.txt') }, { storage, extraction: queue });
		const part = (url: string) => ({ type: 'file', mediaType: 'image/png', url });
		await expect(resolveUserFileParts(temp.db, alice, [part(`/api/files/${theirs.id}`)])).rejects.toMatchObject({
			code: 'not_found',
			field: 'messages'
		});
		for (const url of [
			'https://example.com/a.png',
			'http://169.254.169.254/latest',
			'file:///etc/passwd',
			'/api/files/',
			'javascript:alert(1)'
		]) {
			await expect(resolveUserFileParts(temp.db, alice, [part(url)])).rejects.toMatchObject({ code: 'invalid_input' });
		}
	});

	it('reads the id of a link to an uploaded file only', () => {
		expect(fileIdOfUrl('/api/files/abc')).toBe('abc');
		expect(fileIdOfUrl('/api/files/a%20b')).toBe('a b');
		expect(fileIdOfUrl('/api/files/abc/meta')).toBeUndefined();
		expect(fileIdOfUrl('/api/files/%E0%A4%A')).toBeUndefined();
		expect(fileIdOfUrl('https://host/api/files/abc')).toBeUndefined();
	});
});
