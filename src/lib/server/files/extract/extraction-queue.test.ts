import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { minimalDocx } from '../../../../../tests/support/minimal-docx';
import { minimalPdf, textPdf } from '../../../../../tests/support/minimal-pdf';
import { createTempDb, type TempDb } from '../../../../../tests/support/temp-db';
import { blankPng, textPng } from '../../../../../tests/support/text-png';
import { files, users } from '../../db/schema';
import type { Viewer } from '../../services/viewer';
import { saveUpload, toFileMeta } from '../file-records';
import { LocalFileStorage } from '../local-storage';
import { extractText } from './extract-text';
import { extractionErrorMessage } from './extraction-error';
import { ExtractionQueue, type Extract } from './extraction-queue';
import { ExtractionMemoryError, ExtractionTimeoutError, runExtractionWorker } from './run-extraction-worker';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const alice: Viewer = { kind: 'user', id: 'user-alice', role: 'user' };

/** A legal JSON file of 4 MB whose parsed and pretty-printed form needs far more than 16 MB of heap. */
const bigJson = () => new TextEncoder().encode(`[${Array(2_000_000).fill('0').join(',')}]`);

let temp: TempDb;
let folder: string;
let storage: LocalFileStorage;
let queue: ExtractionQueue;
/** The media types the queue's extractor was called with. */
let extracted: string[];

beforeEach(async () => {
	temp = await createTempDb();
	await temp.db.insert(users).values({ id: 'user-alice', email: 'alice@example.com', passwordHash: 'x' });
	folder = mkdtempSync(join(tmpdir(), 'parley-extract-'));
	storage = new LocalFileStorage(folder);
	extracted = [];
	const inProcess: Extract = (request) => {
		extracted.push(request.mediaType);
		return extractText(request.bytes, request.mediaType);
	};
	queue = new ExtractionQueue({ concurrency: 1, extract: inProcess });
});

afterEach(async () => {
	await queue.idle();
	temp.cleanup();
	rmSync(folder, { recursive: true, force: true });
});

async function rowOf(id: string) {
	const [row] = await temp.db.select().from(files).where(eq(files.id, id));
	return row;
}

async function upload(content: BlobPart, name: string, type = '') {
	return saveUpload(temp.db, { viewer: alice, file: new File([content], name, { type }) }, { storage, extraction: queue });
}

describe('runExtractionWorker', () => {
	it('reads a document in a worker process, and reports a damaged one as an error', async () => {
		const text = await runExtractionWorker({ bytes: await minimalDocx(['Read off the main thread.']), mediaType: DOCX });
		expect(text).toBe('Read off the main thread.');
		await expect(
			runExtractionWorker({ bytes: new TextEncoder().encode('%PDF-1.4 broken'), mediaType: 'application/pdf' })
		).rejects.toThrow();
	});

	it('reads the words in an image by OCR in a worker process, tesseract.js loading there too', async () => {
		const text = await runExtractionWorker({ bytes: textPng(['PARLEY OCR 42']), mediaType: 'image/png' });
		expect(text).toBe('PARLEY OCR 42');
	});

	it('stops a worker that takes too long', async () => {
		const request = { bytes: textPng(['SLOW']), mediaType: 'image/png' };
		await expect(runExtractionWorker(request, { timeoutMs: 50 })).rejects.toBeInstanceOf(ExtractionTimeoutError);
	});
});

describe('the memory limit of extraction workers', () => {
	it('ends a worker that needs more memory than its limit, and says so; this process goes on', async () => {
		const error = await runExtractionWorker({ bytes: bigJson(), mediaType: 'application/json' }, { memoryLimitMb: 16 }).catch(
			(thrown: unknown) => thrown
		);
		expect(error).toBeInstanceOf(ExtractionMemoryError);
		expect(extractionErrorMessage('application/json', error)).toBe('This file needs more memory to read than this server allows (16 MB).');
		expect(await runExtractionWorker({ bytes: new TextEncoder().encode('still here'), mediaType: 'text/plain' })).toBe('still here');
	});

	it('ends a worker whose memory outside the JavaScript heap grows past its limit (an image decoding to 144 megapixels)', async () => {
		const bomb = blankPng(12_000);
		expect(bomb.byteLength).toBeLessThan(1024 * 1024);
		const error = await runExtractionWorker({ bytes: bomb, mediaType: 'image/png' }, { memoryLimitMb: 128 }).catch(
			(thrown: unknown) => thrown
		);
		expect(error).toBeInstanceOf(ExtractionMemoryError);
		// A real image within the same limit is read.
		expect(await runExtractionWorker({ bytes: textPng(['WITHIN LIMITS']), mediaType: 'image/png' }, { memoryLimitMb: 128 })).toBe(
			'WITHIN LIMITS'
		);
	});

	it('marks the file failed with the reason, and goes on with the next files', async () => {
		const capped = new ExtractionQueue({ concurrency: 1, extract: (request) => runExtractionWorker(request, { memoryLimitMb: 16 }) });
		const big = await saveUpload(temp.db, { viewer: alice, file: new File([bigJson()], 'big.json') }, { storage, extraction: capped });
		const small = await saveUpload(temp.db, { viewer: alice, file: new File(['{"a":1}'], 'small.json') }, { storage, extraction: capped });
		await capped.idle();
		expect(await rowOf(big.id)).toMatchObject({
			extractionStatus: 'failed',
			extractedText: null,
			extractionError: 'This file needs more memory to read than this server allows (16 MB).'
		});
		expect(await rowOf(small.id)).toMatchObject({ extractionStatus: 'ready', extractedText: '{\n  "a": 1\n}' });
	});

	it('marks a PDF over the page limit failed with the reason the worker gave', async () => {
		const limited = new ExtractionQueue({
			extract: (request) => runExtractionWorker({ ...request, limits: { ...request.limits!, pdfPages: 2 } })
		});
		const row = await saveUpload(
			temp.db,
			{ viewer: alice, file: new File([textPdf([['One.'], ['Two.'], ['Three.']])], 'long.pdf') },
			{ storage, extraction: limited }
		);
		await limited.idle();
		expect(await rowOf(row.id)).toMatchObject({
			extractionStatus: 'failed',
			extractionError: 'This PDF has 3 pages, more than the 2 this server reads.'
		});
	});
});

