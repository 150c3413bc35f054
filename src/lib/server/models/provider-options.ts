import type { JSONValue } from 'ai';
import type { ReasoningLevel } from '../db/schema';
import { parseModelId } from './catalog';

/** Provider options as `streamText` takes them: provider name → options. */
export type ProviderOptions = Record<string, Record<string, JSONValue>>;

/** What a call sends to ask a model for reasoning at some level. */
export interface ReasoningSettings {
	/** Options for the provider, keyed by its name; none when reasoning is off. */
	providerOptions?: ProviderOptions;
	/** The call's output limit, when the provider needs one set (none today: the AI SDK adds Anthropic's budget itself). */
	maxOutputTokens?: number;
	/** Whether the call must leave temperature unset (Anthropic's extended thinking refuses one). */
	dropTemperature: boolean;
}

/**
 * Thinking budgets in tokens, for the providers that take a budget (Anthropic, Gemini 2.x).
 * Anthropic's minimum is 1,024; the AI SDK sends `max_tokens` as the output limit plus the
 * budget, so the budget always stays below it, as Anthropic requires.
 */
export const THINKING_BUDGETS: Record<Exclude<ReasoningLevel, 'off'>, number> = {
	low: 1024,
	medium: 8192,
	high: 24576
};

/**
 * The one place an agent's reasoning level becomes each provider's options:
 * - OpenAI: `reasoningEffort` with reasoning summaries on (`auto`; the Responses API streams them,
 *   Chat Completions takes the effort only), and the encrypted reasoning items, which later turns
 *   send back. Models that do not reason have them dropped by the AI SDK.
 * - Anthropic: extended thinking with a token budget, temperature left unset.
 * - Google: thinking with thoughts included — a budget on Gemini 2.x, a thinking level on Gemini 3.
 * - OpenAI-compatible servers: `reasoning_effort`, which the servers that reason take (vLLM,
 *   Ollama, LM Studio, LiteLLM); their `reasoning_content` / `reasoning` deltas are read back.
 * - The offline model reasons whatever the level; nothing is sent.
 */
export function reasoningSettings(modelId: string, level: ReasoningLevel): ReasoningSettings {
	if (level === 'off') return { dropTemperature: false };
	const { provider, model } = parseModelId(modelId);
	switch (provider) {
		case 'openai':
			return {
				providerOptions: {
					openai: { reasoningEffort: level, reasoningSummary: 'auto', include: ['reasoning.encrypted_content'] }
				},
				dropTemperature: false
			};
		case 'anthropic':
			return {
				providerOptions: { anthropic: { thinking: { type: 'enabled', budgetTokens: THINKING_BUDGETS[level] } } },
				dropTemperature: true
			};
		case 'google':
			return {
				providerOptions: {
					google: {
						thinkingConfig: /^gemini-3/.test(model)
							? { thinkingLevel: level, includeThoughts: true }
							: { thinkingBudget: THINKING_BUDGETS[level], includeThoughts: true }
					}
				},
				dropTemperature: false
			};
		case 'compatible':
			return { providerOptions: { compatible: { reasoningEffort: level } }, dropTemperature: false };
		default:
			return { dropTemperature: false };
	}
}

/**
 * What every model call of an agent sends: its reasoning settings, and for OpenAI `store: false`.
 * Parley keeps the history itself and sends it whole, reasoning as encrypted items, so nothing
 * depends on OpenAI keeping responses (30 days, and never for zero-data-retention organisations):
 * with `store` on, later turns would only name earlier items.
 */
export function modelCallSettings(modelId: string, level: ReasoningLevel): ReasoningSettings {
	const reasoning = reasoningSettings(modelId, level);
	if (parseModelId(modelId).provider !== 'openai') return reasoning;
	return {
		...reasoning,
		providerOptions: { ...reasoning.providerOptions, openai: { store: false, ...reasoning.providerOptions?.openai } }
	};
}
