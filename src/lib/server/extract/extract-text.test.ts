import { describe, expect, it } from 'vitest';
import { minimalDocx } from '../../../../tests/support/minimal-docx';
import { minimalPdf } from '../../../../tests/support/minimal-pdf';
import { detectMediaType } from '../services/detect-media-type';
import { canExtractText, capText, extractText, MAX_EXTRACTED_CHARACTERS } from './extract-text';

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

	it('reads nothing from images, audio, archives and unknown types', async () => {
		for (const type of ['image/png', 'audio/mpeg', 'application/zip', 'application/octet-stream', 'image/svg+xml']) {
			expect(canExtractText(type)).toBe(false);
			expect(await extractText(encode('x'), type)).toBeUndefined();
		}
	});

	it('throws on a damaged document', async () => {
		await expect(extractText(encode('%PDF-1.4\nnot really'), 'application/pdf')).rejects.toThrow();
		await expect(extractText(encode('PK\u0003\u0004 broken'), DOCX)).rejects.toThrow();
	});

	it('caps the text at a million characters without splitting a character', async () => {
		const long = 'a'.repeat(MAX_EXTRACTED_CHARACTERS + 10);
		expect((await extractText(encode(long), 'text/plain'))?.length).toBe(MAX_EXTRACTED_CHARACTERS);
		const emoji = `${'a'.repeat(MAX_EXTRACTED_CHARACTERS - 1)}😀`;
		expect(capText(emoji)).toBe('a'.repeat(MAX_EXTRACTED_CHARACTERS - 1));
	});
});
