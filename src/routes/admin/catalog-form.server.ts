import { requireAdmin as requireAdminPage } from '$lib/server/http/require-admin';
import { error, type RequestEvent } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { FormFieldError } from '$lib/server/http/form-failure';
import { JsonInputError, parseJsonWithin } from '$lib/server/http/json-depth';

/** Sends visitors who are not signed in to the log-in page, and refuses everyone but admins (403). */
export function requireAdmin(event: Pick<RequestEvent, 'locals' | 'url'>): void {
	requireAdminPage(event.locals, event.url);
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
