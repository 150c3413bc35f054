import { AppError } from '../errors';
import type { CallerTool } from '../runtime/turn-input';
import type { AgentWithTools } from '../services/agents';

/** A tool as a caller declares it, in any face's shape once unwrapped. */
export interface DeclaredTool {
	name: string;
	description?: string | null;
	parameters?: Record<string, unknown> | null;
}

/**
 * A caller's tools as tools of its turn: `invalid_input` on the field `fieldOf(index)` names for a
 * tool name used twice or taken by one of the agent's own tools.
 */
export function declaredTools(
	tools: readonly DeclaredTool[],
	agent: Pick<AgentWithTools, 'tools'>,
	fieldOf: (index: number) => string
): CallerTool[] {
	const names = new Set<string>();
	return tools.map((tool, index) => {
		if (names.has(tool.name) || agent.tools.some((own) => own.name === tool.name)) {
			throw new AppError('invalid_input', `The tool name "${tool.name}" is used twice, or is already one of the agent's tools.`, {
				field: fieldOf(index)
			});
		}
		names.add(tool.name);
		return {
			name: tool.name,
			...(tool.description ? { description: tool.description } : {}),
			inputSchema: tool.parameters ?? { type: 'object', properties: {} }
		};
	});
}
