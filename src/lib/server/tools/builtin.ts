import { calculate } from './calculator';
import { currentTime } from './current-time';

/** A built-in tool's implementation: it takes the validated input and returns JSON. */
export type BuiltinExecute = (input: Record<string, unknown>) => unknown | Promise<unknown>;

/** Built-in tools by name. A tool row of kind `builtin` runs the implementation of its name. */
export const builtinTools: Record<string, BuiltinExecute> = {
	calculator: (input) => calculate({ expression: String(input.expression ?? '') }),
	current_time: (input) =>
		currentTime({ timezone: typeof input.timezone === 'string' ? input.timezone : undefined })
};
