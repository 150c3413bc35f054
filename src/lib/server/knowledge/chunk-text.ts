/** How a document is cut: chunk size and overlap, in characters. */
export interface ChunkOptions {
	size: number;
	overlap: number;
}

/** About a page of text per chunk; the last sentences of one chunk start the next. */
export const DEFAULT_CHUNKING: ChunkOptions = { size: 1200, overlap: 200 };

/** Pieces no longer than `size`: cut at spaces when there are any, else anywhere. */
function splitLong(unit: string, size: number): string[] {
	const pieces: string[] = [];
	let rest = unit;
	while (rest.length > size) {
		const space = rest.lastIndexOf(' ', size);
		const cut = space > size / 2 ? space : size;
		pieces.push(rest.slice(0, cut).trim());
		rest = rest.slice(cut).trim();
	}
	if (rest) pieces.push(rest);
	return pieces;
}

/** Sentences (or lines, or pieces of over-long ones), in order, each at most `size` long. */
function unitsOf(text: string, size: number): string[] {
	return text
		.split(/\n\s*\n/)
		.flatMap((paragraph) => paragraph.replace(/[ \t]*\n[ \t]*/g, '\n').split(/(?<=[.!?…])\s+|\n/))
		.map((unit) => unit.replace(/\s+/g, ' ').trim())
		.filter(Boolean)
		.flatMap((unit) => splitLong(unit, size));
}

/**
 * Cuts a document's text into chunks of at most `size` characters at sentence (or line)
 * boundaries; each chunk after the first starts with the last sentences of the one before, up
 * to `overlap` characters, so that a passage cut in two is still found whole in one of them.
 */
export function chunkText(text: string, options: ChunkOptions = DEFAULT_CHUNKING): string[] {
	const { size } = options;
	const overlap = Math.max(0, Math.min(options.overlap, Math.floor(size / 2)));
	const units = unitsOf(text, size);
	const chunks: string[] = [];
	let current: string[] = [];
	let length = 0;
	/** Whether `current` holds anything beyond what it carried over from the previous chunk. */
	let fresh = false;
	for (const unit of units) {
		if (length > 0 && length + 1 + unit.length > size) {
			chunks.push(current.join(' '));
			const carried: string[] = [];
			let carriedLength = 0;
			for (let index = current.length - 1; index >= 0; index--) {
				const next = carriedLength + (carried.length ? 1 : 0) + current[index].length;
				if (next > overlap || next + 1 + unit.length > size) break;
				carried.unshift(current[index]);
				carriedLength = next;
			}
			current = carried;
			length = carriedLength;
		}
		current.push(unit);
		length += (length > 0 ? 1 : 0) + unit.length;
		fresh = true;
	}
	if (fresh) chunks.push(current.join(' '));
	return chunks;
}
