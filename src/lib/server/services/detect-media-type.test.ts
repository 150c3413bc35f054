import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { detectMediaType, fileKindOf, normalizeMediaType, sniffMediaType } from './detect-media-type';

/** Bytes from numbers and ASCII strings, in order. */
function bytes(...pieces: (number[] | string)[]): Uint8Array {
	const out: number[] = [];
	for (const piece of pieces) {
		if (typeof piece === 'string') for (const character of piece) out.push(character.charCodeAt(0));
		else out.push(...piece);
	}
	return new Uint8Array(out);
}

function u16(value: number): number[] {
	return [value & 0xff, (value >> 8) & 0xff];
}

function u32(value: number): number[] {
	return [value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, (value >>> 24) & 0xff];
}

/** A real zip archive (stored or deflated entries, with a central directory). */
function zip(entries: { name: string; content: string; store?: boolean }[]): Uint8Array {
	const local: number[] = [];
	const central: number[] = [];
	for (const entry of entries) {
		const data = entry.store ? Buffer.from(entry.content) : deflateRawSync(Buffer.from(entry.content));
		const offset = local.length;
		const header = [
			...u32(0x04034b50), ...u16(20), ...u16(0), ...u16(entry.store ? 0 : 8), ...u16(0), ...u16(0),
			...u32(0), ...u32(data.length), ...u32(entry.content.length), ...u16(entry.name.length), ...u16(0)
		];
		local.push(...header, ...Buffer.from(entry.name), ...data);
		central.push(
			...u32(0x02014b50), ...u16(20), ...u16(20), ...u16(0), ...u16(entry.store ? 0 : 8), ...u16(0), ...u16(0),
			...u32(0), ...u32(data.length), ...u32(entry.content.length), ...u16(entry.name.length), ...u16(0), ...u16(0),
			...u16(0), ...u16(0), ...u32(0), ...u32(offset), ...Buffer.from(entry.name)
		);
	}
	const end = [
		...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(entries.length), ...u16(entries.length),
		...u32(central.length), ...u32(local.length), ...u16(0)
	];
	return new Uint8Array([...local, ...central, ...end]);
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const PPTX = 'application/vnd.openxmlformats-officedocument.presentationml.presentation';

describe('sniffMediaType', () => {
	it.each([
		['PNG', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], 'IHDR'), 'image/png'],
		['JPEG', bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF'), 'image/jpeg'],
		['GIF', bytes('GIF89a', [1, 0, 1, 0]), 'image/gif'],
		['WebP', bytes('RIFF', u32(100), 'WEBPVP8 '), 'image/webp'],
		['BMP', bytes('BM', u32(70), u32(0), u32(54), u32(40), u32(1), u32(1)), 'image/bmp'],
		['TIFF (little-endian)', bytes('II', [0x2a, 0], u32(8)), 'image/tiff'],
		['AVIF', bytes(u32(0x20000000), 'ftypavif', u32(0)), 'image/avif'],
		['HEIC', bytes(u32(0x18000000), 'ftypheic', u32(0)), 'image/heic'],
		['SVG', bytes('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'), 'image/svg+xml'],
		['PDF', bytes('%PDF-1.7\n%âãÏÓ'), 'application/pdf'],
		['MP3 with ID3', bytes('ID3', [4, 0, 0, 0, 0, 0, 0]), 'audio/mpeg'],
		['MP3 frame', bytes([0xff, 0xfb, 0x90, 0x64]), 'audio/mpeg'],
		['AAC (ADTS)', bytes([0xff, 0xf1, 0x50, 0x80]), 'audio/aac'],
		['WAV', bytes('RIFF', u32(36), 'WAVEfmt '), 'audio/wav'],
		['Ogg', bytes('OggS', [0, 2]), 'audio/ogg'],
		['FLAC', bytes('fLaC', [0, 0, 0, 34]), 'audio/flac'],
		['M4A', bytes(u32(0x20000000), 'ftypM4A ', u32(0)), 'audio/mp4'],
		['MIDI', bytes('MThd', u32(0x06000000)), 'audio/midi'],
		['MP4', bytes(u32(0x18000000), 'ftypisom', u32(0x200)), 'video/mp4'],
		['QuickTime', bytes(u32(0x14000000), 'ftypqt  ', u32(0)), 'video/quicktime'],
		['WebM', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x84], 'webm'), 'video/webm'],
		['Matroska', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x82, 0x88], 'matroska'), 'video/x-matroska'],
		['AVI', bytes('RIFF', u32(100), 'AVI LIST'), 'video/x-msvideo'],
		['gzip', bytes([0x1f, 0x8b, 0x08, 0]), 'application/gzip']
	])('recognises %s', (_name, content, expected) => {
		expect(sniffMediaType(content)).toBe(expected);
	});

	it('tells Word, Excel and PowerPoint files from a plain zip by their entries', () => {
		const types = '<?xml version="1.0"?><Types/>';
		expect(sniffMediaType(zip([{ name: '[Content_Types].xml', content: types }, { name: 'word/document.xml', content: '<w/>' }]))).toBe(DOCX);
		expect(sniffMediaType(zip([{ name: '[Content_Types].xml', content: types }, { name: 'xl/workbook.xml', content: '<x/>' }]))).toBe(XLSX);
		expect(sniffMediaType(zip([{ name: '[Content_Types].xml', content: types }, { name: 'ppt/presentation.xml', content: '<p/>' }]))).toBe(PPTX);
		expect(sniffMediaType(zip([{ name: 'notes.txt', content: 'hello' }]))).toBe('application/zip');
	});

	it('reads the mimetype entry of OpenDocument and EPUB files', () => {
		const odt = zip([
			{ name: 'mimetype', content: 'application/vnd.oasis.opendocument.text', store: true },
			{ name: 'content.xml', content: '<office/>' }
		]);
		expect(sniffMediaType(odt)).toBe('application/vnd.oasis.opendocument.text');
		const epub = zip([{ name: 'mimetype', content: 'application/epub+zip', store: true }]);
		expect(sniffMediaType(epub)).toBe('application/epub+zip');
	});

	it('finds the entries of a truncated zip from its local headers', () => {
		const archive = zip([{ name: 'word/document.xml', content: '<w/>' }, { name: 'other.xml', content: '<o/>' }]);
		expect(sniffMediaType(archive.subarray(0, archive.length - 30))).toBe(DOCX);
	});

	it('knows nothing of plain text, HTML, empty or short content', () => {
		expect(sniffMediaType(bytes('Hello, world'))).toBeUndefined();
		expect(sniffMediaType(bytes('<!doctype html><html></html>'))).toBeUndefined();
		expect(sniffMediaType(new Uint8Array())).toBeUndefined();
		expect(sniffMediaType(bytes([0x89, 0x50]))).toBeUndefined();
	});
});

