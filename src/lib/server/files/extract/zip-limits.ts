import { inflateRawSync } from 'node:zlib';

/** One entry of a zip archive's central directory. */
export interface ZipEntry {
	name: string;
	/** 0 stored, 8 deflated; others are not read. */
	method: number;
	compressedSize: number;
	/** The size the directory declares; the data may inflate to more (see {@link inflatedSizeOf}). */
	uncompressedSize: number;
	localHeaderOffset: number;
}

/** The archive is not a zip file, or its directory is damaged. */
export class ZipFormatError extends Error {
	override name = 'ZipFormatError';
}

const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_END_OF_DIRECTORY = 0x06064b50;
const ZIP64_LOCATOR = 0x07064b50;
const DIRECTORY_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

/** Where the central directory is and how many entries it declares. */
interface Directory {
	entries: number;
	offset: number;
	size: number;
}

function viewOf(bytes: Uint8Array): DataView {
	return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** A 64-bit little-endian size as a number (exact up to 2^53, plenty for any limit). */
function uint64(view: DataView, offset: number): number {
	return Number(view.getBigUint64(offset, true));
}

/** The end-of-central-directory record: the last 22 bytes, or up to 64 KB earlier behind a comment. */
function findDirectory(bytes: Uint8Array): Directory {
	const view = viewOf(bytes);
	const lowest = Math.max(0, bytes.byteLength - 22 - 0xffff);
	for (let at = bytes.byteLength - 22; at >= lowest; at--) {
		if (view.getUint32(at, true) !== END_OF_DIRECTORY) continue;
		let directory: Directory = {
			entries: view.getUint16(at + 10, true),
			size: view.getUint32(at + 12, true),
			offset: view.getUint32(at + 16, true)
		};
		const zip64 = directory.entries === 0xffff || directory.size === 0xffffffff || directory.offset === 0xffffffff;
		if (zip64 && at >= 20 && view.getUint32(at - 20, true) === ZIP64_LOCATOR) {
			const record = uint64(view, at - 20 + 8);
			if (record + 56 > bytes.byteLength || view.getUint32(record, true) !== ZIP64_END_OF_DIRECTORY) {
				throw new ZipFormatError('The zip64 end of central directory is missing.');
			}
			directory = { entries: uint64(view, record + 32), size: uint64(view, record + 40), offset: uint64(view, record + 48) };
		}
		return directory;
	}
	throw new ZipFormatError('No end of central directory was found: not a zip file.');
}

/** The number of entries a zip archive declares, read from its end record alone. */
export function zipEntryCount(bytes: Uint8Array): number {
	return findDirectory(bytes).entries;
}

/** The entries of a zip archive's central directory (check {@link zipEntryCount} first). */
export function readZipEntries(bytes: Uint8Array): ZipEntry[] {
	const view = viewOf(bytes);
	const directory = findDirectory(bytes);
	const entries: ZipEntry[] = [];
	let at = directory.offset;
	for (let index = 0; index < directory.entries; index++) {
		if (at + 46 > bytes.byteLength || view.getUint32(at, true) !== DIRECTORY_ENTRY) {
			throw new ZipFormatError('The central directory is damaged.');
		}
		const nameLength = view.getUint16(at + 28, true);
		const extraLength = view.getUint16(at + 30, true);
		const commentLength = view.getUint16(at + 32, true);
		const entry: ZipEntry = {
			name: Buffer.from(bytes.subarray(at + 46, at + 46 + nameLength)).toString('utf8'),
			method: view.getUint16(at + 10, true),
			compressedSize: view.getUint32(at + 20, true),
			uncompressedSize: view.getUint32(at + 24, true),
			localHeaderOffset: view.getUint32(at + 42, true)
		};
		readZip64Extra(view, at + 46 + nameLength, extraLength, entry);
		entries.push(entry);
		at += 46 + nameLength + extraLength + commentLength;
	}
	return entries;
}

/** Takes the 64-bit sizes and offset from an entry's zip64 extra field, for the fields marked 0xffffffff. */
function readZip64Extra(view: DataView, start: number, length: number, entry: ZipEntry): void {
	const end = Math.min(start + length, view.byteLength);
	for (let at = start; at + 4 <= end;) {
		const id = view.getUint16(at, true);
		const size = view.getUint16(at + 2, true);
		if (id === 0x0001) {
			let field = at + 4;
			const take = () => {
				if (field + 8 > at + 4 + size || field + 8 > end) throw new ZipFormatError('A zip64 extra field is damaged.');
				const value = uint64(view, field);
				field += 8;
				return value;
			};
			if (entry.uncompressedSize === 0xffffffff) entry.uncompressedSize = take();
			if (entry.compressedSize === 0xffffffff) entry.compressedSize = take();
			if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = take();
			return;
		}
		at += 4 + size;
	}
}

/**
 * The size an entry's data really inflates to, inflating at most `limit + 1` bytes: `limit + 1`
 * means "more than `limit`", whatever the directory declares. Entries that are neither stored
 * nor deflated count by their declared size (the reader refuses them anyway).
 */
export function inflatedSizeOf(bytes: Uint8Array, entry: ZipEntry, limit: number): number {
	if (entry.method !== 0 && entry.method !== 8) return entry.uncompressedSize;
	const view = viewOf(bytes);
	const header = entry.localHeaderOffset;
	if (header + 30 > bytes.byteLength || view.getUint32(header, true) !== LOCAL_HEADER) {
		throw new ZipFormatError(`The local header of "${entry.name}" is missing.`);
	}
	const start = header + 30 + view.getUint16(header + 26, true) + view.getUint16(header + 28, true);
	const data = bytes.subarray(start, Math.min(bytes.byteLength, start + entry.compressedSize));
	if (entry.method === 0) return data.byteLength;
	try {
		return inflateRawSync(data, { maxOutputLength: Math.max(1, limit + 1) }).byteLength;
	} catch (error) {
		if (error instanceof RangeError || (error instanceof Error && 'code' in error && error.code === 'ERR_BUFFER_TOO_LARGE')) {
			return limit + 1;
		}
		throw error;
	}
}
