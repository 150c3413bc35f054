import type { ToolResource } from '$lib/server/services/tool-admin';
import { FormFieldError } from '$lib/server/http/form-failure';
import { jsonObjectField, numberField, textField } from '../catalog-form.server';

/** The tool form's fields as typed: what the form shows again after a failed save. */
export interface ToolFormValues {
	name: string;
	description: string;
	kind: string;
	input_schema: string;
	requires_approval: boolean;
	url: string;
	method: string;
	headers: { name: string; value: string }[];
	timeout_ms: string;
	allowed_hosts: string;
}

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/** The form values of a tool. */
export function toolFormValues(tool: ToolResource): ToolFormValues {
	const { config } = tool;
	const headers = config.headers && typeof config.headers === 'object' ? (config.headers as Record<string, unknown>) : {};
	return {
		name: tool.name,
		description: tool.description,
		kind: tool.kind,
		input_schema: JSON.stringify(tool.input_schema, null, 2),
		requires_approval: tool.requires_approval,
		url: text(config.url),
		method: text(config.method) || 'GET',
		headers: Object.entries(headers).map(([name, value]) => ({ name, value: text(value) })),
		timeout_ms: typeof config.timeout_ms === 'number' ? String(config.timeout_ms) : '',
		allowed_hosts: Array.isArray(config.allowed_hosts) ? config.allowed_hosts.map(text).join(', ') : ''
	};
}

/** The header rows of the form, blank rows left out. */
function headerRows(form: FormData): { name: string; value: string }[] {
	const names = form.getAll('header_name').map(String);
	const values = form.getAll('header_value').map(String);
	return names.map((name, index) => ({ name: name.trim(), value: values[index] ?? '' })).filter((row) => row.name !== '');
}

/** What was typed, to show again. */
export function typedToolValues(form: FormData): ToolFormValues {
	return {
		name: textField(form, 'name'),
		description: textField(form, 'description'),
		kind: textField(form, 'kind'),
		input_schema: textField(form, 'input_schema'),
		requires_approval: form.has('requires_approval'),
		url: textField(form, 'url'),
		method: textField(form, 'method'),
		headers: headerRows(form),
		timeout_ms: textField(form, 'timeout_ms'),
		allowed_hosts: textField(form, 'allowed_hosts')
	};
}

/**
 * The tool input of a submitted form, for the admin service to validate (HTTP config included);
 * throws a `FormFieldError` when the input schema is not a JSON object.
 */
export function readToolForm(form: FormData) {
	const kind = textField(form, 'kind');
	const inputSchema = jsonObjectField(form, 'input_schema');
	if (!inputSchema) throw new FormFieldError('input_schema', 'input_schema: is required (a JSON Schema with "type": "object").');
	const timeout = numberField(form, 'timeout_ms');
	const config: Record<string, unknown> =
		kind === 'http'
			? {
					url: textField(form, 'url'),
					method: textField(form, 'method') || 'GET',
					headers: Object.fromEntries(headerRows(form).map((row) => [row.name, row.value])),
					...(timeout === null ? {} : { timeout_ms: timeout }),
					allowed_hosts: textField(form, 'allowed_hosts')
						.split(/[\s,]+/)
						.filter(Boolean)
				}
			: {};
	return {
		name: textField(form, 'name'),
		description: textField(form, 'description'),
		// The procedure's schema refuses any other kind with a message naming the field.
		kind: kind as 'builtin' | 'http' | 'client',
		input_schema: inputSchema,
		config,
		requires_approval: form.has('requires_approval')
	};
}
