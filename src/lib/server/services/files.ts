import type { FileUIPart } from 'ai';
import { and, eq, inArray } from 'drizzle-orm';
import { getConfig, type Config } from '../config';
import type { Db } from '../db';
import { files, type ExtractionStatus } from '../db/schema';
import { AppError } from '../errors';
import { fileDescriptionPart, fileTextPart } from '../extract/file-text-part';
import { getExtractionQueue, initialExtractionStatus, type ExtractionQueue } from '../extract/extraction-queue';
import { countPdfPages } from '../extract/pdf-pages';
import { formatBytes } from '../http/read-json';
import { newId } from '../ids';
import { modelFileInputs, seesImage, takesMedia, takesMediaType, type ModelFileInputs } from '../models/capabilities';
import { sanitizeFileName } from '../files/file-names';
import { getFileStorage } from '../files/get-file-storage';
import { sha256Hex, type FileStorage } from '../files/storage';
import { detectMediaType, fileKindOf, type FileKind } from './detect-media-type';
import { withContentLock } from './file-cleanup';
import { isAdmin, type Viewer } from './viewer';

/** A stored file's row. */
export type FileRecord = typeof files.$inferSelect;

/** The owner columns of a file saved by a viewer. */
function ownerOf(viewer: Viewer) {
	return viewer.kind === 'user'
		? { userId: viewer.id, anonymousId: null }
		: { userId: null, anonymousId: viewer.anonymousId };
}

/** The size limits that apply to uploads. */
export type FileSizeLimits = Pick<
	Config,
	'FILE_SIZE_LIMIT' | 'FILE_SIZE_LIMIT_IMAGE' | 'FILE_SIZE_LIMIT_AUDIO' | 'FILE_SIZE_LIMIT_VIDEO' | 'FILE_SIZE_LIMIT_DOCUMENT'
>;

/**
 * The largest file of a kind, in bytes: `FILE_SIZE_LIMIT_IMAGE`, `_AUDIO`, `_VIDEO` or
 * `_DOCUMENT` (the last three `FILE_SIZE_LIMIT` when unset), never more than `FILE_SIZE_LIMIT`.
 */
export function fileSizeLimitOf(kind: FileKind, limits: FileSizeLimits = getConfig()): number {
	const own = {
		image: limits.FILE_SIZE_LIMIT_IMAGE,
		audio: limits.FILE_SIZE_LIMIT_AUDIO,
		video: limits.FILE_SIZE_LIMIT_VIDEO,
		document: limits.FILE_SIZE_LIMIT_DOCUMENT
	}[kind];
	return Math.min(own ?? limits.FILE_SIZE_LIMIT, limits.FILE_SIZE_LIMIT);
}

const KIND_NAMES: Record<FileKind, string> = { image: 'images', audio: 'audio files', video: 'videos', document: 'documents' };

/** 413 when a file is over the limit of its kind (known once its type is read from its content). */
function assertWithinKindLimit(
	file: { name: string; mediaType: string; size: number },
	field: string,
	limits: FileSizeLimits = getConfig()
): void {
	const kind = fileKindOf(file.mediaType);
	const limit = fileSizeLimitOf(kind, limits);
	if (file.size <= limit) return;
	throw new AppError(
		'payload_too_large',
		`The file "${file.name}" (${file.mediaType}) is larger than the limit of ${formatBytes(limit)} for ${KIND_NAMES[kind]}.`,
		{ field }
	);
}

/** An upload read, typed from its content and checked against every limit, ready to be stored. */
interface CheckedUpload {
	name: string;
	bytes: Uint8Array;
	mimeType: string;
}

/** Reads an upload, reads its type from its content and checks it against the limits (400, 413). */
async function checkedUpload(
	file: File,
	field: string,
	options: { maxBytes?: number; limits?: FileSizeLimits }
): Promise<CheckedUpload> {
	const name = sanitizeFileName(file.name);
	assertUploadable(file, field, options.maxBytes);
	const bytes = new Uint8Array(await file.arrayBuffer());
	const mimeType = await detectMediaType(bytes, file.type, name);
	assertWithinKindLimit({ name, mediaType: mimeType, size: bytes.byteLength }, field, options.limits);
	return { name, bytes, mimeType };
}

