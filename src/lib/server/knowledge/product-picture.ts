import { crc32, deflateSync } from 'node:zlib';

/** An RGB colour. */
type Rgb = readonly [number, number, number];

/** One PNG chunk: length, type, data, CRC of type and data. */
function pngChunk(type: string, data: Uint8Array): Buffer {
	const head = Buffer.alloc(8);
	head.writeUInt32BE(data.length, 0);
	head.write(type, 4, 'ascii');
	const crc = Buffer.alloc(4);
	crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
	return Buffer.concat([head, data, crc]);
}

/** A PNG of an RGB image given by a function of each pixel. */
export function encodePng(width: number, height: number, pixel: (x: number, y: number) => Rgb): Uint8Array {
	const header = Buffer.alloc(13);
	header.writeUInt32BE(width, 0);
	header.writeUInt32BE(height, 4);
	header.set([8, 2, 0, 0, 0], 8); // 8 bits per channel, truecolour, no interlace
	const rows = Buffer.alloc((width * 3 + 1) * height);
	for (let y = 0; y < height; y++) {
		const start = y * (width * 3 + 1);
		rows[start] = 0; // no filter
		for (let x = 0; x < width; x++) rows.set(pixel(x, y), start + 1 + x * 3);
	}
	return new Uint8Array(
		Buffer.concat([
			Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
			pngChunk('IHDR', header),
			pngChunk('IDAT', deflateSync(rows)),
			pngChunk('IEND', new Uint8Array())
		])
	);
}

function mix(a: Rgb, b: Rgb, amount: number): Rgb {
	return [0, 1, 2].map((index) => Math.round(a[index] + (b[index] - a[index]) * amount)) as unknown as Rgb;
}

/** A colour from a text, always the same for the same text. */
function colourOf(text: string): Rgb {
	let hash = 0;
	for (const character of text) hash = (Math.imul(hash, 31) + character.charCodeAt(0)) >>> 0;
	const hue = hash % 360;
	// HSL with fixed saturation and lightness, to RGB.
	const s = 0.55;
	const l = 0.55;
	const c = (1 - Math.abs(2 * l - 1)) * s;
	const x = c * (1 - Math.abs(((hue / 60) % 2) - 1));
	const m = l - c / 2;
	const [r, g, b] =
		hue < 60 ? [c, x, 0] : hue < 120 ? [x, c, 0] : hue < 180 ? [0, c, x] : hue < 240 ? [0, x, c] : hue < 300 ? [x, 0, c] : [c, 0, x];
	return [Math.round((r + m) * 255), Math.round((g + m) * 255), Math.round((b + m) * 255)];
}

/**
 * The demo catalogue's picture of a product: a soft gradient in its category's colour with a
 * disc in its own colour. Small (a few KB) and the same on every install.
 */
export function productPicture(category: string, name: string, width = 240, height = 160): Uint8Array {
	const background = colourOf(category);
	const accent = colourOf(name);
	const white: Rgb = [255, 255, 255];
	const radius = Math.min(width, height) * 0.28;
	const cx = width / 2;
	const cy = height / 2;
	return encodePng(width, height, (x, y) => {
		const distance = Math.hypot(x - cx, y - cy);
		if (distance < radius) return mix(accent, white, Math.max(0, (radius - distance) / radius - 0.6));
		return mix(background, white, 0.35 + (0.4 * y) / height);
	});
}
