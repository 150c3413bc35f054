import { isObject } from '../../../is-object';
import { words } from './text';

/**
 * A deterministic value that matches a JSON Schema, for the offline model's JSON answers and the
 * tool calls it is made to make: strings from the prompt's words (or what their `format`, `enum`
 * or `const` asks), numbers 1 (within `minimum`/`maximum`), `true`, arrays of one item (or
 * `minItems`), objects with every declared property.
 */

/** How deep a schema is followed; deeper (recursive) schemas get `null`. */
const MAX_DEPTH = 12;
/** How many of the prompt's words a string holds. */
const STRING_WORDS = 8;

/** Values for the string formats a validator checks. */
const FORMAT_VALUES: Record<string, string> = {
	'date-time': '2026-01-01T00:00:00Z',
	date: '2026-01-01',
	time: '00:00:00Z',
	email: 'user@example.com',
	uri: 'https://example.com/',
	url: 'https://example.com/',
	uuid: '00000000-0000-4000-8000-000000000000',
	hostname: 'example.com',
	ipv4: '192.0.2.1',
	ipv6: '2001:db8::1'
};

/** A value matching `schema`; strings are made of `text`'s words (`fallback` when it has none). */
export function schemaValue(schema: unknown, text: string, fallback = 'answer'): unknown {
	const sentence = words(text).slice(0, STRING_WORDS).join(' ') || fallback;
	return valueOf(schema, { root: schema, sentence, depth: 0 });
}

interface Walk {
	root: unknown;
	sentence: string;
	depth: number;
}

function valueOf(schema: unknown, walk: Walk): unknown {
	if (!isObject(schema) || walk.depth > MAX_DEPTH) return walk.depth > MAX_DEPTH ? null : walk.sentence;
	const next = { ...walk, depth: walk.depth + 1 };
	if (typeof schema.$ref === 'string') return valueOf(resolveRef(walk.root, schema.$ref), next);
	if (schema.const !== undefined) return schema.const;
	if (Array.isArray(schema.enum) && schema.enum.length > 0) return schema.enum[0];
	if (schema.default !== undefined) return schema.default;
	const alternatives = [schema.anyOf, schema.oneOf].find((list): list is unknown[] => Array.isArray(list) && list.length > 0);
	if (alternatives) return valueOf(alternatives.find((option) => !(isObject(option) && option.type === 'null')) ?? alternatives[0], next);
	if (Array.isArray(schema.allOf) && schema.allOf.length > 0) {
		const parts = schema.allOf.map((part) => valueOf(part, next));
		return parts.every(isObject) ? Object.assign({}, ...parts) : parts[0];
	}
	switch (typeOf(schema)) {
		case 'object':
			return objectOf(schema, next);
		case 'array':
			return arrayOf(schema, next);
		case 'string':
			return stringOf(schema, walk.sentence);
		case 'integer':
			return numberOf(schema, true);
		case 'number':
			return numberOf(schema, false);
		case 'boolean':
			return true;
		case 'null':
			return null;
		default:
			return walk.sentence;
	}
}

/** The schema's (first non-null) type; `object` when it declares properties, `array` with items. */
function typeOf(schema: Record<string, unknown>): string | undefined {
	const types: unknown[] = Array.isArray(schema.type) ? schema.type : [schema.type];
	const type = types.find((candidate): candidate is string => typeof candidate === 'string' && candidate !== 'null');
	if (type) return type;
	if (types.includes('null')) return 'null';
	if (isObject(schema.properties)) return 'object';
	if (schema.items !== undefined) return 'array';
	return undefined;
}

/** `#/$defs/name` (or `#/definitions/name`, any JSON pointer) inside the root schema. */
function resolveRef(root: unknown, ref: string): unknown {
	if (!ref.startsWith('#')) return undefined;
	let node: unknown = root;
	for (const key of ref.slice(1).split('/').filter(Boolean)) {
		const name = key.replace(/~1/g, '/').replace(/~0/g, '~');
		node = isObject(node) ? node[name] : undefined;
	}
	return node;
}

function objectOf(schema: Record<string, unknown>, walk: Walk): Record<string, unknown> {
	const properties = isObject(schema.properties) ? schema.properties : {};
	const result: Record<string, unknown> = {};
	for (const [key, property] of Object.entries(properties)) result[key] = valueOf(property, walk);
	const required = Array.isArray(schema.required) ? schema.required.filter((key): key is string => typeof key === 'string') : [];
	for (const key of required) if (!Object.hasOwn(result, key)) result[key] = walk.sentence;
	return result;
}

function arrayOf(schema: Record<string, unknown>, walk: Walk): unknown[] {
	const count = Math.max(1, typeof schema.minItems === 'number' ? schema.minItems : 1);
	if (Array.isArray(schema.prefixItems)) return schema.prefixItems.map((item) => valueOf(item, walk));
	return Array.from({ length: count }, () => valueOf(schema.items, walk));
}

function stringOf(schema: Record<string, unknown>, sentence: string): string {
	const formatted = typeof schema.format === 'string' ? FORMAT_VALUES[schema.format] : undefined;
	let value = formatted ?? sentence;
	const min = typeof schema.minLength === 'number' ? schema.minLength : 0;
	const max = typeof schema.maxLength === 'number' ? schema.maxLength : Infinity;
	while (value.length < min) value += ` ${sentence}`;
	return value.slice(0, Math.max(min, Math.min(value.length, max)));
}

function numberOf(schema: Record<string, unknown>, integer: boolean): number {
	const low =
		typeof schema.minimum === 'number'
			? schema.minimum
			: typeof schema.exclusiveMinimum === 'number'
				? schema.exclusiveMinimum + 1
				: -Infinity;
	const high =
		typeof schema.maximum === 'number'
			? schema.maximum
			: typeof schema.exclusiveMaximum === 'number'
				? schema.exclusiveMaximum - 1
				: Infinity;
	const value = Math.min(Math.max(1, low), high);
	return integer ? Math.ceil(value) : value;
}
