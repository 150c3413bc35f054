import { describe, expect, it } from 'vitest';
import { minimalDocx } from '../../../../../tests/support/minimal-docx';
import { minimalPdf, textPdf } from '../../../../../tests/support/minimal-pdf';
import { textPng } from '../../../../../tests/support/text-png';
import { detectMediaType } from '../media-types';
import { canExtractText, capText, extractText, MAX_EXTRACTED_CHARACTERS } from './extract-text';
import { ExtractionLimitError } from './extraction-limits';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const encode = (text: string) => new TextEncoder().encode(text);

describe('extractText', () => {
	it('reads the text of a PDF', async () => {
		const pdf = minimalPdf(['Otters hold hands (while sleeping).', 'Second line of the report.']);
		expect(await detectMediaType(pdf, 'application/octet-stream', 'x.bin')).toBe('application/pdf');
		const text = await extractText(pdf, 'application/pdf');
		expect(text).toContain('Otters hold hands (while sleeping).');
		expect(text).toContain('Second line of the report.');
	});

	it('reads every page of a longer PDF, in order', async () => {
		const pages = Array.from({ length: 12 }, (_, page) => Array.from({ length: 40 }, (_, line) => `Page ${page + 1} line ${line + 1}.`));
		const text = await extractText(textPdf(pages), 'application/pdf');
		expect(text).toContain('Page 1 line 1.');
		expect(text).toContain('Page 12 line 40.');
		expect(text!.indexOf('Page 3 line 7.')).toBeLessThan(text!.indexOf('Page 4 line 1.'));
	});

	it('refuses a PDF of more pages than the limit, and reads one at the limit', async () => {
		const limits = { docxInflatedBytes: 50 * 1024 * 1024, docxEntries: 10_000, pdfPages: 3 };
		const pages = (count: number) => Array.from({ length: count }, (_, page) => [`Page ${page + 1}.`]);
		await expect(extractText(textPdf(pages(4)), 'application/pdf', limits)).rejects.toThrow(
			new ExtractionLimitError('This PDF has 4 pages, more than the 3 this server reads.')
		);
		expect(await extractText(textPdf(pages(3)), 'application/pdf', limits)).toContain('Page 3.');
	});

	it('reads the paragraphs of a Word document', async () => {
		const docx = await minimalDocx(['Quarterly results', 'Revenue grew by 12 % & costs fell.']);
		expect(await detectMediaType(docx, 'application/zip', 'x.zip')).toBe(DOCX);
		expect(await extractText(docx, DOCX)).toBe('Quarterly results\n\nRevenue grew by 12 % & costs fell.');
	});

	it('reads HTML as a reader sees it', async () => {
		const html = `<!DOCTYPE html><html><head><title>Ignored title</title><style>body { color: red }</style></head>
<body><script>alert("no")</script><h1>Caf&eacute; &amp; bar</h1><p>Fish &lt;3 chips&nbsp;&#8212; &#x1F600;<br>next</p>
<!-- a comment --><noscript>enable JS</noscript><ul><li>one</li><li>two</li></ul></body></html>`;
		expect(await extractText(encode(html), 'text/html')).toBe('Café & bar\n\nFish <3 chips — 😀\nnext\n\none\n\ntwo');
	});

	it('pretty-prints JSON, and keeps JSON that does not parse as written', async () => {
		expect(await extractText(encode('{"a":[1,2],"b":"x"}'), 'application/json')).toBe('{\n  "a": [\n    1,\n    2\n  ],\n  "b": "x"\n}');
		expect(await extractText(encode('{"a":'), 'application/json')).toBe('{"a":');
	});

	it('keeps CSV, Markdown and plain text as written, without a byte order mark', async () => {
		expect(await extractText(encode('name,age\nAda,36\n'), 'text/csv')).toBe('name,age\nAda,36');
		expect(await extractText(encode('\uFEFF# Title\n\n*words*'), 'text/markdown')).toBe('# Title\n\n*words*');
		expect(await extractText(encode('plain'), 'text/plain')).toBe('plain');
		expect(await extractText(encode('print("hi")\n'), 'text/x-python')).toBe('print("hi")');
	});

	it('reads nothing from audio, video, archives, vector images and unknown types', async () => {
		for (const type of ['audio/mpeg', 'video/mp4', 'application/zip', 'application/octet-stream', 'image/svg+xml', 'image/heic']) {
			expect(canExtractText(type)).toBe(false);
			expect(await extractText(encode('x'), type)).toBeUndefined();
		}
	});

	it('reads the words in a raster image, and nothing from an image without text', async () => {
		for (const type of ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/bmp', 'image/tiff'])
			expect(canExtractText(type)).toBe(true);
		const png = textPng(['PARLEY OCR 42']);
		expect(await detectMediaType(png, '', 'sign')).toBe('image/png');
		expect(await extractText(png, 'image/png')).toBe('PARLEY OCR 42');
		expect(await extractText(textPng(['']), 'image/png')).toBeUndefined();
	});

	it('throws on a damaged document', async () => {
		await expect(extractText(encode('%PDF-1.4\nnot really'), 'application/pdf')).rejects.toThrow();
		await expect(extractText(encode('PK\u0003\u0004 broken'), DOCX)).rejects.toThrow();
		await expect(extractText(textPng(['X']).subarray(0, 40), 'image/png')).rejects.toThrow();
	});

	it('caps the text at a million characters without splitting a character', async () => {
		const long = 'a'.repeat(MAX_EXTRACTED_CHARACTERS + 10);
		expect((await extractText(encode(long), 'text/plain'))?.length).toBe(MAX_EXTRACTED_CHARACTERS);
		const emoji = `${'a'.repeat(MAX_EXTRACTED_CHARACTERS - 1)}😀`;
		expect(capText(emoji)).toBe('a'.repeat(MAX_EXTRACTED_CHARACTERS - 1));
	});
});
