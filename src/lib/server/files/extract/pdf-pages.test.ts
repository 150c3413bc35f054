import { describe, expect, it } from 'vitest';
import { minimalPdf, textPdf } from '../../../../../tests/support/minimal-pdf';
import { countPdfPages } from './pdf-pages';

describe('countPdfPages', () => {
	it('counts page objects, not the page tree', () => {
		expect(countPdfPages(minimalPdf(['One page.']))).toBe(1);
		expect(countPdfPages(textPdf([['a'], ['b'], ['c'], ['d']]))).toBe(4);
		const three = new TextEncoder().encode(
			'%PDF-1.4 <</Type/Pages/Count 3>> <</Type /Page>> <</Type/Page/Parent 2 0 R>> <</Type\n/Page >>'
		);
		expect(countPdfPages(three)).toBe(3);
	});

	it('does not know when the pages are hidden in compressed object streams', () => {
		expect(countPdfPages(new TextEncoder().encode('%PDF-1.7 <</Type/ObjStm/N 4>> stream …'))).toBeUndefined();
	});
});