describe('detectMediaType', () => {
	it('believes the content over the declared type', () => {
		expect(detectMediaType(bytes('%PDF-1.4'), 'image/png')).toBe('application/pdf');
		expect(detectMediaType(bytes([0xff, 0xd8, 0xff, 0xdb]), 'application/octet-stream')).toBe('image/jpeg');
	});

	it('keeps a clean declared type the content cannot show', () => {
		expect(detectMediaType(bytes('a,b\n1,2\n'), 'text/csv; charset=utf-8')).toBe('text/csv');
		expect(detectMediaType(bytes('{"a":1}'), 'Application/JSON')).toBe('application/json');
		expect(detectMediaType(bytes('# Title'), 'text/markdown')).toBe('text/markdown');
	});

	it('refuses a declared format that the content would have shown', () => {
		expect(detectMediaType(bytes('not really a picture'), 'image/png')).toBe('text/plain');
		expect(detectMediaType(bytes([0, 1, 2, 3, 254]), 'application/pdf')).toBe('application/octet-stream');
	});

	it('falls back to text/plain for UTF-8 text and application/octet-stream for other bytes', () => {
		expect(detectMediaType(bytes('plain words'), '')).toBe('text/plain');
		expect(detectMediaType(new Uint8Array([...Buffer.from('café')]), null)).toBe('text/plain');
		expect(detectMediaType(bytes([0, 159, 146, 150]), undefined)).toBe('application/octet-stream');
		expect(detectMediaType(bytes('caf', [0xe9]), undefined)).toBe('application/octet-stream');
		expect(detectMediaType(bytes('text'), 'not a type')).toBe('text/plain');
		expect(detectMediaType(bytes('text'), 'text/html\r\nx-evil: 1')).toBe('text/plain');
	});

	it('takes old Office types from the declaration, since their container is shared', () => {
		const ole = bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
		expect(detectMediaType(ole, 'application/msword')).toBe('application/msword');
		expect(detectMediaType(ole, 'image/png')).toBe('application/x-ole-storage');
	});
});

describe('normalizeMediaType', () => {
	it('lower-cases and drops parameters, or refuses what is not a media type', () => {
		expect(normalizeMediaType(' Text/Plain ; charset=UTF-8')).toBe('text/plain');
		expect(normalizeMediaType('image/svg+xml')).toBe('image/svg+xml');
		expect(normalizeMediaType('text')).toBeUndefined();
		expect(normalizeMediaType('text/plain/extra')).toBeUndefined();
		expect(normalizeMediaType(undefined)).toBeUndefined();
	});
});

describe('fileKindOf', () => {
	it('groups media types into images, videos, audios and documents', () => {
		expect(fileKindOf('image/png')).toBe('image');
		expect(fileKindOf('video/mp4')).toBe('video');
		expect(fileKindOf('audio/mpeg')).toBe('audio');
		expect(fileKindOf('application/pdf')).toBe('document');
		expect(fileKindOf('text/plain')).toBe('document');
	});
});
