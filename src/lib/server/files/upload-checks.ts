import { getConfig } from '../config';
import { AppError } from '../errors';
import { formatBytes } from '../../format-bytes';
import { sanitizeFileName } from './file-names';
import { detectMediaType, fileKindOf, fileSizeLimitOf, type FileKind, type FileSizeLimits } from './media-types';

/**
 * The limits an upload is checked against before anything is stored: size (per kind) and count.
 */

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
export interface CheckedUpload {
	name: string;
	bytes: Uint8Array;
	mimeType: string;
}

/** Reads an upload, reads its type from its content and checks it against the limits (400, 413). */
export async function checkedUpload(
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
