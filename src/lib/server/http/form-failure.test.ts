import { TRPCError } from '@trpc/server';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError } from '$lib/server/errors';
import { FormFieldError, formFailure, readFormError } from './form-failure';

/** A tRPC error as a procedure throws it: the code tRPC gives the AppError, which stays its cause. */
function refused(code: TRPCError['code'], cause: unknown, message = 'Refused.') {
	return new TRPCError({ code, message, cause });
}

describe('readFormError', () => {
	it('reads a field that could not be read', () => {
		expect(readFormError(new FormFieldError('context', 'context: must be a JSON object.'))).toEqual({
			status: 400,
			message: 'context: must be a JSON object.',
			field: 'context'
		});
	});

	it('reads a refused tRPC call: its HTTP status, message and the field its AppError names', () => {
		const conflict = new AppError('conflict', 'The slug "help" is taken.', { field: 'slug' });
		expect(readFormError(refused('CONFLICT', conflict, conflict.message))).toEqual({
			status: 409,
			message: 'The slug "help" is taken.',
			field: 'slug'
		});
		expect(readFormError(refused('NOT_FOUND', new AppError('not_found', 'No such key.', { field: 'id' })))).toEqual({
			status: 404,
			message: 'Refused.',
			field: undefined
		});
		expect(readFormError(refused('FORBIDDEN', undefined, 'Only admins may do this.'))).toEqual({
			status: 403,
			message: 'Only admins may do this.',
			field: undefined
		});
	});

	it('names the first problem of input the schema refused', () => {
		const result = z.object({ name: z.string().max(3) }).safeParse({ name: 'too long' });
		const zodError = result.error!;
		expect(readFormError(refused('BAD_REQUEST', zodError))).toEqual({
			status: 400,
			message: `name: ${zodError.issues[0].message}`,
			field: 'name'
		});
	});

	it('reads a Parley error thrown by the action itself', () => {
		const error = new AppError('unauthorized', 'That is not your current password.', { field: 'currentPassword' });
		expect(readFormError(error)).toEqual({ status: 401, message: error.message, field: 'currentPassword' });
	});

	it('rethrows what is unexpected', () => {
		const internal = refused('INTERNAL_SERVER_ERROR', new Error('disk full'));
		expect(() => readFormError(internal)).toThrow(internal);
		const plain = new Error('bug');
		expect(() => readFormError(plain)).toThrow(plain);
		const appInternal = new AppError('internal', 'Something went wrong.');
		expect(() => readFormError(appInternal)).toThrow(appInternal);
	});
});

describe('formFailure', () => {
	it('is a form failure with the status, message, field and what was typed', () => {
		const failure = formFailure(new FormFieldError('schema', 'schema: must be a JSON object.'), { name: 'Tool' });
		expect(failure.status).toBe(400);
		expect(failure.data).toEqual({ message: 'schema: must be a JSON object.', field: 'schema', values: { name: 'Tool' } });
	});
});
