/** The check of a turn before anything is stored: the model it calls and the tools it offers. */
import type { LanguageModel, ToolSet } from 'ai';
import type { Db } from '../db';
import type { CodeAgent } from '../code-agents/registry';
import type { Task } from '../db/schema';
import { AppError } from '../errors';
import { resolveModel } from '../models/registry';
import type { TurnInput } from './turn-input';
import type { TurnSettings } from './turn-settings';
import { turnTools } from './turn-tools';

/**
 * What a turn will call, checked before anything is stored: the model (an unconfigured provider
 * is `invalid_input`), the tools (a caller's tool named like one of the agent's is refused) and
 * the caller's settings (see {@link checkTurnSettings}). Faces that store things before starting
 * a turn call this first, so that a refused request stores nothing.
 */
export function checkTurn(
	input: Pick<TurnInput, 'config' | 'agent' | 'model' | 'callerTools' | 'handOverAllTools' | 'settings'> & {
		db?: Db;
		task?: Pick<Task, 'context' | 'runOptions'>;
	}
): { model: LanguageModel; tools: ToolSet; codeAgent?: CodeAgent } {
	const { tools, codeAgent } = turnTools(input);
	checkTurnSettings(input.settings, tools);
	return { model: input.model ?? resolveModel(input.config, input.agent.model), tools, codeAgent };
}

/**
 * Checks a caller's settings against the turn's tools: a tool choice must name one of them, and
 * `required` needs at least one. `invalid_input` on `tool_choice` otherwise.
 */
export function checkTurnSettings(settings: TurnSettings | undefined, tools: ToolSet): void {
	const choice = settings?.toolChoice;
	if (typeof choice === 'object' && !Object.hasOwn(tools, choice.toolName)) {
		throw new AppError('invalid_input', `The tool choice names "${choice.toolName}", which is not one of this turn's tools.`, {
			field: 'tool_choice'
		});
	}
	if (choice === 'required' && Object.keys(tools).length === 0) {
		throw new AppError('invalid_input', 'The tool choice "required" needs at least one tool, and this turn has none.', {
			field: 'tool_choice'
		});
	}
}
