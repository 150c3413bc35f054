import { humanize, readableValue } from './readable';
import { isObject } from '../../is-object';

type Fields = Record<string, unknown>;

/** What every form field has, whatever its kind. */
interface FieldBase {
	/** The property's name in the schema and in the submitted object. */
	name: string;
	label: string;
	description?: string;
	required: boolean;
}

/** A text input: `text`, `email` and `date` by `format`, `textarea` for long texts (maxLength > 200). */
export interface TextField extends FieldBase {
	kind: 'text' | 'email' | 'date' | 'textarea';
	default?: string;
	minLength?: number;
	maxLength?: number;
}

/** A number input; `integer` for JSON Schema's `integer`. */
export interface NumberField extends FieldBase {
	kind: 'number';
	integer: boolean;
	default?: number;
	minimum?: number;
	maximum?: number;
}

/** A checkbox. */
export interface BooleanField extends FieldBase {
	kind: 'boolean';
	default?: boolean;
}

/** A select over the schema's `enum` values. */
export interface EnumField extends FieldBase {
	kind: 'enum';
	options: (string | number | boolean)[];
	default?: string | number | boolean;
}

/** One input of a form widget, read from one property of its JSON Schema. */
export type FormField = TextField | NumberField | BooleanField | EnumField;

/** What the inputs hold: text for text, number and select inputs (a select holds the option's index), a flag for checkboxes. */
export type FormInputs = Record<string, string | boolean>;

/** The result of checking the inputs: the object to send, or a message per field that needs fixing. */
export type FormCheck = { ok: true; value: Record<string, unknown> } | { ok: false; errors: Record<string, string> };

function finite(value: unknown): number | undefined {
	return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function text(value: unknown): string | undefined {
	return typeof value === 'string' && value !== '' ? value : undefined;
}

function isEnumValue(value: unknown): value is string | number | boolean {
	return typeof value === 'string' || typeof value === 'boolean' || finite(value) !== undefined;
}

/** The property's JSON Schema type, leaving out `null` from a `["string", "null"]` union. */
function typeOf(property: Fields): string | undefined {
	if (typeof property.type === 'string') return property.type;
	if (Array.isArray(property.type)) {
		const types = property.type.filter((type) => type !== 'null');
		return types.length === 1 && typeof types[0] === 'string' ? types[0] : undefined;
	}
	return undefined;
}

function fieldOf(name: string, property: Fields, required: boolean): FormField | undefined {
	const base: FieldBase = {
		name,
		label: text(property.title) ?? humanize(name),
		...(text(property.description) ? { description: property.description as string } : {}),
		required
	};
	const type = typeOf(property);
	if (Array.isArray(property.enum)) {
		const options = property.enum.filter(isEnumValue);
		if (options.length === 0 || options.length !== property.enum.length) return undefined;
		const fallback = options.find((option) => option === property.default);
		return { ...base, kind: 'enum', options, ...(fallback !== undefined ? { default: fallback } : {}) };
	}
	if (type === 'string' || type === undefined) {
		const minLength = finite(property.minLength);
		const maxLength = finite(property.maxLength);
		const kind = property.format === 'email' ? 'email' : property.format === 'date' ? 'date' : (maxLength ?? 0) > 200 ? 'textarea' : 'text';
		return {
			...base,
			kind,
			...(typeof property.default === 'string' ? { default: property.default } : {}),
			...(minLength !== undefined ? { minLength } : {}),
			...(maxLength !== undefined ? { maxLength } : {})
		};
	}
	if (type === 'number' || type === 'integer') {
		const minimum = finite(property.minimum);
		const maximum = finite(property.maximum);
		const fallback = finite(property.default);
		return {
			...base,
			kind: 'number',
			integer: type === 'integer',
			...(fallback !== undefined ? { default: fallback } : {}),
			...(minimum !== undefined ? { minimum } : {}),
			...(maximum !== undefined ? { maximum } : {})
		};
	}
	if (type === 'boolean') {
		return { ...base, kind: 'boolean', ...(typeof property.default === 'boolean' ? { default: property.default } : {}) };
	}
	// Objects and arrays have no input here: the form cannot collect them.
	return undefined;
}

/**
 * The fields of a JSON Schema object, in the order of its `properties`; undefined when the schema
 * is not an object schema or one of its properties has no input here (nested objects, arrays).
 */
export function formFields(schema: unknown): FormField[] | undefined {
	if (!isObject(schema) || (schema.type !== undefined && schema.type !== 'object') || !isObject(schema.properties)) return undefined;
	const required = new Set(Array.isArray(schema.required) ? schema.required.filter((name) => typeof name === 'string') : []);
	const fields: FormField[] = [];
	for (const [name, property] of Object.entries(schema.properties)) {
		const field = isObject(property) ? fieldOf(name, property, required.has(name)) : undefined;
		if (!field) return undefined;
		fields.push(field);
	}
	return fields;
}

/** What one field's input holds for a value (a default, or a value already sent). */
function inputOf(field: FormField, value: unknown): string | boolean {
	switch (field.kind) {
		case 'boolean':
			return value === true;
		case 'enum': {
			const index = field.options.findIndex((option) => option === value);
			return index === -1 ? '' : String(index);
		}
		case 'number':
			return finite(value) === undefined ? '' : String(value);
		default:
			return typeof value === 'string' ? value : '';
	}
}

/** The inputs at first: the value already sent when there is one, else each field's default. */
export function initialInputs(fields: FormField[], submitted?: unknown): FormInputs {
	const sent = isObject(submitted) ? submitted : undefined;
	return Object.fromEntries(fields.map((field) => [field.name, inputOf(field, sent ? sent[field.name] : field.default)]));
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function isDate(value: string): boolean {
	const match = DATE.exec(value);
	if (!match) return false;
	const date = new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])));
	return date.toISOString().startsWith(value);
}

