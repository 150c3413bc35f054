import { describe, expect, it } from 'vitest';
import { formatPosition, formatPrice, looksLikeSearchEnvelope, parseSearchEnvelope, safeImageUrl } from './search-envelope';

const metadata = { search_type: 'hybrid', total_results: 2, weights: { text: 0.7, vector: 0.3 }, query: 'lantern' };

describe('parseSearchEnvelope', () => {
	it('reads products in their order, with a safe picture link, score and source', () => {
		const result = parseSearchEnvelope({
			data: [
				{
					category: 'Camping',
					name: 'Emberglow LED Lantern',
					description: 'Rechargeable lantern.',
					price: 39,
					signed_url: '/api/files/abc123/raw?expires=1',
					scores: { hybrid: 0.016 },
					source: { id: 's1', name: 'shop-catalogue.csv' }
				},
				{ category: 'Home', name: 'Candle', description: '', price: null, signed_url: 'javascript:alert(1)', scores: { hybrid: 0.01 } }
			],
			metadata
		});
		expect(result).toEqual({
			kind: 'products',
			items: [
				{
					category: 'Camping',
					name: 'Emberglow LED Lantern',
					description: 'Rechargeable lantern.',
					price: 39,
					imageUrl: '/api/files/abc123/raw?expires=1',
					score: 0.016,
					sourceName: 'shop-catalogue.csv'
				},
				{ category: 'Home', name: 'Candle', description: '', price: null, score: 0.01, sourceName: null }
			],
			metadata: { searchType: 'hybrid', totalResults: 2, weights: { text: 0.7, vector: 0.3 }, query: 'lantern' }
		});
	});

	it('reads passages with their source and position', () => {
		const result = parseSearchEnvelope({
			data: [
				{
					text: 'Returns are free for 30 days.',
					source: { id: 's2', name: 'policy.md', file_id: 'f1' },
					position: 2,
					scores: { hybrid: 0.02 }
				}
			],
			metadata: { ...metadata, weights: 'heavy' }
		});
		expect(result?.kind).toBe('passages');
		expect(result?.items).toEqual([{ text: 'Returns are free for 30 days.', sourceName: 'policy.md', position: 2, score: 0.02 }]);
		expect(result?.metadata.weights).toBeNull();
	});

	it('reads an empty result, and refuses what is not the envelope or mixes unknown items', () => {
		expect(parseSearchEnvelope({ data: [], metadata })?.items).toEqual([]);
		expect(parseSearchEnvelope({ data: [{ title: 'x' }], metadata })).toBeUndefined();
		expect(parseSearchEnvelope({ data: ['text'], metadata })).toBeUndefined();
		expect(parseSearchEnvelope({ data: [], metadata: {} })).toBeUndefined();
		expect(parseSearchEnvelope({ result: 42 })).toBeUndefined();
		expect(parseSearchEnvelope('{"data":[]}')).toBeUndefined();
		expect(parseSearchEnvelope(null)).toBeUndefined();
	});
});

describe('looksLikeSearchEnvelope', () => {
	it('tells the envelope from other tool outputs', () => {
		expect(looksLikeSearchEnvelope({ data: [], metadata: { search_type: 'text' } })).toBe(true);
		expect(looksLikeSearchEnvelope({ data: [], metadata: {} })).toBe(false);
		expect(looksLikeSearchEnvelope({ result: 42 })).toBe(false);
		expect(looksLikeSearchEnvelope([1, 2])).toBe(false);
	});
});

describe('safeImageUrl', () => {
	it('keeps paths on this site and http(s) links, and drops the rest', () => {
		expect(safeImageUrl('/api/files/abc')).toBe('/api/files/abc');
		expect(safeImageUrl('https://bucket.s3.amazonaws.com/k?X-Amz-Signature=1')).toBe('https://bucket.s3.amazonaws.com/k?X-Amz-Signature=1');
		expect(safeImageUrl('//evil.example/x.png')).toBeUndefined();
		expect(safeImageUrl('/\\evil.example/x.png')).toBeUndefined();
		expect(safeImageUrl('javascript:alert(1)')).toBeUndefined();
		expect(safeImageUrl('data:image/png;base64,AAAA')).toBeUndefined();
		expect(safeImageUrl(42)).toBeUndefined();
	});
});

describe('formatting', () => {
	it('formats prices in dollars, and a missing one as on request', () => {
		expect(formatPrice(39)).toBe('$39.00');
		expect(formatPrice(1249.5)).toBe('$1,249.50');
		expect(formatPrice(0)).toBe('$0.00');
		expect(formatPrice(null)).toBe('Price on request');
	});

	it('numbers passages from 1', () => {
		expect(formatPosition(0)).toBe('Passage 1');
		expect(formatPosition(4)).toBe('Passage 5');
		expect(formatPosition(null)).toBeNull();
	});
});
