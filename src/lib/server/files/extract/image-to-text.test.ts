import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { textPng } from '../../../../../tests/support/text-png';
import { canReadImageText, imageToText } from './image-to-text';

/** A grey PNG of random speckles: no text, only what OCR mistakes for it. */
function noisePng(width: number, height: number): Uint8Array {
	const png = new PNG({ width, height });
	let seed = 7;
	for (let i = 0; i < width * height; i++) {
		seed = (seed * 1103515245 + 12345) % 2 ** 31;
		const value = seed / 2 ** 31 < 0.5 ? 0 : 255;
		png.data.writeUInt32BE(((value << 24) | (value << 16) | (value << 8) | 0xff) >>> 0, i * 4);
	}
	return PNG.sync.write(png);
}

describe('imageToText', () => {
	it('reads the words of a PNG the test drew, line by line', async () => {
		expect(await imageToText(textPng(['PARLEY OCR 42', 'INVOICE 2024']))).toBe('PARLEY OCR 42\nINVOICE 2024');
	});

	it('finds no text in a blank image or in noise', async () => {
		expect(await imageToText(textPng(['']))).toBe('');
		expect(await imageToText(noisePng(200, 120))).toBe('');
	});

	it('throws an error naming the problem for bytes that are no image', async () => {
		await expect(imageToText(new TextEncoder().encode('not an image'))).rejects.toThrow(/could not be read/);
	});

	it('reads raster formats only', () => {
		expect(canReadImageText('image/png')).toBe(true);
		expect(canReadImageText('image/tiff')).toBe(true);
		expect(canReadImageText('image/svg+xml')).toBe(false);
		expect(canReadImageText('application/pdf')).toBe(false);
	});
});