/**
 * {@link assertUploadable} and the limit of the file's kind (`FILE_SIZE_LIMIT_IMAGE`…), which
 * needs its type read from its content. Check every file of a request first, so that a refused
 * request stores none of them.
 */
export async function assertUploadableByType(
	file: File,
	field: string,
	options: { maxBytes?: number; limits?: FileSizeLimits } = {}
): Promise<void> {
	await checkedUpload(file, field, options);
}

/**
 * Stores an uploaded file and records it: its type is read from the content (see
 * {@link detectMediaType}), its name is sanitised, its bytes go to the storage under their
 * SHA-256. Empty files are refused (400); files over `FILE_SIZE_LIMIT`, or over the limit of
 * their kind (`FILE_SIZE_LIMIT_IMAGE`, `_AUDIO`, `_VIDEO`, `_DOCUMENT`), are refused (413) before
 * anything is stored. A file whose text can be read (documents, and images by OCR) is recorded
 * `pending` and its text is extracted in the background (`extraction`, by default the process's
 * queue).
 */
export async function saveUpload(
	db: Db,
	input: { viewer: Viewer; taskId?: string | null; file: File; field?: string },
	options: { storage?: FileStorage; maxBytes?: number; limits?: FileSizeLimits; extraction?: ExtractionQueue } = {}
): Promise<FileRecord> {
	const { viewer } = input;
	const { name, bytes, mimeType } = await checkedUpload(input.file, input.field ?? 'file', options);
	const storage = options.storage ?? getFileStorage();
	const sha256 = sha256Hex(bytes);
	// Not while a clean-up of the same content decides whether to remove its bytes.
	const row = await withContentLock(sha256, async () => {
		const storageKey = await storage.put(bytes);
		const [inserted] = await db
			.insert(files)
			.values({
				id: newId(),
				...ownerOf(viewer),
				taskId: input.taskId ?? null,
				name,
				mimeType,
				size: bytes.byteLength,
				storageKey,
				sha256,
				extractionStatus: initialExtractionStatus(mimeType)
			})
			.returning();
		return inserted;
	});
	if (row.extractionStatus === 'pending') (options.extraction ?? getExtractionQueue()).enqueue(db, storage, row);
	return row;
}

/** Whether a viewer owns a file. */
export function ownsFile(viewer: Viewer, file: Pick<FileRecord, 'userId' | 'anonymousId'>): boolean {
	return viewer.kind === 'user' ? file.userId === viewer.id : file.anonymousId === viewer.anonymousId;
}

/** A file the viewer owns, or any file for an admin; someone else's file is reported exactly like a missing one. */
export async function getOwnFile(db: Db, viewer: Viewer, id: string, options: { field?: string } = {}): Promise<FileRecord> {
	const [file] = await db.select().from(files).where(eq(files.id, id));
	if (!file || !(ownsFile(viewer, file) || isAdmin(viewer))) {
		throw new AppError('not_found', `No file "${id}" was found.`, { field: options.field ?? 'id' });
	}
	return file;
}

/** Files by id, whoever owns them (for showing files already attached to a readable task). */
export async function findFiles(db: Db, ids: string[]): Promise<FileRecord[]> {
	if (ids.length === 0) return [];
	return db.select().from(files).where(inArray(files.id, [...new Set(ids)]));
}

/** Links files the viewer saved to a task (files saved before the task was created). */
export async function assignFilesToTask(db: Db, viewer: Viewer, ids: string[], taskId: string): Promise<void> {
	if (ids.length === 0) return;
	const owner =
		viewer.kind === 'user' ? eq(files.userId, viewer.id) : eq(files.anonymousId, viewer.anonymousId);
	await db.update(files).set({ taskId }).where(and(inArray(files.id, ids), owner));
}

/** How the public APIs show a stored file. */
export interface FileSummary {
	id: string;
	name: string;
	mime_type: string;
	size: number;
	/** `stored` once the bytes are saved. */
	status: 'stored';
}

/** A stored file with what its text extraction found. */
export interface FileMeta extends FileSummary {
	extraction_status: ExtractionStatus;
	text_length: number;
	/** Why its text could not be read, when `extraction_status` is `failed`; else null. */
	extraction_error: string | null;
}

/** The public summary of a file. */
export function toFileSummary(file: FileRecord): FileSummary {
	return { id: file.id, name: file.name, mime_type: file.mimeType, size: file.size, status: 'stored' };
}

