import { access } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type Tesseract from 'tesseract.js';

/**
 * Raster image formats whose text OCR reads: the formats the Leptonica build inside
 * tesseract.js decodes (SVG, HEIC, AVIF and icons are not among them).
 */
const OCR_MEDIA_TYPES = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/bmp', 'image/tiff']);

/**
 * A line of OCR output is kept when Tesseract is at least this confident of it (0–100). Printed
 * or screen text scores 85–95; the "words" it finds in photos, textures and noise score under 30.
 */
const MIN_LINE_CONFIDENCE = 50;

/** Whether {@link imageToText} reads images of this media type. */
export function canReadImageText(mediaType: string): boolean {
	return OCR_MEDIA_TYPES.has(mediaType);
}

/**
 * The files OCR reads at run time besides code, as file paths:
 * - the English model, from the installed `@tesseract.js-data/eng` package: its LSTM-only data
 *   (`4.0.0_best_int`, 2.9 MB gzipped), what tesseract.js itself loads for the LSTM engine. The
 *   package's other folder (`4.0.0`) adds the legacy engine's data, which LSTM recognition does
 *   not use: it reads the same text, but starts about 250 ms slower and takes 80 MB more memory;
 * - the WebAssembly builds of Tesseract's LSTM engine, one of which tesseract.js picks by the
 *   CPU's SIMD support.
 * They are named with `import.meta.resolve` so that file tracing (the Vercel build) ships them.
 */
function ocrFiles(): { englishData: string; engines: string[] } {
	return {
		englishData: fileURLToPath(import.meta.resolve('@tesseract.js-data/eng/4.0.0_best_int/eng.traineddata.gz')),
		engines: [
			import.meta.resolve('tesseract.js-core/tesseract-core-relaxedsimd-lstm.wasm'),
			import.meta.resolve('tesseract.js-core/tesseract-core-simd-lstm.wasm'),
			import.meta.resolve('tesseract.js-core/tesseract-core-lstm.wasm')
		].map((url) => fileURLToPath(url))
	};
}

/** The lines of a recognition result that Tesseract is confident of, paragraphs separated by blank lines. */
function confidentText(page: Tesseract.Page): string {
	const paragraphs = (page.blocks ?? []).flatMap((block) =>
		block.paragraphs.map((paragraph) =>
			paragraph.lines
				.filter((line) => line.confidence >= MIN_LINE_CONFIDENCE)
				.map((line) => line.text.trim())
				.filter(Boolean)
				.join('\n')
		)
	);
	return paragraphs.filter(Boolean).join('\n\n');
}

/**
 * The text in an image, read by OCR (Tesseract's LSTM engine, English) with the language data
 * installed with the app: nothing is downloaded and nothing is cached on disk. Lines it is not
 * confident of are left out, so a photo without text gives an empty string rather than noise.
 * Tesseract runs in a worker thread of its own, started for this image and ended after it
 * (about 0.4 s to load its WebAssembly and data). Throws when the image cannot be decoded.
 */
export async function imageToText(bytes: Uint8Array): Promise<string> {
	const { englishData, engines } = ocrFiles();
	// tesseract.js never settles when its language data cannot be read: check that all is there first.
	await Promise.all([englishData, ...engines].map((path) => access(path)));
	const langPath = dirname(englishData);
	// Loaded when first needed: only the threads that read images need it.
	const { default: tesseract } = await import('tesseract.js');
	const worker = await tesseract.createWorker('eng', tesseract.OEM.LSTM_ONLY, {
		langPath,
		gzip: true,
		cacheMethod: 'none',
		// Failures reject the call below; without a handler tesseract.js also throws them from its message listener.
		errorHandler: () => {}
	});
	try {
		const image = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
		const { data } = await worker.recognize(image, {}, { text: true, blocks: true });
		return confidentText(data);
	} catch (error) {
		// tesseract.js rejects with Leptonica's messages as strings.
		throw error instanceof Error ? error : new Error(`The image could not be read: ${String(error)}`);
	} finally {
		await worker.terminate();
	}
}