/** Checks one field: its value (undefined when left empty), or why it cannot be sent. */
function checkField(field: FormField, input: string | boolean | undefined): { value?: unknown; error?: string } {
	if (field.kind === 'boolean') return { value: input === true };
	const raw = typeof input === 'string' ? input.trim() : '';
	if (raw === '') return field.required ? { error: field.kind === 'enum' ? `Choose ${field.label}.` : `${field.label} is required.` } : {};
	switch (field.kind) {
		case 'enum': {
			const option = field.options[Number(raw)];
			return option === undefined ? { error: `Choose ${field.label}.` } : { value: option };
		}
		case 'number': {
			const value = Number(raw);
			if (!Number.isFinite(value)) return { error: 'Enter a number.' };
			if (field.integer && !Number.isInteger(value)) return { error: 'Enter a whole number.' };
			if (field.minimum !== undefined && value < field.minimum) return { error: `Enter ${field.minimum} or more.` };
			if (field.maximum !== undefined && value > field.maximum) return { error: `Enter ${field.maximum} or less.` };
			return { value };
		}
		default: {
			if (field.minLength !== undefined && raw.length < field.minLength) return { error: `Use at least ${field.minLength} characters.` };
			if (field.maxLength !== undefined && raw.length > field.maxLength) return { error: `Use at most ${field.maxLength} characters.` };
			if (field.kind === 'email' && !EMAIL.test(raw)) return { error: 'Enter an email address such as name@example.com.' };
			if (field.kind === 'date' && !isDate(raw)) return { error: 'Enter a date as YYYY-MM-DD.' };
			return { value: raw };
		}
	}
}

/** Checks the inputs against the fields: the object to send (empty optional fields left out), or the messages. */
export function checkForm(fields: FormField[], inputs: FormInputs): FormCheck {
	const value: Record<string, unknown> = {};
	const errors: Record<string, string> = {};
	for (const field of fields) {
		const result = checkField(field, inputs[field.name]);
		if (result.error) errors[field.name] = result.error;
		else if (result.value !== undefined) value[field.name] = result.value;
	}
	return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, value };
}

/** A sent form for people, in the fields' order: "Name: Ada, Email: ada@example.com". */
export function describeForm(fields: FormField[], value: Record<string, unknown>): string {
	return fields
		.filter((field) => value[field.name] !== undefined)
		.map((field) => `${field.label}: ${readableValue(value[field.name])}`)
		.join(', ');
}
