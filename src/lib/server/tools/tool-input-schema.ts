import { jsonSchema, type JSONSchema7, type Schema } from 'ai';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

/**
 * One Ajv for every tool schema. `addUsedSchema: false` keeps schemas with an `$id` from
 * colliding; compiled schemas are dropped again when they leave the cache below.
 */
const ajv = new Ajv({ allErrors: false, strict: false, addUsedSchema: false });
addFormats(ajv);

/**
 * How many compiled tool schemas are kept. Tools are resolved for every turn from fresh rows,
 * and callers may send their own schemas, so compilations are cached by the schema's text, and
 * the oldest are forgotten (Ajv itself would keep every schema object it ever compiled).
 */
const MAX_COMPILED_SCHEMAS = 500;

/** A compiled schema, or why it could not be compiled. */
type Compiled = { validate: ValidateFunction; schema: object } | { error: string };

const compiled = new Map<string, Compiled>();

/** The compiled form of a schema, from the cache when it was compiled before. */
function compile(schema: Record<string, unknown>): Compiled {
	const key = JSON.stringify(schema);
	const cached = compiled.get(key);
	if (cached) {
		// Most recently used last, so that eviction takes the least recently used.
		compiled.delete(key);
		compiled.set(key, cached);
		return cached;
	}
	let entry: Compiled;
	try {
		entry = { validate: ajv.compile(schema), schema };
	} catch (error) {
		entry = { error: error instanceof Error ? error.message : String(error) };
	}
	compiled.set(key, entry);
	if (compiled.size > MAX_COMPILED_SCHEMAS) {
		const [oldestKey, oldest] = compiled.entries().next().value as [string, Compiled];
		compiled.delete(oldestKey);
		if ('schema' in oldest) ajv.removeSchema(oldest.schema);
	}
	return entry;
}

/** A JSON pointer (`/a/0/b`) as a dotted path below `input`. */
function pathOf(instancePath: string, extra?: string): string {
	const segments = instancePath
		.split('/')
		.slice(1)
		.map((segment) => segment.replaceAll('~1', '/').replaceAll('~0', '~'));
	return ['input', ...segments, ...(extra === undefined ? [] : [extra])].join('.');
}

/** One Ajv error as a sentence naming the field: `input.amount must be <= 100`. */
function describeIssue(issue: ErrorObject): string {
	if (issue.keyword === 'required') return `${pathOf(issue.instancePath, String(issue.params.missingProperty))} is required`;
	if (issue.keyword === 'additionalProperties') {
		return `${pathOf(issue.instancePath, String(issue.params.additionalProperty))} is not a property of this tool's input`;
	}
	if (issue.keyword === 'enum' && Array.isArray(issue.params.allowedValues)) {
		return `${pathOf(issue.instancePath)} must be one of ${issue.params.allowedValues.map((value) => JSON.stringify(value)).join(', ')}`;
	}
	return `${pathOf(issue.instancePath)} ${issue.message ?? 'does not match the tool’s input schema'}`;
}

/** The outcome of checking a tool input: the input, or what is wrong with it. */
export type InputCheck = { success: true; value: unknown } | { success: false; error: Error };

/**
 * A checker of inputs against a tool's JSON Schema, compiled when it first checks (most tools of
 * a turn are never called). A schema that cannot be compiled fails every input when `strict` (a
 * tool the server runs must never run unchecked), and passes every input otherwise (a client
 * tool, which its caller runs).
 */
export function inputChecker(
	toolName: string,
	schema: Record<string, unknown>,
	options: { strict: boolean }
): (input: unknown) => InputCheck {
	let entry: Compiled | undefined;
	return (input) => {
		entry ??= compile(schema);
		if ('error' in entry) {
			return options.strict
				? { success: false, error: new Error(`The tool "${toolName}" has an input schema that cannot be checked: ${entry.error}`) }
				: { success: true, value: input };
		}
		if (entry.validate(input)) return { success: true, value: input };
		const [issue] = entry.validate.errors ?? [];
		return {
			success: false,
			error: new Error(issue ? `${describeIssue(issue)}.` : 'The input does not match the tool’s input schema.')
		};
	};
}

/**
 * A tool's JSON Schema for the AI SDK, with validation: the SDK checks the model's input with it
 * before a call runs or waits for approval (an invalid call becomes a tool error the model reads),
 * and checks a stored call's input again when an approval would run it.
 */
export function toolInputSchema(
	toolName: string,
	schema: Record<string, unknown>,
	options: { strict: boolean }
): Schema<Record<string, unknown>> {
	const check = inputChecker(toolName, schema, options);
	return jsonSchema<Record<string, unknown>>(schema as JSONSchema7, {
		validate: (value) => check(value) as { success: true; value: Record<string, unknown> } | { success: false; error: Error }
	});
}
