import type { FileUIPart, UIMessage } from 'ai';
import type { Db } from '../db';
import { AppError } from '../errors';
import { modelFileInputs, seesImage, takesMedia, takesMediaType, type ModelFileInputs } from '../models/capabilities';
import type { Viewer } from '../services/viewer';
import { getExtractionQueue, type ExtractionQueue } from './extract/extraction-queue';
import { countPdfPages } from './extract/pdf-pages';
import { findFiles, getOwnFile, type FileRecord } from './file-records';
import { fileDescriptionPart, fileTextPart } from './file-text-part';
import { fileIdOfUrl, fileUrl } from './file-urls';
import { getFileStorage } from './get-file-storage';
import { fileKindOf, type FileKind } from './media-types';
import type { FileStorage } from './storage';
import { assertFileCount, countFileParts } from './upload-checks';

/**
 * Files in messages: the file parts messages store, and what a model is sent for each file.
 */

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

/** The ids of the stored files a task's messages refer to. */
export function fileIdsOf(messages: { parts: UIMessage['parts'] }[]): string[] {
	return messages.flatMap((message) =>
		message.parts.flatMap((part) => {
			const id = part.type === 'file' ? fileIdOfPart(part) : undefined;
			return id ? [id] : [];
		})
	);
}
