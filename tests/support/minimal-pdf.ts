/**
 * A valid PDF with one page per entry of `pages`, each showing its lines in Helvetica (18 pt, or
 * 10 pt when a page has more than 30 lines), written object by object with the cross-reference
 * table's byte offsets computed, so that a real PDF reader (pdf.js) opens it.
 */
export function textPdf(pages: string[][]): Uint8Array<ArrayBuffer> {
	// PDF string literals escape backslashes and parentheses.
	const escape = (text: string) => text.replace(/[\\()]/g, (character) => `\\${character}`);
	const contentOf = (lines: string[]) => {
		const [size, leading] = lines.length > 30 ? [10, 12] : [18, 22];
		return [
			'BT',
			`/F1 ${size} Tf`,
			'72 720 Td',
			`${leading} TL`,
			...lines.map((line, index) => `${index === 0 ? '' : 'T* '}(${escape(line)}) Tj`),
			'ET'
		].join('\n');
	};
	// Objects 1 and 2 are the catalog and the page tree, 3 the font; each page is a page object
	// and its content stream.
	const pageRef = (index: number) => 4 + index * 2;
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		`<< /Type /Pages /Kids [${pages.map((_, index) => `${pageRef(index)} 0 R`).join(' ')}] /Count ${pages.length} >>`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'
	];
	pages.forEach((lines, index) => {
		const content = contentOf(lines);
		objects.push(
			`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${pageRef(index) + 1} 0 R /Resources << /Font << /F1 3 0 R >> >> >>`,
			`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`
		);
	});
	let pdf = '%PDF-1.4\n';
	const offsets: number[] = [];
	objects.forEach((body, index) => {
		offsets.push(Buffer.byteLength(pdf, 'latin1'));
		pdf += `${index + 1} 0 obj\n${body}\nendobj\n`;
	});
	const xref = Buffer.byteLength(pdf, 'latin1');
	// Each cross-reference entry is exactly 20 bytes: 10-digit offset, 5-digit generation, type, CR LF.
	pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f\r\n`;
	for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n\r\n`;
	pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
	return Uint8Array.from(Buffer.from(pdf, 'latin1'));
}

/** A valid one-page PDF whose page shows `lines` (see {@link textPdf}). */
export function minimalPdf(lines: string[]): Uint8Array<ArrayBuffer> {
	return textPdf([lines]);
}
