/** What a failed admin form sends back (see `formFailure` on the server). */
export interface AdminFormFailure {
	message: string;
	field?: string;
	values?: Record<string, unknown>;
}

/** An action result, narrowed to a failure when it is one. */
export function asFailure(form: unknown): AdminFormFailure | null {
	return form && typeof form === 'object' && 'message' in form && typeof form.message === 'string' ? (form as AdminFormFailure) : null;
}

/** Suggests a slug from a name: lower case, words joined by "-". */
export function slugify(name: string): string {
	return name
		.normalize('NFKD')
		.replace(/[\u0300-\u036f]/g, '')
		.toLowerCase()
		.replace(/[^a-z0-9.]+/g, '-')
		.replace(/^[-.]+|-+$/g, '')
		.slice(0, 100);
}

/** The error of a JSON object typed in a field, or null when fine; blank is fine unless required. */
export function jsonObjectError(text: string, options: { required?: boolean; objectSchema?: boolean } = {}): string | null {
	if (text.trim() === '') return options.required ? 'Required: a JSON object.' : null;
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch (error) {
		return `Not valid JSON: ${(error as Error).message}`;
	}
	if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'Must be a JSON object ({ … }).';
	if (options.objectSchema && (value as Record<string, unknown>).type !== 'object') {
		return 'Must be the JSON Schema of an object: "type": "object".';
	}
	return null;
}
