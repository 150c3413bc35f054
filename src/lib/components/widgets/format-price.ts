/**
 * A price for people in its currency ("€12.50", "$1,299.00"); without a known currency, the
 * number alone with the code after it. `locale` defaults to the reader's.
 */
export function formatPrice(price: number, currency?: string, locale?: string): string {
	if (currency) {
		try {
			return new Intl.NumberFormat(locale, { style: 'currency', currency }).format(price);
		} catch {
			// An unknown currency code: shown as given, beside the number.
		}
	}
	const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 }).format(price);
	return currency ? `${number} ${currency}` : number;
}
