/**
 * The offline embedding: a deterministic vector of a text's word forms, made without any model.
 * Every word adds its character trigrams (with word-boundary marks) and its crude stem to a
 * fixed-size vector through feature hashing, and the vector is scaled to length 1. Texts that
 * share words, or forms of a word ("lamp", "lamps"; "hiking", "hike"), get close vectors, so
 * search works with no key; it is lexical, not semantic: "sofa" does not find "couch".
 */

/** The number of dimensions of the offline embedding. */
export const LEXICAL_DIMENSIONS = 256;

/** Words too common to say anything about a text. */
const STOP_WORDS = new Set(
	'a an and are as at be but by do does for from has have how i in is it its me my of on or our so than that the their them then there these they this to was we what when where which who why will with you your'.split(
		' '
	)
);

/** The lower-cased words of a text (letters and digits), without stop words. */
export function wordsOf(text: string): string[] {
	const words =
		text
			.normalize('NFKD')
			.replace(/\p{M}/gu, '')
			.toLowerCase()
			.match(/[\p{L}\p{N}]+/gu) ?? [];
	return words.filter((word) => !STOP_WORDS.has(word));
}

/** A crude English stem: common inflection endings removed ("boots" → "boot", "hiking" → "hik"). */
export function stemOf(word: string): string {
	if (word.length <= 3) return word;
	let stem = word;
	for (const ending of ['ingly', 'edly', 'ings', 'ing', 'ies', 'ied', 'ers', 'er', 'es', 'ed', 'ly', 's']) {
		if (!word.endsWith(ending) || word.length - ending.length < 3) continue;
		stem = word.slice(0, -ending.length);
		if (ending === 'ies' || ending === 'ied') stem += 'y';
		// "boxes", "dishes" lose "es"; "shoes", "hikes" only lose the "s".
		else if (ending === 'es' && !/(s|x|z|ch|sh)$/.test(stem)) stem = word.slice(0, -1);
		break;
	}
	// "hike" and "hiking" meet at "hik".
	return stem.length >= 4 && stem.endsWith('e') ? stem.slice(0, -1) : stem;
}

/** FNV-1a, 32 bits. */
function hash(text: string): number {
	let value = 0x811c9dc5;
	for (let index = 0; index < text.length; index++) {
		value ^= text.charCodeAt(index);
		value = Math.imul(value, 0x01000193);
	}
	return value >>> 0;
}

/** Adds a feature to the vector: its hash picks the dimension, one more bit of it the sign. */
function addFeature(vector: Float32Array, feature: string, weight: number): void {
	const value = hash(feature);
	const sign = value & 0x80000000 ? -1 : 1;
	vector[value % vector.length] += sign * weight;
}

/** The offline embedding of one text (length 1, or all zeros for a text with no words). */
export function lexicalEmbedding(text: string, dimensions = LEXICAL_DIMENSIONS): Float32Array {
	const vector = new Float32Array(dimensions);
	for (const word of wordsOf(text)) {
		const stem = stemOf(word);
		addFeature(vector, `s:${stem}`, 2);
		const padded = `<${stem}>`;
		for (let index = 0; index + 3 <= padded.length; index++) {
			addFeature(vector, `t:${padded.slice(index, index + 3)}`, 1);
		}
	}
	let norm = 0;
	for (const value of vector) norm += value * value;
	norm = Math.sqrt(norm);
	if (norm > 0) for (let index = 0; index < vector.length; index++) vector[index] /= norm;
	return vector;
}
