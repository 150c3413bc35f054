import { chromium } from 'playwright-core';
import { TEST_CHROMIUM_ARGS, testBrowserPath } from './chromium.mjs';

/** The formats {@link encodeImages} writes. */
export type EncodedImageType = 'image/jpeg' | 'image/webp';

/**
 * PNG images re-encoded, each as JPEG or WebP (lossy, quality 0.9), by Chromium's own encoders
 * (the browser the e2e suite drives): the project has no image library that writes these
 * formats. One browser is started for them all.
 */
export async function encodeImages(images: { png: Uint8Array; type: EncodedImageType }[]): Promise<Uint8Array<ArrayBuffer>[]> {
	const executablePath = testBrowserPath();
	if (!executablePath) throw new Error('Chromium is not installed: JPEG and WebP test images are made with it.');
	const browser = await chromium.launch({ executablePath, args: TEST_CHROMIUM_ARGS });
	try {
		const page = await browser.newPage();
		const encoded = await page.evaluate(
			async (sources) => {
				const results: string[] = [];
				for (const { base64, type } of sources) {
					const bitmap = await createImageBitmap(await (await fetch(`data:image/png;base64,${base64}`)).blob());
					const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
					const context = canvas.getContext('2d');
					if (!context) throw new Error('No 2D canvas in this browser.');
					// JPEG has no transparency: the paper is white in every format.
					context.fillStyle = '#fff';
					context.fillRect(0, 0, bitmap.width, bitmap.height);
					context.drawImage(bitmap, 0, 0);
					const blob = await canvas.convertToBlob({ type, quality: 0.9 });
					// A browser that cannot write a type writes PNG instead, without a word.
					if (blob.type !== type) throw new Error(`This browser cannot encode ${type} (it wrote ${blob.type}).`);
					let binary = '';
					for (const byte of new Uint8Array(await blob.arrayBuffer())) binary += String.fromCharCode(byte);
					results.push(btoa(binary));
				}
				return results;
			},
			images.map(({ png, type }) => ({ base64: Buffer.from(png).toString('base64'), type }))
		);
		return encoded.map((base64) => Uint8Array.from(Buffer.from(base64, 'base64')));
	} finally {
		await browser.close();
	}
}
