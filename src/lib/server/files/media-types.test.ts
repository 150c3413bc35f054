import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { detectMediaType, fileKindOf, normalizeMediaType } from './media-types';

/** Bytes from numbers and ASCII strings, in order. */
function bytes(...pieces: (number[] | string)[]): Uint8Array {
	const out: number[] = [];
	for (const piece of pieces) {
		if (typeof piece === 'string') for (const character of piece) out.push(character.charCodeAt(0));
		else out.push(...piece);
	}
	return new Uint8Array(out);
}

function u32(value: number): number[] {
	return [value & 0xff, (value >> 8) & 0xff, (value >> 16) & 0xff, (value >>> 24) & 0xff];
}

/** A zip archive with the given entries. */
async function zip(entries: Record<string, string>): Promise<Uint8Array> {
	const archive = new JSZip();
	for (const [name, content] of Object.entries(entries)) archive.file(name, content);
	return archive.generateAsync({ type: 'uint8array', compression: 'DEFLATE' });
}

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
/** `[Content_Types].xml` of an Office file whose main part has the given content type, as Office writes it. */
function contentTypes(main: string, part: string): string {
	return `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="${part}" ContentType="${main}"/></Types>`;
}

describe('detectMediaType: binary formats from their content', () => {
	it.each([
		['PNG', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13], 'IHDR'), 'image/png'],
		['JPEG', bytes([0xff, 0xd8, 0xff, 0xe0, 0, 0x10], 'JFIF'), 'image/jpeg'],
		['GIF', bytes('GIF89a', [1, 0, 1, 0]), 'image/gif'],
		['WebP', bytes('RIFF', u32(100), 'WEBPVP8 '), 'image/webp'],
		['PDF', bytes('%PDF-1.7\n%âãÏÓ'), 'application/pdf'],
		['WAV', bytes('RIFF', u32(36), 'WAVEfmt '), 'audio/wav'],
		['FLAC', bytes('fLaC', [0, 0, 0, 34]), 'audio/flac'],
		['MP4', bytes(u32(0x18000000), 'ftypisom', u32(0x200)), 'video/mp4'],
		['gzip', bytes([0x1f, 0x8b, 0x08, 0]), 'application/gzip']
	])('recognises %s whatever its declared type', async (_name, content, expected) => {
		expect(await detectMediaType(content, 'text/plain', 'notes.txt')).toBe(expected);
	});

	it('tells Word and Excel files from a plain zip by their entries, whatever the name', async () => {
		const docx = await zip({
			'[Content_Types].xml': contentTypes(`${DOCX}.main+xml`, '/word/document.xml'),
			'word/document.xml': '<w:document/>'
		});
		expect(await detectMediaType(docx, 'application/zip', 'archive.zip')).toBe(DOCX);
		const xlsx = await zip({
			'[Content_Types].xml': contentTypes(`${XLSX}.main+xml`, '/xl/workbook.xml'),
			'xl/workbook.xml': '<workbook/>'
		});
		expect(await detectMediaType(xlsx, undefined, 'sheet.docx')).toBe(XLSX);
		const plain = await zip({ 'notes.txt': 'hello' });
		expect(await detectMediaType(plain, DOCX, 'report.docx')).toBe('application/zip');
	});

	it('refuses a declared binary format the content does not show', async () => {
		expect(await detectMediaType(bytes('not really a picture'), 'image/png', 'photo.png')).toBe('text/plain');
		expect(await detectMediaType(bytes([0, 1, 2, 3, 254]), 'application/pdf', 'report.pdf')).toBe('application/octet-stream');
		expect(await detectMediaType(bytes([0, 159, 146, 150]), 'application/x-custom')).toBe('application/octet-stream');
	});

	it('takes old Office types from the declaration, since their container is shared', async () => {
		const ole = bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
		expect(await detectMediaType(ole, 'application/msword')).toBe('application/msword');
		expect(await detectMediaType(ole, 'image/png')).toBe('application/x-cfb');
	});
});

describe('detectMediaType: text formats', () => {
	it('recognises SVG from its content, even declared as something else', async () => {
		const svg = bytes('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>');
		expect(await detectMediaType(svg, 'text/plain')).toBe('image/svg+xml');
	});

	it('keeps a clean declared text type', async () => {
		expect(await detectMediaType(bytes('a,b\n1,2\n'), 'text/csv; charset=utf-8')).toBe('text/csv');
		expect(await detectMediaType(bytes('{"a":1}'), 'Application/JSON')).toBe('application/json');
		expect(await detectMediaType(bytes('# Title'), 'text/markdown')).toBe('text/markdown');
		expect(await detectMediaType(bytes('<p>hi</p>'), 'text/html')).toBe('text/html');
	});

	it('takes the type of undeclared text from the file name, then from the content', async () => {
		expect(await detectMediaType(bytes('# Title\n\nSome *words*.'), '', 'README.md')).toBe('text/markdown');
		expect(await detectMediaType(bytes('a,b\n1,2\n'), 'application/octet-stream', 'table.CSV')).toBe('text/csv');
		expect(await detectMediaType(bytes('<!DOCTYPE html><html><body>hi</body></html>'), undefined)).toBe('text/html');
		expect(await detectMediaType(bytes(' {"a": [1, 2]}'), undefined)).toBe('application/json');
		expect(await detectMediaType(bytes('{not json'), undefined)).toBe('text/plain');
		expect(await detectMediaType(bytes('<?xml version="1.0"?><note>hi</note>'), undefined)).toBe('application/xml');
		expect(await detectMediaType(bytes('<?xml version="1.0"?><rss/>'), 'application/rss+xml')).toBe('application/rss+xml');
	});

	it('falls back to text/plain for UTF-8 text and application/octet-stream for other bytes', async () => {
		expect(await detectMediaType(bytes('plain words'), '')).toBe('text/plain');
		expect(await detectMediaType(new Uint8Array([...Buffer.from('café')]), null)).toBe('text/plain');
		expect(await detectMediaType(bytes([0, 159, 146, 150]), undefined)).toBe('application/octet-stream');
		expect(await detectMediaType(bytes('caf', [0xe9]), undefined)).toBe('application/octet-stream');
		expect(await detectMediaType(bytes('text'), 'not a type')).toBe('text/plain');
		expect(await detectMediaType(bytes('text'), 'text/html\r\nx-evil: 1')).toBe('text/plain');
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
