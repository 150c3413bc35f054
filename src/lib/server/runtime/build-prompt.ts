import type { Agent } from '../db/schema';

/** Fills `{{name}}` (and `{{ name.path }}`) placeholders from a context; unknown names become empty. */
export function fillTemplate(template: string, context: Record<string, unknown> | null | undefined): string {
	return template.replace(/\{\{\s*([A-Za-z_][\w.-]*)\s*\}\}/g, (_, path: string) => {
		let value: unknown = context ?? {};
		for (const key of path.split('.')) {
			value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined;
		}
		if (value === undefined || value === null) return '';
		return typeof value === 'string' ? value : JSON.stringify(value);
	});
}

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
	const sections = [
		...[agent.systemPrompt, agent.promptTemplate ?? ''].map((text) => fillTemplate(text, context)),
		...callerSystem
	]
		.map((text) => text.trim())
		.filter((text) => text !== '');
	return sections.length > 0 ? sections.join('\n\n') : undefined;
}
