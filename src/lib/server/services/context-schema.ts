import { Ajv, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { AppError } from '../errors';

const ajv = new Ajv({ allErrors: false, strict: false });
addFormats(ajv);

const compiled = new WeakMap<object, ValidateFunction>();

function compile(schema: Record<string, unknown>): ValidateFunction {
	let validate = compiled.get(schema);
	if (!validate) {
		try {
			validate = ajv.compile(schema);
		} catch {
			throw new AppError('invalid_input', 'The context schema is not a valid JSON Schema.', { field: 'context_schema' });
		}
		compiled.set(schema, validate);
	}
	return validate;
}

/** Checks that a JSON Schema compiles; `invalid_input` on `context_schema` when it does not. */
export function assertValidSchema(schema: Record<string, unknown>): void {
	compile(schema);
}

/**
 * Checks a task's context against its agent's context schema; `unprocessable` (422) naming the
 * first field at fault when it does not match. No schema: any object is fine.
 */
export function validateTaskContext(
	schema: Record<string, unknown> | null | undefined,
	context: Record<string, unknown> | null | undefined
): void {
	if (!schema) return;
	const validate = compile(schema);
	if (validate(context ?? {})) return;
	const [issue] = validate.errors ?? [];
	const missing = issue?.keyword === 'required' ? String(issue.params.missingProperty) : undefined;
	const path = [...(issue?.instancePath ?? '').split('/').filter(Boolean), ...(missing ? [missing] : [])].join('.');
	const field = path ? `context.${path}` : 'context';
	throw new AppError('unprocessable', `${field} ${issue?.message ?? 'does not match the agent’s context schema'}.`, {
		field
	});
}
