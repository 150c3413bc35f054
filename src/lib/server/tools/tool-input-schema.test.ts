import { describe, expect, it } from 'vitest';
import { inputChecker, toolInputSchema } from './tool-input-schema';

const schema = {
	type: 'object',
	properties: {
		order: {
			type: 'object',
			properties: { lines: { type: 'array', items: { type: 'object', properties: { qty: { type: 'integer', minimum: 1 } } } } }
		},
		'a/b': { type: 'string' }
	},
	required: ['order'],
	additionalProperties: false
};

/** The message of a failed check, or `ok`. */
function outcome(check: ReturnType<typeof inputChecker>, input: unknown): string {
	const result = check(input);
	return result.success ? 'ok' : result.error.message;
}

describe('inputChecker', () => {
	const check = inputChecker('shop', schema, { strict: true });

	it('passes input that matches', () => {
		expect(outcome(check, { order: { lines: [{ qty: 2 }] } })).toBe('ok');
	});

	it('names the field at fault, however deep', () => {
		expect(outcome(check, { order: { lines: [{ qty: 2 }, { qty: 0 }] } })).toBe('input.order.lines.1.qty must be >= 1.');
		expect(outcome(check, { order: {}, 'a/b': 3 })).toBe('input.a/b must be string.');
		expect(outcome(check, {})).toBe('input.order is required.');
		expect(outcome(check, { order: {}, extra: 1 })).toBe("input.extra is not a property of this tool's input.");
		expect(outcome(check, 'text')).toBe('input must be object.');
		const sizes = inputChecker('t', { type: 'object', properties: { size: { enum: ['S', 'M', 1] } } }, { strict: true });
		expect(outcome(sizes, { size: 'XL' })).toBe('input.size must be one of "S", "M", 1.');
	});

	it('fails every input of a schema it cannot compile when strict, and none otherwise', () => {
		const broken = { type: 'object', properties: { a: { $ref: '#/nowhere' } } };
		expect(outcome(inputChecker('t', broken, { strict: true }), {})).toMatch(/^The tool "t" has an input schema that cannot be checked: /);
		expect(outcome(inputChecker('t', broken, { strict: false }), {})).toBe('ok');
	});

	it('keeps checking correctly past the cache of compiled schemas, and lets two schemas share an $id', () => {
		for (let index = 0; index < 600; index++) {
			const own = inputChecker(
				't',
				{ $id: 'https://example.com/same', type: 'object', properties: { n: { const: index } } },
				{ strict: true }
			);
			expect(outcome(own, { n: index })).toBe('ok');
			expect(outcome(own, { n: index + 1 })).toBe('input.n must be equal to constant.');
		}
		expect(outcome(check, { order: {} })).toBe('ok');
	});
});

describe('toolInputSchema', () => {
	it('keeps the JSON Schema for the model and validates with it', async () => {
		const inputSchema = toolInputSchema('shop', schema, { strict: true });
		expect(inputSchema.jsonSchema).toEqual(schema);
		expect(await inputSchema.validate?.({ order: {} })).toEqual({ success: true, value: { order: {} } });
		expect(await inputSchema.validate?.({})).toMatchObject({ success: false, error: new Error('input.order is required.') });
	});
});
