/**
 * The number of pages of a PDF, counted from its page objects (`/Type /Page`) without parsing
 * it, or `undefined` when none can be seen: PDFs that keep their objects in compressed object
 * streams (PDF 1.5 and later) hide them. Older revisions of an edited PDF count too, so the
 * count may be high, never low; use it as a bound, not as a fact.
 */
export function countPdfPages(bytes: Uint8Array): number | undefined {
	const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
	const pages = text.match(/\/Type\s*\/Page(?![A-Za-z])/g)?.length ?? 0;
	return pages > 0 ? pages : undefined;
}
