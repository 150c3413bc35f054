import fc from 'fast-check';
import { isObject } from '../../src/lib/is-object';

/** A JSON Schema node as `/openapi.json` (OpenAPI 3.1, JSON Schema 2020-12) writes it. */
export type Schema = boolean | { [keyword: string]: unknown };

/** Looks up a local `$ref` (`#/components/schemas/Error`) in the document. */
export type ResolveRef = (ref: string) => Schema;

/** Real values for properties of these names (an agent's slug for `model`), so that bodies reach past the 404s. */
export type Hints = Record<string, readonly unknown[]>;

/** Strings that have broken servers before: control characters, paths, encodings, markup, sizes. */
const NASTY_STRINGS = [
	'',
	' ',
	'\u0000',
	'\r\n',
	'%ff',
	'%E0%A4%A',
	'../../../../etc/passwd',
	'<script>alert(1)</script>',
	'{"a":',
	'null',
	'-1',
	'1e309',
	'🤖'.repeat(64),
	'\ud800',
	'a'.repeat(10_000)
];

/** Any JSON value, a few levels deep: what a caller may send where a schema asks for something else. */
const anyJson = fc.jsonValue({ maxDepth: 3 });

/** A hostile string: mostly random, sometimes one of the known nasty ones. */
const hostileString = fc.oneof(
	{ weight: 3, arbitrary: fc.string({ maxLength: 40 }) },
	{ weight: 2, arbitrary: fc.constantFrom(...NASTY_STRINGS) }
);

function asObject(schema: unknown): Record<string, unknown> {
	return isObject(schema) ? schema : {};
}

function numberBetween(node: Record<string, unknown>, integer: boolean): fc.Arbitrary<number> {
	const min = typeof node.minimum === 'number' ? node.minimum : undefined;
	const max = typeof node.maximum === 'number' ? node.maximum : undefined;
	if (integer) {
		return fc.integer({
			min: min === undefined ? -1_000_000 : Math.max(Math.ceil(min), Number.MIN_SAFE_INTEGER),
			max: max === undefined ? 1_000_000 : Math.min(Math.floor(max), Number.MAX_SAFE_INTEGER)
		});
	}
	return fc.double({ min: min ?? -1e9, max: max ?? 1e9, noNaN: true });
}

function stringFor(node: Record<string, unknown>): fc.Arbitrary<string> {
	switch (node.format) {
		case 'uri':
		case 'url':
			return fc.webUrl();
		case 'email':
			return fc.emailAddress();
		case 'date-time':
			return fc.date({ noInvalidDate: true }).map((date) => date.toISOString());
		case 'uuid':
			return fc.uuid();
	}
	const minLength = typeof node.minLength === 'number' ? node.minLength : 0;
	const maxLength = typeof node.maxLength === 'number' ? Math.min(node.maxLength, minLength + 60) : minLength + 60;
	return fc.string({ minLength, maxLength });
}

/**
 * A fast-check arbitrary of values that fit a JSON Schema, with `hostility` (0 to 1) the chance
 * that any one node is replaced by something that does not fit it (a value of another type, a
 * nasty string, a missing required property). Depth is bounded so that recursive schemas end.
 */
export function schemaArbitrary(schema: Schema, resolve: ResolveRef, hostility = 0.1, hints: Hints = {}, depth = 0): fc.Arbitrary<unknown> {
	const fitting = fittingArbitrary(schema, resolve, hostility, hints, depth);
	if (hostility <= 0) return fitting;
	const hostileWeight = Math.max(1, Math.round(hostility * 100));
	return fc.oneof(
		{ weight: 100 - hostileWeight, arbitrary: fitting },
		{ weight: hostileWeight, arbitrary: fc.oneof(anyJson, hostileString) }
	);
}

function fittingArbitrary(schema: Schema, resolve: ResolveRef, hostility: number, hints: Hints, depth: number): fc.Arbitrary<unknown> {
	if (schema === true || depth > 8) return anyJson;
	if (schema === false) return fc.constant(null);
	const node = asObject(schema);
	const child = (next: Schema) => schemaArbitrary(next, resolve, hostility, hints, depth + 1);
	if (typeof node.$ref === 'string') return fittingArbitrary(resolve(node.$ref), resolve, hostility, hints, depth + 1);
	if ('const' in node) return fc.constant(node.const);
	if (Array.isArray(node.enum) && node.enum.length > 0) return fc.constantFrom(...node.enum);
	for (const key of ['anyOf', 'oneOf'] as const) {
		const options = node[key];
		if (Array.isArray(options) && options.length > 0) return fc.oneof(...options.map((option) => child(option as Schema)));
	}
	if (Array.isArray(node.allOf) && node.allOf.length > 0) {
		return fittingArbitrary(mergeAllOf(node.allOf as Schema[], resolve), resolve, hostility, hints, depth);
	}
	const types = Array.isArray(node.type) ? (node.type as string[]) : typeof node.type === 'string' ? [node.type] : [];
	if (types.length > 1) return fc.oneof(...types.map((type) => fittingArbitrary({ ...node, type }, resolve, hostility, hints, depth)));
	const type = types[0] ?? (node.properties ? 'object' : node.items ? 'array' : undefined);
	switch (type) {
		case 'null':
			return fc.constant(null);
		case 'boolean':
			return fc.boolean();
		case 'integer':
			return numberBetween(node, true);
		case 'number':
			return numberBetween(node, false);
		case 'string':
			return stringFor(node);
		case 'array': {
			const minLength = typeof node.minItems === 'number' ? node.minItems : 0;
			const maxLength = Math.max(minLength, Math.min(typeof node.maxItems === 'number' ? node.maxItems : 4, minLength + 4));
			return fc.array(child((node.items as Schema | undefined) ?? true), { minLength, maxLength });
		}
		case 'object': {
			const properties = asObject(node.properties ?? {}) as Record<string, Schema>;
			const required = new Set(Array.isArray(node.required) ? (node.required as string[]) : []);
			const record = fc.record(
				Object.fromEntries(
					Object.entries(properties).map(([name, property]) => {
						const known = hints[name];
						const arbitrary = child(property);
						return [
							name,
							known?.length ? fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary }) : arbitrary
						];
					})
				),
				{ requiredKeys: [...required].filter((name) => name in properties) }
			);
			// Hostile callers also leave required properties out.
			if (hostility > 0 && required.size > 0) {
				return fc.oneof({ weight: 9, arbitrary: record }, { weight: 1, arbitrary: fc.constant({}) });
			}
			return record;
		}
		default:
			return anyJson;
	}
}

/** The object schemas of an `allOf`, merged (properties and required lists). */
function mergeAllOf(parts: Schema[], resolve: ResolveRef): Schema {
	const merged: { type: string; properties: Record<string, Schema>; required: string[] } = { type: 'object', properties: {}, required: [] };
	for (const part of parts) {
		let node = asObject(part);
		if (typeof node.$ref === 'string') node = asObject(resolve(node.$ref));
		Object.assign(merged.properties, asObject(node.properties ?? {}));
		if (Array.isArray(node.required)) merged.required.push(...(node.required as string[]));
	}
	return merged;
}
