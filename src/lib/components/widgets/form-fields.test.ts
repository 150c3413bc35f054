import { describe, expect, it } from 'vitest';
import { checkForm, describeForm, formFields, initialInputs } from './form-fields';

const schema = {
	type: 'object',
	properties: {
		name: { type: 'string', title: 'Name', minLength: 2 },
		email: { type: 'string', format: 'email' },
		visit_date: { type: 'string', format: 'date', description: 'The day you come.' },
		notes: { type: 'string', maxLength: 1000 },
		guests: { type: 'integer', minimum: 1, maximum: 8, default: 2 },
		budget: { type: ['number', 'null'] },
		newsletter: { type: 'boolean', title: 'Send me news' },
		plan: { enum: ['basic', 'pro'], default: 'pro' }
	},
	required: ['name', 'email', 'plan']
};

describe('formFields', () => {
	it('reads each property as a labelled field of the right kind, in order', () => {
		expect(formFields(schema)).toEqual([
			{ name: 'name', label: 'Name', required: true, kind: 'text', minLength: 2 },
			{ name: 'email', label: 'Email', required: true, kind: 'email' },
			{ name: 'visit_date', label: 'Visit date', description: 'The day you come.', required: false, kind: 'date' },
			{ name: 'notes', label: 'Notes', required: false, kind: 'textarea', maxLength: 1000 },
			{ name: 'guests', label: 'Guests', required: false, kind: 'number', integer: true, default: 2, minimum: 1, maximum: 8 },
			{ name: 'budget', label: 'Budget', required: false, kind: 'number', integer: false },
			{ name: 'newsletter', label: 'Send me news', required: false, kind: 'boolean' },
			{ name: 'plan', label: 'Plan', required: true, kind: 'enum', options: ['basic', 'pro'], default: 'pro' }
		]);
	});

	it('refuses what it cannot show as inputs', () => {
		expect(formFields(undefined)).toBeUndefined();
		expect(formFields({ type: 'array', items: {} })).toBeUndefined();
		expect(formFields({ type: 'object' })).toBeUndefined();
		expect(formFields({ type: 'object', properties: { address: { type: 'object', properties: {} } } })).toBeUndefined();
		expect(formFields({ type: 'object', properties: { tags: { type: 'array' } } })).toBeUndefined();
		expect(formFields({ type: 'object', properties: { size: { enum: [] } } })).toBeUndefined();
	});
});

describe('initialInputs and checkForm', () => {
	const fields = formFields(schema)!;

	it('starts from the defaults, and from the value already sent once there is one', () => {
		expect(initialInputs(fields)).toEqual({
			name: '',
			email: '',
			visit_date: '',
			notes: '',
			guests: '2',
			budget: '',
			newsletter: false,
			plan: '1'
		});
		const sent = initialInputs(fields, { name: 'Ada', email: 'ada@example.com', guests: 3, newsletter: true, plan: 'basic' });
		expect(sent).toMatchObject({ name: 'Ada', email: 'ada@example.com', guests: '3', newsletter: true, plan: '0', notes: '' });
	});

	it('names what is missing or wrong, field by field', () => {
		const inputs = { ...initialInputs(fields), plan: '', email: 'ada', guests: '9', visit_date: '2024-02-30', budget: 'lots' };
		expect(checkForm(fields, inputs)).toEqual({
			ok: false,
			errors: {
				name: 'Name is required.',
				email: 'Enter an email address such as name@example.com.',
				visit_date: 'Enter a date as YYYY-MM-DD.',
				guests: 'Enter 8 or less.',
				budget: 'Enter a number.',
				plan: 'Choose Plan.'
			}
		});
		expect(checkForm(fields, { ...initialInputs(fields), name: 'A', email: 'a@b.co', guests: '1.5' })).toEqual({
			ok: false,
			errors: { name: 'Use at least 2 characters.', guests: 'Enter a whole number.' }
		});
	});

	it('sends typed values, trimmed, leaving empty optional fields out', () => {
		const inputs = { ...initialInputs(fields), name: '  Ada ', email: 'ada@example.com', visit_date: '2024-12-03', budget: '12.5' };
		const result = checkForm(fields, inputs);
		expect(result).toEqual({
			ok: true,
			value: { name: 'Ada', email: 'ada@example.com', visit_date: '2024-12-03', guests: 2, budget: 12.5, newsletter: false, plan: 'pro' }
		});
		expect(result.ok && describeForm(fields, result.value)).toBe(
			'Name: Ada, Email: ada@example.com, Visit date: 2024-12-03, Guests: 2, Budget: 12.5, Send me news: no, Plan: pro'
		);
	});
});
