import JSZip from 'jszip';

/** A minimal Word (.docx) document with one paragraph per entry of `paragraphs`. */
export async function minimalDocx(paragraphs: string[]): Promise<Uint8Array<ArrayBuffer>> {
	const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
	return docxOf(
		'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
			'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
			paragraphs.map((text) => `<w:p><w:r><w:t xml:space="preserve">${escape(text)}</w:t></w:r></w:p>`).join('') +
			'</w:body></w:document>'
	);
}

/**
 * A valid Word document whose `word/document.xml` unpacks to about `inflatedBytes` bytes: one
 * paragraph followed by that much white space, which deflates about a thousandfold (a zip bomb
 * that a parser would read).
 */
export async function inflatingDocx(inflatedBytes: number): Promise<Uint8Array<ArrayBuffer>> {
	const head = new TextEncoder().encode(
		'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
			'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
			'<w:p><w:r><w:t>Padded.</w:t></w:r></w:p>'
	);
	const tail = new TextEncoder().encode('</w:body></w:document>');
	const xml = new Uint8Array(Math.max(inflatedBytes, head.length + tail.length)).fill(0x20);
	xml.set(head, 0);
	xml.set(tail, xml.length - tail.length);
	return docxOf(xml);
}

/** A Word document of this `word/document.xml`, with `extra` entries (name → content) beside it. */
export async function docxOf(documentXml: string | Uint8Array, extra: Record<string, string> = {}): Promise<Uint8Array<ArrayBuffer>> {
	const zip = new JSZip();
	zip.file(
		'[Content_Types].xml',
		'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
			'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
			'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
			'<Default Extension="xml" ContentType="application/xml"/>' +
			'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
			'</Types>'
	);
	zip.file(
		'_rels/.rels',
		'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
			'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
			'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>' +
			'</Relationships>'
	);
	zip.file('word/document.xml', documentXml);
	for (const [name, content] of Object.entries(extra)) zip.file(name, content);
	return new Uint8Array(await zip.generateAsync({ type: 'arraybuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } }));
}
