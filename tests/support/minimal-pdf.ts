/**
 * A valid one-page PDF whose page shows `lines` in Helvetica, written object by object with the
 * cross-reference table's byte offsets computed, so that a real PDF reader (pdf.js) opens it.
 */
export function minimalPdf(lines: string[]): Uint8Array<ArrayBuffer> {
	// PDF string literals escape backslashes and parentheses.
	const escape = (text: string) => text.replace(/[\\()]/g, (character) => `\\${character}`);
	const content = [
		'BT',
		'/F1 18 Tf',
		'72 720 Td',
		'22 TL',
		...lines.map((line, index) => `${index === 0 ? '' : 'T* '}(${escape(line)}) Tj`),
		'ET'
	].join('\n');
	const objects = [
		'<< /Type /Catalog /Pages 2 0 R >>',
		'<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
		'<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
		`<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
		'<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>'
	];
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
