import { describe, expect, it } from 'vitest';
import { readAppointmentPicker, readChoice, readForm, readProductCarousel } from './widget-data';

describe('readChoice', () => {
	it('reads options, the label defaulting to the value', () => {
		expect(
			readChoice({ question: 'Which team?', options: [{ value: 'billing', label: 'Billing', description: 'Invoices' }, { value: 'tech' }] })
		).toEqual({
			question: 'Which team?',
			options: [
				{ value: 'billing', label: 'Billing', description: 'Invoices' },
				{ value: 'tech', label: 'tech' }
			],
			multiple: false
		});
	});

	it('refuses data without usable options', () => {
		expect(readChoice({ question: 'Which?' })).toBeUndefined();
		expect(readChoice({ options: [] })).toBeUndefined();
		expect(readChoice({ options: [{ label: 'No value' }] })).toBeUndefined();
		expect(readChoice('billing')).toBeUndefined();
	});
});

describe('readForm', () => {
	it('reads the fields from the schema', () => {
		const form = readForm({ title: 'Contact', schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] } });
		expect(form).toEqual({ title: 'Contact', fields: [{ name: 'name', label: 'Name', required: true, kind: 'text' }] });
		expect(readForm({ schema: { type: 'string' } })).toBeUndefined();
	});
});

describe('readProductCarousel', () => {
	it('keeps safe links only and reads numeric ids as text', () => {
		expect(
			readProductCarousel({
				products: [
					{ id: 7, name: 'Mug', price: 12.5, currency: 'EUR', image: 'https://shop.example/mug.png', url: 'javascript:alert(1)' },
					{ id: 'tea', name: 'Tea', price: 'cheap', url: '/products/tea' }
				]
			})
		).toEqual({
			products: [
				{ id: '7', name: 'Mug', price: 12.5, currency: 'EUR', image: 'https://shop.example/mug.png' },
				{ id: 'tea', name: 'Tea', url: '/products/tea' }
			]
		});
	});

	it('refuses products without an id or a name', () => {
		expect(readProductCarousel({ products: [{ id: 'a' }] })).toBeUndefined();
		expect(readProductCarousel({ products: 'none' })).toBeUndefined();
	});
});

describe('readAppointmentPicker', () => {
	const slots = [{ start: '2024-12-03T09:00:00Z', end: '2024-12-03T09:30:00Z' }];

	it('reads a time zone and dated slots', () => {
		expect(readAppointmentPicker({ timeZone: 'Europe/Paris', durationMinutes: 30, slots })).toEqual({
			timeZone: 'Europe/Paris',
			durationMinutes: 30,
			slots
		});
		expect(readAppointmentPicker({ timeZone: 'UTC', durationMinutes: -5, slots })).toEqual({ timeZone: 'UTC', slots });
	});

	it('refuses an unknown time zone or slots that are not dates', () => {
		expect(readAppointmentPicker({ timeZone: 'Mars/Olympus', slots })).toBeUndefined();
		expect(readAppointmentPicker({ slots })).toBeUndefined();
		expect(readAppointmentPicker({ timeZone: 'UTC', slots: [{ start: 'tomorrow', end: 'later' }] })).toBeUndefined();
	});
});
