import { crc32, deflateSync } from 'node:zlib';
import { PNG } from 'pngjs';

/**
 * A 5×7 bitmap font: each glyph is seven rows of five pixels, `#` for ink. Upper-case letters,
 * digits and a few marks; anything else is drawn as a space.
 */
const FONT: Record<string, string[]> = {
	A: ['.###.', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
	B: ['####.', '#...#', '#...#', '####.', '#...#', '#...#', '####.'],
	C: ['.###.', '#...#', '#....', '#....', '#....', '#...#', '.###.'],
	D: ['####.', '#...#', '#...#', '#...#', '#...#', '#...#', '####.'],
	E: ['#####', '#....', '#....', '####.', '#....', '#....', '#####'],
	F: ['#####', '#....', '#....', '####.', '#....', '#....', '#....'],
	G: ['.###.', '#...#', '#....', '#.###', '#...#', '#...#', '.####'],
	H: ['#...#', '#...#', '#...#', '#####', '#...#', '#...#', '#...#'],
	I: ['#####', '..#..', '..#..', '..#..', '..#..', '..#..', '#####'],
	J: ['..###', '...#.', '...#.', '...#.', '...#.', '#..#.', '.##..'],
	K: ['#...#', '#..#.', '#.#..', '##...', '#.#..', '#..#.', '#...#'],
	L: ['#....', '#....', '#....', '#....', '#....', '#....', '#####'],
	M: ['#...#', '##.##', '#.#.#', '#.#.#', '#...#', '#...#', '#...#'],
	N: ['#...#', '##..#', '#.#.#', '#..##', '#...#', '#...#', '#...#'],
	O: ['.###.', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
	P: ['####.', '#...#', '#...#', '####.', '#....', '#....', '#....'],
	Q: ['.###.', '#...#', '#...#', '#...#', '#.#.#', '#..#.', '.##.#'],
	R: ['####.', '#...#', '#...#', '####.', '#.#..', '#..#.', '#...#'],
	S: ['.####', '#....', '#....', '.###.', '....#', '....#', '####.'],
	T: ['#####', '..#..', '..#..', '..#..', '..#..', '..#..', '..#..'],
	U: ['#...#', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
	V: ['#...#', '#...#', '#...#', '#...#', '#...#', '.#.#.', '..#..'],
	W: ['#...#', '#...#', '#...#', '#.#.#', '#.#.#', '#.#.#', '.#.#.'],
	X: ['#...#', '#...#', '.#.#.', '..#..', '.#.#.', '#...#', '#...#'],
	Y: ['#...#', '#...#', '.#.#.', '..#..', '..#..', '..#..', '..#..'],
	Z: ['#####', '....#', '...#.', '..#..', '.#...', '#....', '#####'],
	'0': ['.###.', '#...#', '#...#', '#...#', '#...#', '#...#', '.###.'],
	'1': ['..#..', '.##..', '..#..', '..#..', '..#..', '..#..', '.###.'],
	'2': ['.###.', '#...#', '....#', '...#.', '..#..', '.#...', '#####'],
	'3': ['#####', '...#.', '..#..', '...#.', '....#', '#...#', '.###.'],
	'4': ['...#.', '..##.', '.#.#.', '#..#.', '#####', '...#.', '...#.'],
	'5': ['#####', '#....', '####.', '....#', '....#', '#...#', '.###.'],
	'6': ['..##.', '.#...', '#....', '####.', '#...#', '#...#', '.###.'],
	'7': ['#####', '....#', '...#.', '..#..', '.#...', '.#...', '.#...'],
	'8': ['.###.', '#...#', '#...#', '.###.', '#...#', '#...#', '.###.'],
	'9': ['.###.', '#...#', '#...#', '.####', '....#', '...#.', '.##..'],
	'.': ['.....', '.....', '.....', '.....', '.....', '.##..', '.##..'],
	'-': ['.....', '.....', '.....', '#####', '.....', '.....', '.....']
};

const GLYPH_WIDTH = 5;
const GLYPH_HEIGHT = 7;

/** Options of {@link textPng}. */
export interface TextPngOptions {
	/** Image pixels per font pixel; 6 by default (glyphs 42 pixels tall). */
	scale?: number;
	/** Blank space around the text, in font pixels; 6 by default. */
	margin?: number;
}

/**
 * Softens the edges of a grey image in place with two passes of a box blur of `radius` pixels
 * (close to a Gaussian blur). Blocky pixel letters read like a real font's anti-aliased ones to
 * OCR, which reads their staircase corners as other letters otherwise (P as F).
 */
function softenEdges(grey: Float32Array, width: number, height: number, radius: number): void {
	const pass = (step: number, length: number, lines: number, lineStep: number) => {
		const line = new Float32Array(length);
		for (let start = 0; start < lines; start++) {
			const base = start * lineStep;
			for (let i = 0; i < length; i++) line[i] = grey[base + i * step];
			for (let i = 0; i < length; i++) {
				let sum = 0;
				// Beyond the border is white paper.
				for (let k = i - radius; k <= i + radius; k++) sum += k < 0 || k >= length ? 255 : line[k];
				grey[base + i * step] = sum / (radius * 2 + 1);
			}
		}
	};
	for (let round = 0; round < 2; round++) {
		pass(1, width, height, width);
		pass(width, height, width, 1);
	}
}

/**
 * A PNG image of `lines` in black on white, drawn with a 5×7 bitmap font scaled up (a font
 * pixel between letters, three between lines, a margin all round) and its edges softened: text
 * clean and large enough for OCR to read. Letters are upper-cased; characters the font lacks
 * become spaces.
 */
export function textPng(lines: string[], options: TextPngOptions = {}): Uint8Array<ArrayBuffer> {
	const scale = options.scale ?? 6;
	const margin = options.margin ?? 6;
	const rows = lines.map((line) => line.toUpperCase());
	const columns = Math.max(1, ...rows.map((line) => line.length));
	const width = (margin * 2 + columns * (GLYPH_WIDTH + 1) - 1) * scale;
	const height = (margin * 2 + rows.length * (GLYPH_HEIGHT + 3) - 3) * scale;
	const grey = new Float32Array(width * height).fill(255);
	/** Inks one font pixel: a `scale`×`scale` square. */
	const ink = (x: number, y: number) => {
		for (let row = y * scale; row < (y + 1) * scale; row++) grey.fill(0, row * width + x * scale, row * width + (x + 1) * scale);
	};
	rows.forEach((line, row) => {
		[...line].forEach((character, column) => {
			const glyph = FONT[character];
			if (!glyph) return;
			const left = margin + column * (GLYPH_WIDTH + 1);
			const top = margin + row * (GLYPH_HEIGHT + 3);
			glyph.forEach((bits, y) => [...bits].forEach((bit, x) => bit === '#' && ink(left + x, top + y)));
		});
	});
	softenEdges(grey, width, height, Math.round(scale * 0.65));
	const png = new PNG({ width, height });
	for (let i = 0; i < width * height; i++) {
		const value = Math.round(grey[i]);
		png.data.writeUInt32BE(((value << 24) | (value << 16) | (value << 8) | 0xff) >>> 0, i * 4);
	}
	return Uint8Array.from(PNG.sync.write(png, { colorType: 0 }));
}

/**
 * A blank grey `side`×`side` PNG, written directly (8-bit greyscale, one IDAT): a few hundred
 * kilobytes that decode to `side`² pixels, a decompression bomb for image readers.
 */
export function blankPng(side: number): Uint8Array<ArrayBuffer> {
	const chunk = (type: string, data: Buffer) => {
		const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
		const length = Buffer.alloc(4);
		length.writeUInt32BE(data.length);
		const crc = Buffer.alloc(4);
		crc.writeUInt32BE(crc32(body));
		return Buffer.concat([length, body, crc]);
	};
	const header = Buffer.alloc(13);
	header.writeUInt32BE(side, 0);
	header.writeUInt32BE(side, 4);
	header[8] = 8; // bits per sample
	header[9] = 0; // greyscale
	// Each row: filter byte 0, then the pixels (all 0x80).
	const rows = Buffer.alloc(side * (side + 1), 0x80);
	for (let row = 0; row < side; row++) rows[row * (side + 1)] = 0;
	const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
	const png = Buffer.concat([
		signature,
		chunk('IHDR', header),
		chunk('IDAT', deflateSync(rows, { level: 9 })),
		chunk('IEND', Buffer.alloc(0))
	]);
	return Uint8Array.from(png);
}
