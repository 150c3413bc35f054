import { describe, expect, it } from 'vitest';
import { AppError } from '../errors';
import { assertValidSchema, validateTaskContext } from './context-schema';

const schema = {
	type: 'object',
	properties: {
		user_id: { type: 'string' },
		tier: { type: 'string', enum: ['free', 'pro'] },
		profile: { type: 'object', properties: { email: { type: 'string', format: 'email' } } }
	},
	required: ['user_id']
};

function errorOf(run: () => void): AppError {
	try {
		run();
	} catch (error) {
		if (error instanceof AppError) return error;
		throw error;
	}
	throw new Error('expected an AppError');
}

describe('validateTaskContext', () => {
	it('accepts a context that matches, and anything when the agent has no schema', () => {
		expect(() => validateTaskContext(schema, { user_id: 'u1', tier: 'pro' })).not.toThrow();
		expect(() => validateTaskContext(null, { anything: 1 })).not.toThrow();
	});

	it('answers 422 naming a missing required field', () => {
		const error = errorOf(() => validateTaskContext(schema, {}));
		expect(error.code).toBe('unprocessable');
		expect(error.status).toBe(422);
		expect(error.field).toBe('context.user_id');
		expect(error.message).toContain('context.user_id');
	});

	it('names a nested field with the wrong value', () => {
		expect(errorOf(() => validateTaskContext(schema, { user_id: 'u', tier: 'gold' })).field).toBe('context.tier');
		expect(errorOf(() => validateTaskContext(schema, { user_id: 'u', profile: { email: 'not-an-email' } })).field).toBe(
			'context.profile.email'
		);
	});

	it('treats a missing context as an empty object', () => {
		expect(errorOf(() => validateTaskContext(schema, null)).field).toBe('context.user_id');
	});
});

describe('assertValidSchema', () => {
	it('refuses a schema that does not compile', () => {
		expect(errorOf(() => assertValidSchema({ type: 'no-such-type' })).field).toBe('context_schema');
		expect(() => assertValidSchema(schema)).not.toThrow();
	});
});
