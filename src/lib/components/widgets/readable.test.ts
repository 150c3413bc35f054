import { describe, expect, it } from 'vitest';
import { humanize, prettyJson, readableEntries, readableValue } from './readable';

describe('readable', () => {
	it('turns names into words', () => {
		expect(humanize('order_status')).toBe('Order status');
		expect(humanize('firstName')).toBe('First name');
		expect(humanize('delivery-date')).toBe('Delivery date');
	});

	it('shows values as text', () => {
		expect(readableValue('Ada')).toBe('Ada');
		expect(readableValue(true)).toBe('yes');
		expect(readableValue(3)).toBe('3');
		expect(readableValue(null)).toBe('—');
		expect(readableValue(['a', 'b'])).toBe('["a","b"]');
	});

	it('lists a flat object, and leaves nested data to JSON', () => {
		expect(readableEntries({ order_id: 'A-1', shipped: false })).toEqual([
			{ label: 'Order id', value: 'A-1' },
			{ label: 'Shipped', value: 'no' }
		]);
		expect(readableEntries({ lines: [{ sku: 1 }] })).toBeUndefined();
		expect(readableEntries([1, 2])).toBeUndefined();
		expect(readableEntries({})).toBeUndefined();
		const circular: Record<string, unknown> = {};
		circular.self = circular;
		expect(prettyJson(circular)).toBe('[object Object]');
	});
});
