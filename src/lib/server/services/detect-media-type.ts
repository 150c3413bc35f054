/**
 * Media types read from a file's first bytes, for the common formats people upload: images,
 * PDF, audio and video containers, and zip-based documents (Office Open XML, OpenDocument, EPUB).
 * A small stand-in for the `file-type` package (21.3.4 supports Node 20), which should replace
 * {@link sniffMediaType} once it is installed.
 */

/** Bytes as ASCII, for comparing signatures. */
function ascii(bytes: Uint8Array, start: number, length: number): string {
	let text = '';
	for (let index = start; index < Math.min(bytes.length, start + length); index++) {
		text += String.fromCharCode(bytes[index]);
	}
	return text;
}

/** Whether `bytes` hold `signature` at `offset`. */
function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
	if (bytes.length < offset + signature.length) return false;
	return signature.every((byte, index) => bytes[offset + index] === byte);
}

function uint16(bytes: Uint8Array, offset: number): number {
	return bytes[offset] | (bytes[offset + 1] << 8);
}

function uint32(bytes: Uint8Array, offset: number): number {
	return (bytes[offset] | (bytes[offset + 1] << 8) | (bytes[offset + 2] << 16) | (bytes[offset + 3] << 24)) >>> 0;
}

/** The type of an ISO base media file (MP4, QuickTime, HEIF…) from its `ftyp` brand. */
function isoMediaType(bytes: Uint8Array): string | undefined {
	if (ascii(bytes, 4, 4) !== 'ftyp') return undefined;
	const brand = ascii(bytes, 8, 4).replace(/\0/g, ' ');
	if (brand === 'avif' || brand === 'avis') return 'image/avif';
	if (['heic', 'heix', 'heim', 'heis', 'mif1', 'msf1'].includes(brand)) return 'image/heic';
	if (brand === 'M4A ' || brand === 'M4B ' || brand === 'M4P ') return 'audio/mp4';
	if (brand === 'qt  ') return 'video/quicktime';
	if (brand.startsWith('3g2')) return 'video/3gpp2';
	if (brand.startsWith('3gp')) return 'video/3gpp';
	return 'video/mp4';
}

/** The type of a RIFF container: WebP, WAV or AVI. */
function riffMediaType(bytes: Uint8Array): string | undefined {
	if (ascii(bytes, 0, 4) !== 'RIFF') return undefined;
	const form = ascii(bytes, 8, 4);
	if (form === 'WEBP') return 'image/webp';
	if (form === 'WAVE') return 'audio/wav';
	if (form === 'AVI ') return 'video/x-msvideo';
	return undefined;
}

/** The file names in a zip archive: from its central directory, else from its local headers. */
function zipEntryNames(bytes: Uint8Array, limit = 2000): string[] {
	const names: string[] = [];
	// The end-of-central-directory record sits in the last 22 bytes plus a comment of up to 64 KB.
	for (let end = bytes.length - 22; end >= Math.max(0, bytes.length - 22 - 65_535); end--) {
		if (!startsWith(bytes, [0x50, 0x4b, 0x05, 0x06], end)) continue;
		let offset = uint32(bytes, end + 16);
		const count = uint16(bytes, end + 10);
		for (let entry = 0; entry < Math.min(count, limit); entry++) {
			if (!startsWith(bytes, [0x50, 0x4b, 0x01, 0x02], offset)) break;
			const nameLength = uint16(bytes, offset + 28);
			names.push(ascii(bytes, offset + 46, nameLength));
			offset += 46 + nameLength + uint16(bytes, offset + 30) + uint16(bytes, offset + 32);
		}
		if (names.length > 0) return names;
		break;
	}
	// No usable central directory (a truncated archive): walk the local file headers instead.
	let offset = 0;
	while (names.length < limit && startsWith(bytes, [0x50, 0x4b, 0x03, 0x04], offset)) {
		const nameLength = uint16(bytes, offset + 26);
		names.push(ascii(bytes, offset + 30, nameLength));
		const size = uint32(bytes, offset + 18);
		const next = offset + 30 + nameLength + uint16(bytes, offset + 28) + size;
		// With a data descriptor the size is unknown here: stop rather than guess.
		if (size === 0 || next <= offset) break;
		offset = next;
	}
	return names;
}

/** The type of a zip archive: an Office Open XML, OpenDocument or EPUB document, else zip. */
function zipMediaType(bytes: Uint8Array): string {
	// OpenDocument and EPUB store an uncompressed `mimetype` entry first.
	if (ascii(bytes, 30, 8) === 'mimetype') {
		const declared = ascii(bytes, 38, 80).match(/^application\/[a-z0-9.+-]+/)?.[0];
		if (declared === 'application/epub+zip' || declared?.startsWith('application/vnd.oasis.opendocument.')) {
			return declared;
		}
	}
	const names = zipEntryNames(bytes);
	if (names.some((name) => name.startsWith('word/'))) {
		return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
	}
	if (names.some((name) => name.startsWith('xl/'))) {
		return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
	}
	if (names.some((name) => name.startsWith('ppt/'))) {
		return 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
	}
	return 'application/zip';
}

/** Whether the start of a text file is an SVG image. */
function isSvg(bytes: Uint8Array): boolean {
	const head = new TextDecoder().decode(bytes.subarray(0, 1024)).replace(/^\uFEFF/, '').trimStart();
	if (!head.startsWith('<')) return false;
	return /^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head);
}

