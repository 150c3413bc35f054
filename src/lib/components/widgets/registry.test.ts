import { describe, expect, it } from 'vitest';
import { resolveWidget, widgetRegistry } from './registry';

describe('resolveWidget', () => {
	it('finds the component of each built-in type for data that fits', () => {
		const resolved = resolveWidget('choice', { options: [{ value: 'a', label: 'A' }] });
		expect(resolved?.component).toBe(widgetRegistry.choice.component);
		expect(resolved?.data).toEqual({ options: [{ value: 'a', label: 'A' }], multiple: false });
		expect(Object.keys(widgetRegistry)).toEqual(['choice', 'form', 'product_carousel', 'appointment_picker']);
	});

	it('finds nothing for unknown types, inherited names or data that does not fit', () => {
		expect(resolveWidget('order_status', {})).toBeUndefined();
		expect(resolveWidget('constructor', {})).toBeUndefined();
		expect(resolveWidget('toString', {})).toBeUndefined();
		expect(resolveWidget('choice', { options: 'a, b' })).toBeUndefined();
		expect(resolveWidget('appointment_picker', null)).toBeUndefined();
	});
});
