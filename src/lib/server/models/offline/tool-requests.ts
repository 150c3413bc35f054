import type { LanguageModelV3CallOptions, LanguageModelV3FunctionTool } from '@ai-sdk/provider';
import { isObject } from '../../../is-object';
import { escapeRegExp, joinNames, parseJson, plural, unique, type JsonObject } from './text';

/** Which tools a message names, and the input the offline model calls them with. */

/** A tool the user named, with the arguments found for it and the required ones still missing. */
export interface ToolRequest {
	tool: LanguageModelV3FunctionTool;
	input: JsonObject;
	missing: string[];
}

/** The function tools the model may call, honouring `toolChoice`. */
export function availableTools(options: LanguageModelV3CallOptions): LanguageModelV3FunctionTool[] {
	const tools = (options.tools ?? []).filter((tool): tool is LanguageModelV3FunctionTool => tool.type === 'function');
	const choice = options.toolChoice;
	if (choice?.type === 'none') return [];
	if (choice?.type === 'tool') return tools.filter((tool) => tool.name === choice.toolName);
	return tools;
}

/**
 * The tools whose name occurs in `text`, in order of first appearance. A name matches
 * case-insensitively on word boundaries, either exactly (`current_time`) or as its words
 * separated by spaces (`current time`). Overlapping matches go to the earlier, longer name.
 */
export function namedTools(text: string, tools: LanguageModelV3FunctionTool[]): LanguageModelV3FunctionTool[] {
	const matches = tools.flatMap((tool) =>
		[...text.matchAll(toolNamePattern(tool.name))].map((match) => ({
			tool,
			start: match.index,
			end: match.index + match[0].length
		}))
	);
	matches.sort((a, b) => a.start - b.start || b.end - a.end);
	const found: LanguageModelV3FunctionTool[] = [];
	let covered = 0;
	for (const match of matches) {
		if (match.start < covered) continue;
		covered = match.end;
		if (!found.includes(match.tool)) found.push(match.tool);
	}
	return found;
}

/** Matches a tool name exactly or as space-separated words (snake_case, kebab-case, camelCase). */
function toolNamePattern(name: string): RegExp {
	const spaced = name
		.replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1 $2')
		.split(/[\s_.-]+/)
		.filter(Boolean)
		.map(escapeRegExp)
		.join('\\s+');
	const variants = unique([escapeRegExp(name), spaced].filter(Boolean));
	return new RegExp(`(?<![\\p{L}\\p{N}_])(?:${variants.join('|')})(?![\\p{L}\\p{N}_])`, 'giu');
}

/** The parts of a tool's input schema the offline model reads. */
interface InputSchema {
	/** The declared properties, or `undefined` when the schema declares none. */
	properties: JsonObject | undefined;
	required: string[];
}

/**
 * Reads `properties` and `required` from a JSON Schema. (The provider types it as `JSONSchema7`,
 * whose type package is not installed, so it is validated here instead of trusted.)
 */
function readInputSchema(schema: unknown): InputSchema {
	if (!isObject(schema)) return { properties: undefined, required: [] };
	const properties = isObject(schema.properties) ? schema.properties : undefined;
	const required = Array.isArray(schema.required) ? schema.required.filter((key): key is string => typeof key === 'string') : [];
	return { properties, required };
}

/** Picks the tool's arguments from `args`, fills defaults and examples, and lists missing required ones. */
export function resolveToolInput(tool: LanguageModelV3FunctionTool, args: JsonObject): ToolRequest {
	const { properties, required } = readInputSchema(tool.inputSchema);
	const input: JsonObject = {};
	for (const [key, value] of Object.entries(args)) {
		if (properties && !Object.hasOwn(properties, key)) continue;
		input[key] = coerce(value, schemaType(properties?.[key]));
	}
	for (const [key, property] of Object.entries(properties ?? {})) {
		if (Object.hasOwn(input, key)) continue;
		const fallback = fallbackValue(property);
		if (fallback !== undefined) input[key] = fallback;
	}
	const missing = required.filter((key) => !Object.hasOwn(input, key));
	return { tool, input, missing };
}

/** A property's `default`, else the first of its `examples`. */
function fallbackValue(property: unknown): unknown {
	if (!isObject(property)) return undefined;
	if (property.default !== undefined) return property.default;
	return Array.isArray(property.examples) ? property.examples[0] : undefined;
}

/** The (first non-null) type a property declares, looking into `anyOf`/`oneOf`. */
function schemaType(property: unknown): string | undefined {
	if (!isObject(property)) return undefined;
	const types: unknown[] = Array.isArray(property.type) ? property.type : [property.type];
	const type = types.find((candidate): candidate is string => typeof candidate === 'string' && candidate !== 'null');
	if (type) return type;
	const alternatives = [property.anyOf, property.oneOf].flatMap((list) => (Array.isArray(list) ? list : []));
	return alternatives.map(schemaType).find((candidate) => candidate !== undefined);
}

/** Converts a string (or scalar) argument to the type the schema asks for, when it can. */
function coerce(value: unknown, type: string | undefined): unknown {
	if (type === 'string' && (typeof value === 'number' || typeof value === 'boolean')) {
		return String(value);
	}
	if (typeof value !== 'string') return value;
	switch (type) {
		case 'number':
		case 'integer': {
			const number = Number(value);
			const valid = value.trim() !== '' && Number.isFinite(number);
			return valid && (type === 'number' || Number.isInteger(number)) ? number : value;
		}
		case 'boolean':
			if (/^(true|yes|on|1)$/i.test(value)) return true;
			if (/^(false|no|off|0)$/i.test(value)) return false;
			return value;
		case 'array':
		case 'object': {
			const parsed = parseJson(value);
			const matches = type === 'array' ? Array.isArray(parsed) : isObject(parsed);
			return matches ? parsed : value;
		}
		default:
			return value;
	}
}

/** Asks for the required arguments a named tool is missing. */
export function missingArgumentsRequest(toolName: string, missing: string[]): string {
	const one = missing.length === 1;
	const example = missing.map((key) => `${key}="…"`).join(' ');
	return `To use the ${toolName} tool I need ${quoteNames(missing)}. Please provide ${one ? 'it' : 'them'}, for example: ${toolName} ${example}`;
}

/** `the "a" argument` / `the "a" and "b" arguments`. */
export function quoteNames(keys: string[]): string {
	return `the ${joinNames(keys.map((key) => `"${key}"`))} ${plural(keys.length, 'argument')}`;
}
