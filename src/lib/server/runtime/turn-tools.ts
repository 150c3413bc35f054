/**
 * The tool set of a turn: the agent's tools (handed over to the caller when asked), a code agent's
 * tools and the caller's own, and which of them run on the server.
 */
import type { ToolSet } from 'ai';
import type { Db } from '../db';
import { findCodeAgent, type CodeAgent } from '../code-agents/registry';
import { toolsFor } from '../code-agents/define';
import type { Task, Tool } from '../db/schema';
import { AppError } from '../errors';
import { resolveCallerTools, resolveTools } from '../tools/resolve-tools';
import type { TurnInput } from './turn-input';

/**
 * The agent's tool rows of a turn, handed over to the caller when asked; `invalid_input` when one
 * of the caller's own tools takes the name of one of them.
 */
function toolRowsOf(input: Pick<TurnInput, 'agent' | 'callerTools' | 'handOverAllTools'> & { task?: Pick<Task, 'runOptions'> }): Tool[] {
	const handOver = input.handOverAllTools ?? input.task?.runOptions?.handOverAllTools ?? false;
	const rows = input.agent.tools.map((row) => (handOver ? { ...row, kind: 'client' as const } : row));
	for (const callerTool of input.callerTools ?? []) {
		if (rows.some((row) => row.name === callerTool.name)) {
			throw new AppError('invalid_input', `The tool name "${callerTool.name}" is already one of the agent's tools.`, {
				field: 'tools'
			});
		}
	}
	return rows;
}

/** The tools of a turn (the agent's, a code agent's, the caller's), as `checkTurn` checks them. */
export function turnTools(
	input: Pick<TurnInput, 'config' | 'agent' | 'callerTools' | 'handOverAllTools'> & {
		db?: Db;
		task?: Pick<Task, 'context' | 'runOptions'> & Partial<Pick<Task, 'userId'>>;
	}
): { tools: ToolSet; codeAgent?: CodeAgent } {
	const codeAgent = input.agent.source === 'code' ? findCodeAgent(input.agent.slug) : undefined;
	if (input.agent.source === 'code' && !codeAgent) {
		throw new AppError('not_found', `The agent "${input.agent.slug}" is defined in code this server does not have.`, {
			field: 'agentId'
		});
	}
	const tools = {
		...resolveTools(toolRowsOf(input), {
			config: input.config,
			taskContext: input.task?.context,
			db: input.db,
			agentId: input.agent.id,
			userId: input.task?.userId
		}),
		...resolveCallerTools(input.callerTools ?? [])
	};
	return {
		tools: codeAgent ? { ...tools, ...codeToolsOf(codeAgent, input.task?.context ?? {}, input.task?.runOptions?.handOverAllTools) } : tools,
		codeAgent
	};
}

/**
 * The names of the tools a turn runs on the server, those with an implementation here; the
 * caller runs the others. A caller can never answer, nor approve into running, a call of one of
 * these that the agent's own run did not make (see `AnswerRules`).
 */
export function serverToolsOf(tools: ToolSet): Set<string> {
	return new Set(Object.entries(tools).flatMap(([name, tool]) => (tool.execute ? [name] : [])));
}

/** A code agent's tools for a task's context; all handed over to the caller when the task asks. */
function codeToolsOf(codeAgent: CodeAgent, context: Record<string, unknown>, handOver = false): ToolSet {
	const tools = toolsFor(codeAgent.definition.tools ?? {}, codeAgent.contextKeys, context);
	if (!handOver) return tools;
	return Object.fromEntries(Object.entries(tools).map(([name, tool]) => [name, { ...tool, execute: undefined }]));
}
