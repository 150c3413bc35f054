import { describe, expect, it } from 'vitest';
import { formatPrice } from './format-price';

describe('formatPrice', () => {
	it('formats in the currency given', () => {
		expect(formatPrice(1299, 'USD', 'en-US')).toBe('$1,299.00');
		expect(formatPrice(12.5, 'EUR', 'en-GB')).toBe('€12.50');
	});

	it('shows the number alone without a currency, and an unknown code beside it', () => {
		expect(formatPrice(12.5, undefined, 'en-US')).toBe('12.5');
		expect(formatPrice(3, 'GOLD COINS', 'en-US')).toBe('3 GOLD COINS');
	});
});
