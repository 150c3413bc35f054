import { fail } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { ZodError } from 'zod';
import { AppError } from '$lib/server/errors';

/**
 * How a form action tells its page what went wrong: the one reading of a refused tRPC call, a
 * Parley error or an unreadable field as a status, a message and the field at fault.
 */

/** A form field that could not be read, e.g. JSON that does not parse. */
export class FormFieldError extends Error {
	constructor(
		readonly field: string,
		message: string
	) {
		super(message);
	}
}

/** What went wrong, as a form shows it. */
export interface FormError {
	/** The HTTP status the error names. */
	status: number;
	message: string;
	/** The form field at fault, when the error names one the person filled in. */
	field?: string;
}

/** What a failed admin form sends back: a message, the field at fault, and what was typed. */
export interface FormFailure {
	message: string;
	field?: string;
	values?: Record<string, unknown>;
}

/**
 * Reads an error thrown by a form action's work: a refused tRPC call (its input's first problem
 * when the schema refused it), a Parley error, or a {@link FormFieldError}. Anything unexpected
 * (an internal error, or not one of these) is rethrown for SvelteKit to log.
 */
export function readFormError(thrown: unknown): FormError {
	if (thrown instanceof FormFieldError) return { status: 400, message: thrown.message, field: thrown.field };
	if (thrown instanceof AppError) {
		if (thrown.code === 'internal') throw thrown;
		return { status: thrown.status, message: thrown.message, field: formField(thrown.field) };
	}
	if (!(thrown instanceof TRPCError) || thrown.code === 'INTERNAL_SERVER_ERROR') throw thrown;
	const status = getHTTPStatusCodeFromError(thrown);
	const cause = thrown.cause;
	if (cause instanceof ZodError) {
		const [issue] = cause.issues;
		const field = issue?.path.map(String).join('.') || undefined;
		const message = issue ? `${field ? `${field}: ` : ''}${issue.message}` : 'The form is not valid.';
		return { status, message, field };
	}
	return { status, message: thrown.message, field: formField(cause instanceof AppError ? cause.field : undefined) };
}

/** A record's id names no field the person filled in: such an error belongs to the whole form. */
function formField(field: string | undefined): string | undefined {
	return field === 'id' ? undefined : field;
}

/** {@link readFormError} as a form failure, with what was typed so the form can show it again. */
export function formFailure(thrown: unknown, values?: Record<string, unknown>) {
	const { status, message, field } = readFormError(thrown);
	return fail(status, { message, field, values } satisfies FormFailure);
}