/** The public summary of a file plus its extraction status, extracted text length and failure reason. */
export function toFileMeta(file: FileRecord): FileMeta {
	return {
		...toFileSummary(file),
		extraction_status: file.extractionStatus,
		text_length: file.extractedText?.length ?? 0,
		extraction_error: file.extractionStatus === 'failed' ? (file.extractionError ?? null) : null
	};
}

/** The download path of a file. */
export function fileUrl(id: string): string {
	return `/api/files/${encodeURIComponent(id)}`;
}

/**
 * Checks that an upload may be stored: not empty, not over the size limit (`FILE_SIZE_LIMIT`).
 * Check every file of a request first, so that a refused request stores none of them.
 */
export function assertUploadable(file: File, field: string, maxBytes = getConfig().FILE_SIZE_LIMIT): void {
	const name = sanitizeFileName(file.name);
	if (file.size > maxBytes) {
		throw new AppError('payload_too_large', `The file "${name}" is larger than the limit of ${maxBytes} bytes.`, {
			field
		});
	}
	if (file.size === 0) throw new AppError('invalid_input', `The file "${name}" is empty.`, { field });
}

/**
 * Refuses a request that carries more than `FILES_PER_REQUEST_LIMIT` files (413), before
 * anything of it is stored. Every path that takes files calls it with the number of files the
 * request carries: multipart uploads, inline files, and file parts of new messages.
 */
export function assertFileCount(count: number, field: string, limit = getConfig().FILES_PER_REQUEST_LIMIT): void {
	if (count <= limit) return;
	throw new AppError(
		'payload_too_large',
		`A request may carry at most ${limit} ${limit === 1 ? 'file' : 'files'}; this one carries ${count}.`,
		{ field }
	);
}

/** How many file parts (`type: 'file'`) there are among message parts. */
export function countFileParts(parts: readonly { type: string }[]): number {
	return parts.reduce((count, part) => count + (part.type === 'file' ? 1 : 0), 0);
}

/** The file id a message's file part was made from, when it came from {@link toFilePart}. */
export function fileIdOfPart(part: { providerMetadata?: unknown }): string | undefined {
	const metadata = part.providerMetadata;
	if (typeof metadata !== 'object' || metadata === null || !('parley' in metadata)) return undefined;
	const parley = metadata.parley;
	if (typeof parley !== 'object' || parley === null || !('fileId' in parley)) return undefined;
	return typeof parley.fileId === 'string' ? parley.fileId : undefined;
}

/**
 * A stored file as an AI SDK UIMessage file part, as messages store it: a link to the file
 * (`/api/files/{id}`), its name, and its id in `providerMetadata.parley.fileId`. The bytes go to
 * the model only when a turn runs ({@link withFileData}), so message rows stay small.
 */
export async function toFilePart(db: Db, file: FileRecord | string): Promise<FileUIPart> {
	const record = typeof file === 'string' ? (await findFiles(db, [file]))[0] : file;
	if (!record) throw new AppError('not_found', `No file "${String(file)}" was found.`, { field: 'files' });
	return {
		type: 'file',
		mediaType: record.mimeType,
		url: fileUrl(record.id),
		filename: record.name,
		providerMetadata: { parley: { fileId: record.id } }
	};
}

