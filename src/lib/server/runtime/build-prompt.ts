import type { Agent } from '../db/schema';

/** The system prompt of a turn: the agent's own prompt. Templates and context come with the runtime's prompting. */
export function buildSystemPrompt(agent: Pick<Agent, 'systemPrompt'>): string | undefined {
	const prompt = agent.systemPrompt.trim();
	return prompt === '' ? undefined : prompt;
}
