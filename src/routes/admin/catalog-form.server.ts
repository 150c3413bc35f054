import { requireAdmin as requireAdminPage } from '$lib/server/http/require-admin';
import { error, fail, type RequestEvent } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { ZodError } from 'zod';
import { AppError } from '$lib/server/errors';
import { JsonInputError, parseJsonWithin } from '$lib/server/http/json-depth';

/** Sends visitors who are not signed in to the log-in page, and refuses everyone but admins (403). */
export function requireAdmin(event: Pick<RequestEvent, 'locals' | 'url'>): void {
	requireAdminPage(event.locals, event.url);
}

/** A form field that could not be read, e.g. JSON that does not parse. */
export class FormFieldError extends Error {
	constructor(
		readonly field: string,
		message: string
	) {
		super(message);
	}
}

/** What a failed admin form sends back: a message, the field at fault, and what was typed. */
export interface FormFailure {
	message: string;
	field?: string;
	values?: Record<string, unknown>;
}

/**
 * Turns an error of a tRPC call (or of reading the form) into a form failure with a clear message
 * naming its field; unexpected errors are rethrown for SvelteKit to log.
 */
export function formFailure(thrown: unknown, values?: Record<string, unknown>) {
	if (thrown instanceof FormFieldError) {
		return fail(400, { message: thrown.message, field: thrown.field, values } satisfies FormFailure);
	}
	if (!(thrown instanceof TRPCError) || thrown.code === 'INTERNAL_SERVER_ERROR') throw thrown;
	const status = getHTTPStatusCodeFromError(thrown);
	const cause = thrown.cause;
	if (cause instanceof ZodError) {
		const [issue] = cause.issues;
		const field = issue?.path.map(String).join('.') || undefined;
		const message = issue ? `${field ? `${field}: ` : ''}${issue.message}` : 'The form is not valid.';
		return fail(status, { message, field, values } satisfies FormFailure);
	}
	const field = cause instanceof AppError ? cause.field : undefined;
	return fail(status, { message: thrown.message, field: field === 'id' ? undefined : field, values } satisfies FormFailure);
}

/** A text field of a form ('' when absent). */
export function textField(form: FormData, name: string): string {
	const value = form.get(name);
	return typeof value === 'string' ? value : '';
}

/** A numeric form field; `null` when blank, `NaN` (refused by the schema) when not a number. */
export function numberField(form: FormData, name: string): number | null {
	const text = textField(form, name).trim();
	return text === '' ? null : Number(text);
}

/** A form field holding a JSON object; `null` when blank. */
export function jsonObjectField(form: FormData, name: string): Record<string, unknown> | null {
	const text = textField(form, name).trim();
	if (text === '') return null;
	let value: unknown;
	try {
		value = parseJsonWithin(text, { field: name, subject: name });
	} catch (thrown) {
		if (!(thrown instanceof JsonInputError)) throw thrown;
		const reason = thrown.reason === 'syntax' ? ` (${(thrown.cause as Error).message})` : '';
		throw new FormFieldError(name, `${name}: ${thrown.detail}${reason}.`);
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) {
		throw new FormFieldError(name, `${name}: must be a JSON object.`);
	}
	return value as Record<string, unknown>;
}

/** The id in a route parameter; 404 when it is not one. */
export function idParam(value: string): number {
	if (!/^\d+$/.test(value)) error(404, 'Not found');
	return Number(value);
}

/** A tRPC `NOT_FOUND` as SvelteKit's 404 page. */
export function notFoundAs404(thrown: unknown): never {
	if (thrown instanceof TRPCError && thrown.code === 'NOT_FOUND') error(404, thrown.message);
	throw thrown;
}
