import { getConfig, type Config } from '../config';
import { lazyModule } from '../modules/lazy-module';

/**
 * Media types read from a file's content. Binary formats (images, PDF, audio, video, archives,
 * Office and OpenDocument files…) are recognised by `file-type` from their signatures; text
 * formats have none, so for UTF-8 text the declared type and the file name are hints, checked
 * against the content where it can tell (SVG, JSON, HTML).
 */

/** file-type and its readers (about 30 modules), loaded at the first file rather than at start. */
const loadFileType = lazyModule('Reading file types', () => import('file-type'));

/** Old Office formats share one container (OLE2, `application/x-cfb`); the bytes alone do not say which. */
const OLE_MEDIA_TYPES = new Set(['application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint']);

/** Declared types believed for UTF-8 text, besides `text/*` (other than the ones checked below). */
const TEXT_APPLICATION_TYPES = new Set([
	'application/json',
	'application/ld+json',
	'application/xml',
	'application/javascript',
	'application/typescript',
	'application/x-yaml',
	'application/yaml',
	'application/toml',
	'application/x-sh',
	'application/sql'
]);

/** Text formats by file extension, for browsers that send no type (Markdown often has none). */
const TEXT_TYPES_BY_EXTENSION: Record<string, string> = {
	txt: 'text/plain',
	md: 'text/markdown',
	markdown: 'text/markdown',
	csv: 'text/csv',
	tsv: 'text/tab-separated-values',
	json: 'application/json',
	html: 'text/html',
	htm: 'text/html',
	xml: 'application/xml',
	yaml: 'application/yaml',
	yml: 'application/yaml'
};

/** A media type as `type/subtype` in lower case without parameters, or `undefined` when malformed. */
export function normalizeMediaType(declared: string | null | undefined): string | undefined {
	const type = (declared ?? '').split(';')[0].trim().toLowerCase();
	return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(type) ? type : undefined;
}

/** The start of a file as text (without a byte order mark), for looking at its first characters. */
function headOf(bytes: Uint8Array, length = 1024): string {
	return new TextDecoder()
		.decode(bytes.subarray(0, length))
		.replace(/^\uFEFF/, '')
		.trimStart();
}

/** Whether the start of a text file is an SVG image. */
function isSvg(bytes: Uint8Array): boolean {
	const head = headOf(bytes);
	if (!head.startsWith('<')) return false;
	return /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head);
}

/** Whether text is an HTML page (a doctype or an `<html>` element first). */
function isHtml(bytes: Uint8Array): boolean {
	return /^(<!--[\s\S]*?-->\s*)*<(!doctype\s+html|html)[\s>]/i.test(headOf(bytes));
}

/** Whether text is a JSON object or array (parsed in full, so only for files up to 1 MB). */
function isJson(bytes: Uint8Array): boolean {
	if (bytes.length > 1024 * 1024 || !/^[[{]/.test(headOf(bytes, 16))) return false;
	try {
		JSON.parse(new TextDecoder().decode(bytes));
		return true;
	} catch {
		return false;
	}
}

/** Whether bytes read as UTF-8 text (no NUL bytes, no invalid sequences). */
export function isText(bytes: Uint8Array): boolean {
	const sample = bytes.subarray(0, 64 * 1024);
	if (sample.includes(0)) return false;
	try {
		// A multi-byte character cut at the end of the sample is not an error.
		new TextDecoder('utf-8', { fatal: true }).decode(sample, { stream: sample.length < bytes.length });
		return true;
	} catch {
		return false;
	}
}

/** Whether a declared type may describe UTF-8 text. */
function isTextType(type: string): boolean {
	return type.startsWith('text/') || TEXT_APPLICATION_TYPES.has(type) || type.endsWith('+json') || type.endsWith('+xml');
}

/**
 * The type of a UTF-8 text file: SVG by content, else the declared text type, else by extension,
 * else by content, else what `file-type` saw (XML), else plain text.
 */
function textMediaType(bytes: Uint8Array, declared: string | undefined, name: string | undefined, detected: string | undefined): string {
	if (isSvg(bytes)) return 'image/svg+xml';
	if (declared && isTextType(declared) && declared !== 'image/svg+xml') return declared;
	const extension = name?.toLowerCase().match(/\.([a-z0-9]+)$/)?.[1];
	const byName = extension ? TEXT_TYPES_BY_EXTENSION[extension] : undefined;
	if (byName) return byName;
	if (isHtml(bytes)) return 'text/html';
	if (isJson(bytes)) return 'application/json';
	return detected ?? 'text/plain';
}

/**
 * The media type to store for a file. What `file-type` reads from the content wins (a file
 * declared as a PNG that is not one is not stored as a PNG). Text has no signature: for UTF-8
 * text the type comes from the content where it shows (SVG), else the declared type when it is a
 * text type, else the file name's extension, else the content (HTML, JSON), else `text/plain`.
 * Anything else is `application/octet-stream`.
 */
export async function detectMediaType(bytes: Uint8Array, declared?: string | null, name?: string | null): Promise<string> {
	const normalized = normalizeMediaType(declared);
	// file-type reads `<?xml …>` as XML; an SVG image is the more useful answer.
	if (isSvg(bytes)) return 'image/svg+xml';
	const { fileTypeFromBuffer } = await loadFileType();
	const detected = (await fileTypeFromBuffer(bytes))?.mime;
	if (detected === 'application/x-cfb') {
		return normalized && OLE_MEDIA_TYPES.has(normalized) ? normalized : detected;
	}
	// XML is text of many kinds: a declared type (an RSS feed, XHTML) says more.
	if (detected && detected !== 'application/xml') return detected;
	if (isText(bytes)) return textMediaType(bytes, normalized, name ?? undefined, detected);
	return detected ?? 'application/octet-stream';
}

/** The kind of file a media type is, as the public APIs group files. */
export type FileKind = 'image' | 'video' | 'audio' | 'document';

/** image / video / audio from the media type; everything else is a document. */
export function fileKindOf(mediaType: string): FileKind {
	const type = mediaType.toLowerCase().split('/')[0];
	return type === 'image' || type === 'video' || type === 'audio' ? type : 'document';
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