/** The id in a link to an uploaded file (`/api/files/{id}`), or undefined for any other address. */
export function fileIdOfUrl(url: string): string | undefined {
	const match = /^\/api\/files\/([^/?#]+)$/.exec(url);
	if (!match) return undefined;
	try {
		return decodeURIComponent(match[1]);
	} catch {
		return undefined;
	}
}

/**
 * The parts of a new user message as they are stored. A file part that links to an uploaded file
 * (`/api/files/{id}`) becomes that file, when the viewer owns it (404 otherwise); a data URL stays
 * inline; any other address is refused (400), since the model would be sent, or the server would
 * fetch, whatever it points to. More files than `FILES_PER_REQUEST_LIMIT` are refused (413, see
 * {@link assertFileCount}). Returns the uploaded files' ids, to link them to the task.
 */
export async function resolveUserFileParts<Part extends { type: string }>(
	db: Db,
	viewer: Viewer,
	parts: Part[],
	field = 'messages'
): Promise<{ parts: (Part | FileUIPart)[]; uploadedIds: string[] }> {
	assertFileCount(countFileParts(parts), field);
	const uploadedIds: string[] = [];
	const resolved: (Part | FileUIPart)[] = [];
	for (const part of parts) {
		const url = part.type === 'file' && 'url' in part && typeof part.url === 'string' ? part.url : undefined;
		if (url === undefined) {
			resolved.push(part);
			continue;
		}
		const id = fileIdOfUrl(url);
		if (id !== undefined) {
			const record = await getOwnFile(db, viewer, id, { field });
			resolved.push(await toFilePart(db, record));
			uploadedIds.push(record.id);
		} else if (url.startsWith('data:')) {
			resolved.push(part);
		} else {
			throw new AppError(
				'invalid_input',
				'A file part’s url must be a data: URL or a link to an uploaded file (/api/files/{id}, from POST /api/files).',
				{ field }
			);
		}
	}
	return { parts: resolved, uploadedIds };
}

/** How long a turn waits for the text of a document that is still being read, in milliseconds. */
export const EXTRACTION_WAIT_MS = 10_000;

/** A part of a message as a model is sent it. */
type TextPart = { type: 'text'; text: string };

/** Why a model is not sent a file of this kind and type as it is. */
function notTakenNote(inputs: ModelFileInputs, kind: FileKind, mediaType: string): string {
	if ((kind === 'audio' || kind === 'video') && takesMediaType(inputs, mediaType)) return 'too large to send to this model';
	switch (kind) {
		case 'audio':
			return 'this model cannot listen to audio';
		case 'video':
			return 'this model cannot watch video';
		case 'image':
			return 'this model cannot see images of this type';
		default:
			return 'this model cannot read files of this type';
	}
}

/** A stored file in one line, for a model that is not sent the file itself. */
function describedFile(record: FileRecord, note: string): TextPart {
	return fileDescriptionPart({ kind: fileKindOf(record.mimeType), name: record.name, mediaType: record.mimeType, size: record.size }, note);
}

/** Whether a PDF is within a model's page limit (unknown counts as over: the text is sent instead). */
function withinPageLimit(inputs: ModelFileInputs, bytes: Uint8Array): boolean {
	const pages = countPdfPages(bytes);
	return pages !== undefined && pages <= inputs.maxPdfPages;
}

/**
 * How one stored file is sent to a model that reads `inputs`:
 * - an image the model sees goes as the image (its bytes), followed by the text OCR read from
 *   it, if any (`[File sign.png (text read from the image)]`); a model that does not see it gets
 *   only that text;
 * - a PDF goes as the file to a model that reads PDFs (when its pages can be counted and are
 *   within the model's limit), else as its text like any document (`[File report.pdf]`, see
 *   {@link fileTextPart}): every model reads text, few read Word files;
 * - audio and video go as the file to a model that takes their type;
 * - a document still being read, after the wait, gets a note saying so, so that the model does
 *   not answer as if the file were empty;
 * - anything else is described in a line naming it, its type and size and why it is not there
 *   (`[Audio file "memo.mp3", audio/mpeg, 1.2 MB — this model cannot listen to audio]`, the
 *   reason an extraction failed, see {@link fileDescriptionPart}).
 * A file whose bytes are gone is left out, with a note in its place.
 */
async function fileForModel<Part extends { type: string }>(
	part: Part,
	record: FileRecord,
	inputs: ModelFileInputs,
	storage: FileStorage
): Promise<(Part | TextPart)[]> {
	const text = record.extractionStatus === 'ready' ? record.extractedText : null;
	const kind = fileKindOf(record.mimeType);
	const bytesOf = () => storage.get(record.storageKey).catch(() => undefined);
	const asFile = (bytes: Uint8Array): Part => ({ ...part, url: `data:${record.mimeType};base64,${Buffer.from(bytes).toString('base64')}` });
	const gone: TextPart = { type: 'text', text: '[An attached file is no longer available.]' };

	if (kind === 'image') {
		const seen = seesImage(inputs, record.mimeType) && record.size <= inputs.maxFileBytes;
		const bytes = seen ? await bytesOf() : undefined;
		if (seen && !bytes) return [gone];
		const parts: (Part | TextPart)[] = bytes ? [asFile(bytes)] : [];
		if (text) parts.push(fileTextPart(record.name, text, { fromImage: true }));
		if (parts.length > 0) return parts;
	}
	if (record.mimeType === 'application/pdf' && inputs.pdf && record.size <= inputs.maxFileBytes) {
		const bytes = await bytesOf();
		if (!bytes) return [gone];
		if (withinPageLimit(inputs, bytes)) return [asFile(bytes)];
	}
	if (text !== null) return [fileTextPart(record.name, text)];
	if (isBeingRead(record)) {
		return [{ type: 'text', text: `[File ${record.name}: its text is still being read and is not available yet.]` }];
	}
	if ((kind === 'audio' || kind === 'video') && takesMedia(inputs, record.mimeType, record.size)) {
		const bytes = await bytesOf();
		return bytes ? [asFile(bytes)] : [gone];
	}
	if (record.extractionStatus === 'failed') {
		return [describedFile(record, `its text could not be read: ${record.extractionError ?? 'it may be damaged'}`)];
	}
	return [describedFile(record, notTakenNote(inputs, kind, record.mimeType))];
}

/** The size in bytes of the content of a base64 data URL. */
function dataUrlSize(url: string): number {
	const data = url.slice(url.indexOf(',') + 1);
	return Math.floor((data.length * 3) / 4) - (data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0);
}

/**
 * An audio or video file sent inline (a data URL, as the agent API's inline files are), when the
 * model cannot take it: described like a stored one. Other inline files are left as they are.
 */
function inlineForModel<Part extends { type: string }>(part: Part, inputs: ModelFileInputs): Part | TextPart {
	const url = 'url' in part && typeof part.url === 'string' ? part.url : undefined;
	const mediaType = 'mediaType' in part && typeof part.mediaType === 'string' ? part.mediaType.toLowerCase() : '';
	const kind = fileKindOf(mediaType);
	if (!url?.startsWith('data:') || (kind !== 'audio' && kind !== 'video')) return part;
	const size = dataUrlSize(url);
	if (takesMedia(inputs, mediaType, size)) return part;
	const name = 'filename' in part && typeof part.filename === 'string' && part.filename ? part.filename : 'attachment';
	return fileDescriptionPart({ kind, name, mediaType, size }, notTakenNote(inputs, kind, mediaType));
}

/**
 * The parts of a message as the model `modelId` needs them (by default a model that reads text
 * and the common image formats only, see {@link modelFileInputs}): each stored file as
 * {@link fileForModel} sends it. A file whose text is still being read is waited for, up to
 * {@link EXTRACTION_WAIT_MS} (it was usually uploaded moments before).
 */
export async function withFileData<Part extends { type: string; providerMetadata?: unknown }>(
	db: Db,
	parts: Part[],
	options: { storage?: FileStorage; extraction?: ExtractionQueue; waitMs?: number; modelId?: string } = {}
): Promise<(Part | TextPart)[]> {
	const inputs = modelFileInputs(options.modelId ?? '');
	const ids = parts.flatMap((part) => (part.type === 'file' ? (fileIdOfPart(part) ?? []) : []));
	if (ids.length === 0) return parts.map((part) => (part.type === 'file' ? inlineForModel(part, inputs) : part));
	let found = await findFiles(db, ids);
	const unread = found.flatMap((record) => (isBeingRead(record) ? [record.id] : []));
	if (unread.length > 0) {
		await (options.extraction ?? getExtractionQueue()).settled(unread, options.waitMs ?? EXTRACTION_WAIT_MS);
		found = await findFiles(db, ids);
	}
	const records = new Map(found.map((record) => [record.id, record]));
	const storage = options.storage ?? getFileStorage();
	const converted = await Promise.all(
		parts.map(async (part): Promise<(Part | TextPart)[]> => {
			if (part.type !== 'file') return [part];
			const id = fileIdOfPart(part);
			if (!id) return [inlineForModel(part, inputs)];
			const record = records.get(id);
			if (!record) return [{ type: 'text', text: '[An attached file is no longer available.]' }];
			return fileForModel(part, record, inputs, storage);
		})
	);
	return converted.flat();
}

/** Whether a file's text is queued or being extracted. */
function isBeingRead(record: FileRecord): boolean {
	return record.extractionStatus === 'pending' || record.extractionStatus === 'extracting';
}
