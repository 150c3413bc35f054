import type { FileUIPart } from 'ai';
import { and, eq, inArray } from 'drizzle-orm';
import { getConfig } from '../config';
import type { Db } from '../db';
import { files, type ExtractionStatus } from '../db/schema';
import { AppError } from '../errors';
import { fileTextPart } from '../extract/file-text-part';
import { getExtractionQueue, initialExtractionStatus, type ExtractionQueue } from '../extract/extraction-queue';
import { newId } from '../ids';
import { detectMediaType } from './detect-media-type';
import { getFileStorage, sha256Hex, type FileStorage } from './storage';
import { isAdmin, type Viewer } from './viewer';

export { getFileStorage, LocalFileStorage, sha256Hex, uploadsDirOf, type FileStorage } from './storage';

/** A stored file's row. */
export type FileRecord = typeof files.$inferSelect;

/** The longest file name kept, in characters. */
const MAX_NAME_LENGTH = 255;

/**
 * A file name safe to store and show: the last segment of any path, without control or bidi
 * characters, trimmed, at most 255 characters (keeping the extension), `file` when nothing is left.
 */
export function sanitizeFileName(name: string | null | undefined): string {
	const base = (name ?? '').split(/[/\\]/).at(-1) ?? '';
	const cleaned = base
		// C0 and C1 controls, and the characters that reorder text (spoofed extensions).
		.replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
		.replace(/\s+/g, ' ')
		.trim();
	if (cleaned === '' || /^\.+$/.test(cleaned)) return 'file';
	const characters = [...cleaned];
	if (characters.length <= MAX_NAME_LENGTH) return cleaned;
	const dot = cleaned.lastIndexOf('.');
	const extension = dot > 0 ? [...cleaned.slice(dot)] : [];
	if (extension.length > 0 && extension.length <= 16) {
		return characters.slice(0, MAX_NAME_LENGTH - extension.length).join('') + extension.join('');
	}
	return characters.slice(0, MAX_NAME_LENGTH).join('');
}

/** A `content-disposition` value for downloading a file under its name (RFC 6266, with an ASCII fallback). */
export function contentDisposition(name: string, type: 'attachment' | 'inline' = 'attachment'): string {
	const safe = sanitizeFileName(name);
	const fallback = safe.replace(/[^\x20-\x7e]|["\\%;]/g, '_');
	const encoded = encodeURIComponent(safe).replace(/['()*]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
	return `${type}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/** The owner columns of a file saved by a viewer. */
function ownerOf(viewer: Viewer) {
	return viewer.kind === 'user'
		? { userId: viewer.id, anonymousId: null }
		: { userId: null, anonymousId: viewer.anonymousId };
}

/**
 * Stores an uploaded file and records it: its bytes go to the storage under their SHA-256, its
 * type is read from the content (see {@link detectMediaType}), its name is sanitised. Empty files
 * are refused (400); files over `FILE_SIZE_LIMIT` are refused (413). A document whose text can be
 * read is recorded `pending` and its text is extracted in the background (`extraction`, by
 * default the process's queue).
 */
export async function saveUpload(
	db: Db,
	input: { viewer: Viewer; taskId?: string | null; file: File; field?: string },
	options: { storage?: FileStorage; maxBytes?: number; extraction?: ExtractionQueue } = {}
): Promise<FileRecord> {
	const { viewer, file } = input;
	const field = input.field ?? 'file';
	const name = sanitizeFileName(file.name);
	assertUploadable(file, field, options.maxBytes);
	const bytes = new Uint8Array(await file.arrayBuffer());
	const storage = options.storage ?? getFileStorage();
	const storageKey = await storage.put(bytes);
	const mimeType = await detectMediaType(bytes, file.type, name);
	const [row] = await db
		.insert(files)
		.values({
			id: newId(),
			...ownerOf(viewer),
			taskId: input.taskId ?? null,
			name,
			mimeType,
			size: bytes.byteLength,
			storageKey,
			sha256: sha256Hex(bytes),
			extractionStatus: initialExtractionStatus(mimeType)
		})
		.returning();
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
}

/** The public summary of a file. */
export function toFileSummary(file: FileRecord): FileSummary {
	return { id: file.id, name: file.name, mime_type: file.mimeType, size: file.size, status: 'stored' };
}

/** The public summary of a file plus its extraction status and extracted text length. */
export function toFileMeta(file: FileRecord): FileMeta {
	return {
		...toFileSummary(file),
		extraction_status: file.extractionStatus,
		text_length: file.extractedText?.length ?? 0
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
 * fetch, whatever it points to. Returns the uploaded files' ids, to link them to the task.
 */
export async function resolveUserFileParts<Part extends { type: string }>(
	db: Db,
	viewer: Viewer,
	parts: Part[],
	field = 'messages'
): Promise<{ parts: (Part | FileUIPart)[]; uploadedIds: string[] }> {
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

/**
 * The parts of a message as the model needs them. A stored document whose text has been read
 * goes as that text (`[File report.pdf]` and its text, see {@link fileTextPart}): every model
 * reads text, few read Word files. A document still being read is waited for, up to
 * {@link EXTRACTION_WAIT_MS} (it was usually uploaded moments before); if it is still not ready,
 * a note says so, so that the model does not answer as if the file were empty. Images, audio,
 * video, files without text and files whose extraction failed go as their bytes (a data URL),
 * which a model that reads that format still can. A file that is gone is left out, with a note
 * in its place.
 */
export async function withFileData<Part extends { type: string; providerMetadata?: unknown }>(
	db: Db,
	parts: Part[],
	options: { storage?: FileStorage; extraction?: ExtractionQueue; waitMs?: number } = {}
): Promise<(Part | { type: 'text'; text: string })[]> {
	const ids = parts.flatMap((part) => (part.type === 'file' ? (fileIdOfPart(part) ?? []) : []));
	if (ids.length === 0) return parts;
	let found = await findFiles(db, ids);
	const unread = found.flatMap((record) => (isBeingRead(record) ? [record.id] : []));
	if (unread.length > 0) {
		await (options.extraction ?? getExtractionQueue()).settled(unread, options.waitMs ?? EXTRACTION_WAIT_MS);
		found = await findFiles(db, ids);
	}
	const records = new Map(found.map((record) => [record.id, record]));
	const storage = options.storage ?? getFileStorage();
	return Promise.all(
		parts.map(async (part) => {
			const id = part.type === 'file' ? fileIdOfPart(part) : undefined;
			if (!id) return part;
			const record = records.get(id);
			if (record?.extractionStatus === 'ready' && record.extractedText !== null) {
				return fileTextPart(record.name, record.extractedText);
			}
			if (record && isBeingRead(record)) {
				const text = `[File ${record.name}: its text is still being read and is not available yet.]`;
				return { type: 'text' as const, text };
			}
			const bytes = record ? await storage.get(record.storageKey).catch(() => undefined) : undefined;
			if (!record || !bytes) return { type: 'text' as const, text: '[An attached file is no longer available.]' };
			return { ...part, url: `data:${record.mimeType};base64,${Buffer.from(bytes).toString('base64')}` };
		})
	);
}

/** Whether a file's text is queued or being extracted. */
function isBeingRead(record: FileRecord): boolean {
	return record.extractionStatus === 'pending' || record.extractionStatus === 'extracting';
}
