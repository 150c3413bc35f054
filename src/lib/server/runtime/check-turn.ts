/** The check of a turn before anything is stored: the model it calls and the tools it offers. */
import type { LanguageModel, ToolSet } from 'ai';
import type { Db } from '../db';
import type { CodeAgent } from '../code-agents/registry';
import type { Task } from '../db/schema';
import { resolveModel } from '../models/registry';
import type { TurnInput } from './turn-input';
import { turnTools } from './turn-tools';

/**
 * What a turn will call, checked before anything is stored: the model (an unconfigured provider
 * is `invalid_input`) and the tools (a caller's tool named like one of the agent's is refused).
 * Faces that store things before starting a turn call this first, so that a refused request
 * stores nothing.
 */
export function checkTurn(
	input: Pick<TurnInput, 'config' | 'agent' | 'model' | 'callerTools' | 'handOverAllTools'> & {
		db?: Db;
		task?: Pick<Task, 'context' | 'runOptions'>;
	}
): { model: LanguageModel; tools: ToolSet; codeAgent?: CodeAgent } {
	const { tools, codeAgent } = turnTools(input);
	return { model: input.model ?? resolveModel(input.config, input.agent.model), tools, codeAgent };
}