/** The types {@link sniffMediaType} can recognise; a declared one of these is only believed when the bytes agree. */
export const SNIFFED_MEDIA_TYPES: ReadonlySet<string> = new Set([
	'image/png',
	'image/jpeg',
	'image/gif',
	'image/webp',
	'image/bmp',
	'image/tiff',
	'image/avif',
	'image/heic',
	'image/x-icon',
	'image/svg+xml',
	'application/pdf',
	'audio/mpeg',
	'audio/wav',
	'audio/ogg',
	'audio/flac',
	'audio/aac',
	'audio/mp4',
	'audio/midi',
	'audio/amr',
	'video/mp4',
	'video/quicktime',
	'video/3gpp',
	'video/3gpp2',
	'video/webm',
	'video/x-matroska',
	'video/x-msvideo',
	'application/zip',
	'application/gzip',
	'application/epub+zip',
	'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	'application/vnd.openxmlformats-officedocument.presentationml.presentation',
	'application/vnd.oasis.opendocument.text',
	'application/vnd.oasis.opendocument.spreadsheet',
	'application/vnd.oasis.opendocument.presentation'
]);

/** Old Office formats share one container (OLE2); the bytes alone do not say which. */
const OLE_MEDIA_TYPES = new Set(['application/msword', 'application/vnd.ms-excel', 'application/vnd.ms-powerpoint']);

/** The media type a file's content shows, or `undefined` when it matches no known signature. */
export function sniffMediaType(bytes: Uint8Array): string | undefined {
	if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
	if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
	if (ascii(bytes, 0, 6) === 'GIF87a' || ascii(bytes, 0, 6) === 'GIF89a') return 'image/gif';
	if (ascii(bytes, 0, 5) === '%PDF-') return 'application/pdf';
	const riff = riffMediaType(bytes);
	if (riff) return riff;
	const iso = isoMediaType(bytes);
	if (iso) return iso;
	if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
	if (ascii(bytes, 0, 2) === 'BM' && bytes.length >= 26 && uint32(bytes, 14) >= 12) return 'image/bmp';
	if (startsWith(bytes, [0x00, 0x00, 0x01, 0x00]) && bytes.length >= 6 && uint16(bytes, 4) > 0) return 'image/x-icon';
	if (startsWith(bytes, [0x1a, 0x45, 0xdf, 0xa3])) {
		return ascii(bytes, 0, 64).includes('webm') ? 'video/webm' : 'video/x-matroska';
	}
	if (ascii(bytes, 0, 4) === 'OggS') return 'audio/ogg';
	if (ascii(bytes, 0, 4) === 'fLaC') return 'audio/flac';
	if (ascii(bytes, 0, 4) === 'MThd') return 'audio/midi';
	if (ascii(bytes, 0, 5) === '#!AMR') return 'audio/amr';
	if (ascii(bytes, 0, 3) === 'ID3') return 'audio/mpeg';
	if (bytes.length >= 2 && bytes[0] === 0xff) {
		// ADTS (AAC) sets layer bits 00; MPEG audio frames set a non-zero layer.
		if ((bytes[1] & 0xf6) === 0xf0) return 'audio/aac';
		if ((bytes[1] & 0xe0) === 0xe0 && (bytes[1] & 0x06) !== 0) return 'audio/mpeg';
	}
	if (startsWith(bytes, [0x50, 0x4b, 0x03, 0x04])) return zipMediaType(bytes);
	if (startsWith(bytes, [0x1f, 0x8b])) return 'application/gzip';
	if (isSvg(bytes)) return 'image/svg+xml';
	return undefined;
}

/** A media type as `type/subtype` in lower case without parameters, or `undefined` when malformed. */
export function normalizeMediaType(declared: string | null | undefined): string | undefined {
	const type = (declared ?? '').split(';')[0].trim().toLowerCase();
	return /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/.test(type) ? type : undefined;
}

/** Whether bytes read as UTF-8 text (no NUL bytes, no invalid sequences). */
function isText(bytes: Uint8Array): boolean {
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

/**
 * The media type to store for a file: what its content shows; else the declared type, cleaned,
 * unless it names a format the content would have shown (a "PNG" that is not one); else
 * `text/plain` for UTF-8 text and `application/octet-stream` for anything else.
 */
export function detectMediaType(bytes: Uint8Array, declared?: string | null): string {
	const sniffed = sniffMediaType(bytes);
	const normalized = normalizeMediaType(declared);
	if (sniffed) return sniffed;
	if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) {
		return normalized && OLE_MEDIA_TYPES.has(normalized) ? normalized : 'application/x-ole-storage';
	}
	if (normalized && !SNIFFED_MEDIA_TYPES.has(normalized) && normalized !== 'application/octet-stream') {
		return normalized;
	}
	return isText(bytes) ? 'text/plain' : 'application/octet-stream';
}

/** The kind of file a media type is, as the public APIs group files. */
export type FileKind = 'image' | 'video' | 'audio' | 'document';

/** image / video / audio from the media type; everything else is a document. */
export function fileKindOf(mediaType: string): FileKind {
	const type = mediaType.toLowerCase().split('/')[0];
	return type === 'image' || type === 'video' || type === 'audio' ? type : 'document';
}
