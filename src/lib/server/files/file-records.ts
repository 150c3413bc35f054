import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { files, type ExtractionStatus } from '../db/schema';
import { AppError } from '../errors';
import { newId } from '../ids';
import { isAdmin, type Viewer } from '../services/viewer';
import { getExtractionQueue, initialExtractionStatus, type ExtractionQueue } from './extract/extraction-queue';
import { withContentLock } from './file-cleanup';
import { getFileStorage } from './get-file-storage';
import type { FileSizeLimits } from './media-types';
import { sha256Hex, type FileStorage } from './storage';
import { checkedUpload } from './upload-checks';

/**
 * The `files` table: saving an upload, who owns a file, finding files, and how the APIs show one.
 */

/** A stored file's row. */
export type FileRecord = typeof files.$inferSelect;

/** The owner columns of a file saved by a viewer. */
function ownerOf(viewer: Viewer) {
	return viewer.kind === 'user' ? { userId: viewer.id, anonymousId: null } : { userId: null, anonymousId: viewer.anonymousId };
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
	return db
		.select()
		.from(files)
		.where(inArray(files.id, [...new Set(ids)]));
}

/** Links files the viewer saved to a task (files saved before the task was created). */
export async function assignFilesToTask(db: Db, viewer: Viewer, ids: string[], taskId: string): Promise<void> {
	if (ids.length === 0) return;
	const owner = viewer.kind === 'user' ? eq(files.userId, viewer.id) : eq(files.anonymousId, viewer.anonymousId);
	await db
		.update(files)
		.set({ taskId })
		.where(and(inArray(files.id, ids), owner));
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
