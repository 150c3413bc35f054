import { fillTemplate } from '../../fill-template';
import type { Agent } from '../db/schema';

export { fillTemplate };

/**
 * The system prompt of a turn: the agent's own prompt, then its prompt template filled from the
 * task's context (both may use `{{variables}}`), then any system text the caller sent (an OpenAI
 * client's system message), taken as it is.
 */
export function buildSystemPrompt(
	agent: Pick<Agent, 'systemPrompt'> & { promptTemplate?: string | null },
	context?: Record<string, unknown> | null,
	callerSystem: string[] = []
): string | undefined {
	const sections = [...[agent.systemPrompt, agent.promptTemplate ?? ''].map((text) => fillTemplate(text, context)), ...callerSystem]
		.map((text) => text.trim())
		.filter((text) => text !== '');
	return sections.length > 0 ? sections.join('\n\n') : undefined;
}