describe('ExtractionQueue', () => {
	it('records a document pending, then its text once read', async () => {
		const row = await upload(minimalPdf(['The quarterly report is attached.']), 'report.pdf');
		expect(row).toMatchObject({ mimeType: 'application/pdf', extractionStatus: 'pending' });
		await queue.settled([row.id], 10_000);
		const done = await rowOf(row.id);
		expect(done.extractionStatus).toBe('ready');
		expect(done.extractedText).toContain('The quarterly report is attached.');
	});

	it('reads the text in an image, and records an image without text as having none', async () => {
		const sign = await upload(textPng(['PARLEY OCR 42']), 'sign.png');
		const blank = await upload(textPng(['']), 'blank.png');
		expect([sign.extractionStatus, blank.extractionStatus]).toEqual(['pending', 'pending']);
		await queue.settled([sign.id, blank.id], 20_000);
		expect(await rowOf(sign.id)).toMatchObject({ extractionStatus: 'ready', extractedText: 'PARLEY OCR 42', extractionError: null });
		expect(await rowOf(blank.id)).toMatchObject({ extractionStatus: 'none', extractedText: null, extractionError: null });
	});

	it('leaves audio alone and marks a damaged document failed, with a reason for its owner and the detail in the log', async () => {
		const audio = await upload(new Uint8Array([0x49, 0x44, 0x33, 4, 0, 0, 0, 0, 0, 0, 0xff, 0xfb, 0x90, 0x64, 0, 0]), 'memo.mp3');
		expect(audio).toMatchObject({ mimeType: 'audio/mpeg', extractionStatus: 'none' });
		const broken = await upload('%PDF-1.4\nnot a real PDF', 'broken.pdf');
		expect(broken.mimeType).toBe('application/pdf');
		await queue.settled([broken.id], 10_000);
		const failed = await rowOf(broken.id);
		expect(failed).toMatchObject({
			extractionStatus: 'failed',
			extractedText: null,
			extractionError: 'This PDF could not be read: it may be damaged, or not what its type says.'
		});
		expect(toFileMeta(failed).extraction_error).toBe(failed.extractionError);
		expect(extracted).toEqual(['application/pdf']);
	});

	it('clears the reason of an earlier failure once the text is read', async () => {
		const row = await upload('Now readable.', 'notes.txt');
		await queue.settled([row.id], 10_000);
		await temp.db
			.update(files)
			.set({ extractionStatus: 'pending', extractedText: null, extractionError: 'Reading its text took too long.' })
			.where(eq(files.id, row.id));
		queue.enqueue(temp.db, storage, row);
		await queue.settled([row.id], 10_000);
		expect(await rowOf(row.id)).toMatchObject({ extractionStatus: 'ready', extractedText: 'Now readable.', extractionError: null });
	});

	it('reads the same bytes once: a second upload takes the text already read', async () => {
		const first = await upload('{"b":1}', 'a.json');
		await queue.settled([first.id], 10_000);
		const second = await upload('{"b":1}', 'copy.json');
		await queue.settled([second.id], 10_000);
		expect(await rowOf(second.id)).toMatchObject({ extractionStatus: 'ready', extractedText: '{\n  "b": 1\n}' });
		expect(extracted).toEqual(['application/json']);
	});

	it('queues again the files a stopped server left unfinished', async () => {
		const row = await upload('Some notes.', 'notes.txt');
		await queue.settled([row.id], 10_000);
		await temp.db.update(files).set({ extractionStatus: 'extracting', extractedText: null }).where(eq(files.id, row.id));
		const other = await upload(minimalPdf(['Left pending.']), 'left.pdf');
		await queue.idle();
		await temp.db.update(files).set({ extractionStatus: 'pending' }).where(eq(files.id, other.id));

		const restarted = new ExtractionQueue({ extract: (request) => extractText(request.bytes, request.mediaType) });
		expect(await restarted.requeueUnfinished(temp.db, storage)).toBe(2);
		await restarted.idle();
		expect(await rowOf(row.id)).toMatchObject({ extractionStatus: 'ready', extractedText: 'Some notes.' });
		expect((await rowOf(other.id)).extractedText).toContain('Left pending.');
	});
});
