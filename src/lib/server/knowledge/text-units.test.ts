import { describe, expect, it } from 'vitest';
import { catalogueRowText, parseCatalogue, parsePrice } from './catalogue';
import { chunkText } from './chunk-text';
import { lexicalEmbedding, stemOf, wordsOf } from './lexical-embedding';
import { productPicture } from './product-picture';

function cosine(a: Float32Array, b: Float32Array): number {
	let dot = 0;
	for (let index = 0; index < a.length; index++) dot += a[index] * b[index];
	return dot;
}

describe('chunkText', () => {
	it('keeps chunks within the size, cuts at sentences and repeats the last sentences of one chunk in the next', () => {
		const sentences = Array.from({ length: 40 }, (_, index) => `Sentence number ${index} says something.`);
		const chunks = chunkText(sentences.join(' '), { size: 200, overlap: 60 });
		expect(chunks.length).toBeGreaterThan(5);
		for (const chunk of chunks) {
			expect(chunk.length).toBeLessThanOrEqual(200);
			expect(chunk).toMatch(/^Sentence number \d+ says something\./);
			expect(chunk).toMatch(/something\.$/);
		}
		for (let index = 1; index < chunks.length; index++) {
			const lastOfPrevious = chunks[index - 1].split(/(?<=\.) /).at(-1)!;
			expect(chunks[index].startsWith(lastOfPrevious), `chunk ${index} overlaps the one before`).toBe(true);
		}
		const all = chunks.join(' ');
		for (const sentence of sentences) expect(all).toContain(sentence);
	});

	it('cuts a sentence longer than a chunk at spaces, and returns nothing for blank text', () => {
		const long = Array.from({ length: 100 }, (_, index) => `word${index}`).join(' ');
		const chunks = chunkText(long, { size: 120, overlap: 20 });
		expect(chunks.every((chunk) => chunk.length <= 120)).toBe(true);
		expect(chunks.join(' ').split(' ')).toEqual(expect.arrayContaining(['word0', 'word99']));
		expect(chunkText('  \n\n ')).toEqual([]);
	});
});

describe('parseCatalogue', () => {
	it('reads CSV with usual column names, prices in any format and extra columns', () => {
		const rows = parseCatalogue(
			'Title,Details,Department,Unit Price,Brand\nTent,"Two doors, light",Camping,"$1,249.00",Ridge\n,,,,\nMug,Enamel,Kitchen,"9,50 €",',
			'csv'
		);
		expect(rows).toEqual([
			{
				product: { name: 'Tent', description: 'Two doors, light', category: 'Camping', price: 1249 },
				extra: { Brand: 'Ridge' },
				image: null
			},
			{ product: { name: 'Mug', description: 'Enamel', category: 'Kitchen', price: 9.5 }, extra: {}, image: null }
		]);
		expect(catalogueRowText(rows[0])).toBe('Tent (Camping). Two doors, light Brand: Ridge.');
	});

	it('reads JSON arrays or an object holding one', () => {
		const rows = parseCatalogue(JSON.stringify({ products: [{ name: 'Lamp', price: 75, image: '/api/files/abcdefgh12' }] }), 'json');
		expect(rows[0]).toMatchObject({ product: { name: 'Lamp', price: 75, description: '', category: '' }, image: '/api/files/abcdefgh12' });
	});

	it('refuses catalogues with no usable rows, naming the problem', () => {
		expect(() => parseCatalogue('sku,colour\n1,red', 'csv')).toThrow(/no row with a name/);
		expect(() => parseCatalogue('name\n', 'csv')).toThrow(/no rows/);
		expect(() => parseCatalogue('{', 'json')).toThrow(/not valid JSON/);
		expect(() => parseCatalogue('name,price\n"unclosed,1', 'csv')).toThrow(/not valid CSV/);
	});

	it('reads prices', () => {
		expect(parsePrice('49')).toBe(49);
		expect(parsePrice('49,90 €')).toBe(49.9);
		expect(parsePrice('$2,500')).toBe(2500);
		expect(parsePrice('free')).toBeNull();
		expect(parsePrice(12.345)).toBe(12.345);
	});
});

describe('the offline embedding', () => {
	it('is deterministic, of length 1, and puts word forms close and other words far', () => {
		const lantern = lexicalEmbedding('lantern');
		expect(lexicalEmbedding('lantern')).toEqual(lantern);
		expect(cosine(lantern, lantern)).toBeCloseTo(1, 5);
		expect(cosine(lantern, lexicalEmbedding('Lanterns'))).toBeCloseTo(1, 5);
		expect(cosine(lexicalEmbedding('hike'), lexicalEmbedding('hiking'))).toBeCloseTo(1, 5);
		expect(cosine(lantern, lexicalEmbedding('skillet'))).toBeLessThan(0.2);
		expect([...lexicalEmbedding('the of and')].every((value) => value === 0)).toBe(true);
	});

	it('stems common endings and drops stop words and accents', () => {
		expect(['boots', 'boxes', 'batteries', 'shoes', 'hiking', 'hikes', 'camped'].map(stemOf)).toEqual([
			'boot',
			'box',
			'battery',
			'sho',
			'hik',
			'hik',
			'camp'
		]);
		expect(wordsOf('The Café of the Pyrénées!')).toEqual(['cafe', 'pyrenees']);
	});
});

describe('productPicture', () => {
	it('is a PNG, the same for the same product', () => {
		const picture = productPicture('Camping', 'Tent', 24, 16);
		expect([...picture.slice(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
		expect(productPicture('Camping', 'Tent', 24, 16)).toEqual(picture);
		expect(productPicture('Camping', 'Lamp', 24, 16)).not.toEqual(picture);
	});
});
