import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTempDb, type TempDb } from '../../../../tests/support/temp-db';
import { files, users } from '../db/schema';
import { extractText } from '../extract/extract-text';
import { ExtractionQueue } from '../extract/extraction-queue';
import {
	assignFilesToTask,
	contentDisposition,
	fileIdOfPart,
	fileIdOfUrl,
	getOwnFile,
	LocalFileStorage,
	resolveUserFileParts,
	sanitizeFileName,
	saveUpload,
	sha256Hex,
	toFileMeta,
	toFilePart,
	withFileData,
	toFileSummary,
	uploadsDirOf
} from './files';
import { createTask } from './tasks';
import type { Viewer } from './viewer';

const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);

let temp: TempDb;
let folder: string;
let storage: LocalFileStorage;
/** Reads text in process: the worker thread has tests of its own. */
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
			extractionStatus: 'none'
		});
		expect(await storage.get(row.storageKey)).toEqual(PNG);
		expect(toFileSummary(row)).toEqual({ id: row.id, name: 'photo.png', mime_type: 'image/png', size: 16, status: 'stored' });
		expect(toFileMeta(row)).toEqual({ ...toFileSummary(row), extraction_status: 'none', text_length: 0 });
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
		await expect(saveUpload(temp.db, { viewer: alice, file: new File([], 'empty.txt') }, { storage, extraction: queue })).rejects.toMatchObject({
			code: 'invalid_input',
			field: 'file'
		});
		await expect(
			saveUpload(temp.db, { viewer: alice, file: new File(['12345'], 'big.txt'), field: 'documents' }, { storage, extraction: queue, maxBytes: 4 })
		).rejects.toMatchObject({ code: 'payload_too_large', field: 'documents' });
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
		const row = await saveUpload(temp.db, { viewer: alice, file: new File(['hello'], 'note.txt', { type: 'text/plain' }) }, { storage, extraction: queue });
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
		const note = await saveUpload(temp.db, { viewer: alice, file: new File(['hello'], 'note.txt', { type: 'text/plain' }) }, { storage, extraction: queue });
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

	it('says a document is still being read when it is not ready in time, and sends the bytes of one that failed', async () => {
		// A queue that never gets to the file: as when a large PDF takes longer than the turn waits.
		const stalled = new ExtractionQueue({ extract: () => new Promise(() => {}) });
		const slow = await saveUpload(temp.db, { viewer: alice, file: new File(['slow'], 'slow.md') }, { storage, extraction: stalled });
		expect(await withFileData(temp.db, [await toFilePart(temp.db, slow)], { storage, extraction: stalled, waitMs: 20 })).toEqual([
			{ type: 'text', text: '[File slow.md: its text is still being read and is not available yet.]' }
		]);

		await temp.db.update(files).set({ extractionStatus: 'failed' }).where(eq(files.id, slow.id));
		const part = await toFilePart(temp.db, slow);
		expect(await withFileData(temp.db, [part], { storage, extraction: queue })).toEqual([
			{ ...part, url: `data:text/markdown;base64,${Buffer.from('slow').toString('base64')}` }
		]);
	});
});

describe('resolveUserFileParts', () => {
	it('turns links to the viewer’s uploads into their files, keeps data URLs, and lists the uploads', async () => {
		const row = await saveUpload(temp.db, { viewer: alice, file: new File(['hello'], 'note.txt', { type: 'text/plain' }) }, { storage, extraction: queue });
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
		for (const url of ['https://example.com/a.png', 'http://169.254.169.254/latest', 'file:///etc/passwd', '/api/files/', 'javascript:alert(1)']) {
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
