import { jsonSchema, tool, type JSONSchema7, type ToolSet } from 'ai';
import type { Tool } from '../db/schema';
import { builtinTools } from './builtin';

/**
 * Turns an agent's tool rows into AI SDK tools: built-in tools run on the server; client tools
 * have no `execute`, so the run stops with the call pending; tools that require approval pause
 * the run for an answer first.
 */
export function resolveTools(rows: Tool[]): ToolSet {
	const set: ToolSet = {};
	for (const row of rows) {
		const inputSchema = jsonSchema<Record<string, unknown>>(row.inputSchema as JSONSchema7);
		const common = { description: row.description, inputSchema, needsApproval: row.requiresApproval };
		if (row.kind === 'client') {
			set[row.name] = tool(common);
			continue;
		}
		const execute =
			row.kind === 'builtin'
				? builtinTools[row.name]
				: () => {
						throw new Error(`The ${row.kind} tool "${row.name}" cannot run on this server yet.`);
					};
		set[row.name] = tool({
			...common,
			execute:
				execute ??
				(() => {
					throw new Error(`No built-in tool is named "${row.name}".`);
				})
		});
	}
	return set;
}
