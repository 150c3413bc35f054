/** A run's token usage: read from the AI SDK's and added up over the model calls of one answer. */
import type { LanguageModelUsage } from 'ai';
import type { RunUsage } from './events';

/** The sum of two token counts, either of which may be unknown. */
function addTokens(a: number | undefined, b: number | undefined): number | undefined {
	return a === undefined ? b : b === undefined ? a : a + b;
}

/** A run's usage from the AI SDK's, with reasoning and cached tokens where the provider reports them. */
export function runUsageOf(usage: LanguageModelUsage): RunUsage {
	const reasoningTokens = usage.outputTokenDetails?.reasoningTokens ?? usage.reasoningTokens;
	const cachedInputTokens = usage.inputTokenDetails?.cacheReadTokens ?? usage.cachedInputTokens;
	return {
		inputTokens: usage.inputTokens,
		outputTokens: usage.outputTokens,
		...(reasoningTokens !== undefined ? { reasoningTokens } : {}),
		...(cachedInputTokens !== undefined ? { cachedInputTokens } : {})
	};
}

/** Adds one model call's usage to a run's (a code agent may call the model more than once). */
export function addUsage(total: RunUsage, more: RunUsage): void {
	total.inputTokens = addTokens(total.inputTokens, more.inputTokens);
	total.outputTokens = addTokens(total.outputTokens, more.outputTokens);
	const reasoningTokens = addTokens(total.reasoningTokens, more.reasoningTokens);
	const cachedInputTokens = addTokens(total.cachedInputTokens, more.cachedInputTokens);
	if (reasoningTokens !== undefined) total.reasoningTokens = reasoningTokens;
	if (cachedInputTokens !== undefined) total.cachedInputTokens = cachedInputTokens;
}
