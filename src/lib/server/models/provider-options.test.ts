import { describe, expect, it } from 'vitest';
import { modelCallSettings, reasoningSettings, THINKING_BUDGETS } from './provider-options';

describe('reasoningSettings', () => {
	it('sends nothing when reasoning is off, whatever the provider', () => {
		for (const id of ['openai:gpt-5', 'anthropic:claude-sonnet-4-5', 'google:gemini-2.5-pro', 'compatible:qwen3', 'mock:offline']) {
			expect(reasoningSettings(id, 'off')).toStrictEqual({ dropTemperature: false });
		}
	});

	it('asks OpenAI for an effort with reasoning summaries', () => {
		expect(reasoningSettings('openai:o4-mini', 'high')).toStrictEqual({
			providerOptions: {
				openai: { reasoningEffort: 'high', reasoningSummary: 'auto', include: ['reasoning.encrypted_content'] }
			},
			dropTemperature: false
		});
	});

	it('gives Anthropic a thinking budget of at least 1,024 tokens and leaves temperature unset', () => {
		for (const level of ['low', 'medium', 'high'] as const) {
			const settings = reasoningSettings('anthropic:claude-sonnet-4-5', level);
			expect(settings).toStrictEqual({
				providerOptions: { anthropic: { thinking: { type: 'enabled', budgetTokens: THINKING_BUDGETS[level] } } },
				dropTemperature: true
			});
			expect(THINKING_BUDGETS[level]).toBeGreaterThanOrEqual(1024);
		}
	});

	it('asks Gemini for its thoughts: a budget on 2.x, a level on 3', () => {
		expect(reasoningSettings('google:gemini-2.5-flash', 'low').providerOptions).toStrictEqual({
			google: { thinkingConfig: { thinkingBudget: 1024, includeThoughts: true } }
		});
		expect(reasoningSettings('google:gemini-3-pro-preview', 'high').providerOptions).toStrictEqual({
			google: { thinkingConfig: { thinkingLevel: 'high', includeThoughts: true } }
		});
	});

	it('passes the effort through to OpenAI-compatible servers', () => {
		expect(reasoningSettings('compatible:qwen3', 'medium').providerOptions).toStrictEqual({
			compatible: { reasoningEffort: 'medium' }
		});
	});

	it('sends the offline model nothing: it reasons anyway', () => {
		expect(reasoningSettings('mock:offline', 'high')).toStrictEqual({ dropTemperature: false });
	});
});

describe('modelCallSettings', () => {
	it('never lets OpenAI keep the conversation: Parley sends it whole', () => {
		expect(modelCallSettings('openai:gpt-4.1', 'off')).toStrictEqual({
			providerOptions: { openai: { store: false } },
			dropTemperature: false
		});
		expect(modelCallSettings('openai:o4-mini', 'low').providerOptions).toStrictEqual({
			openai: { store: false, reasoningEffort: 'low', reasoningSummary: 'auto', include: ['reasoning.encrypted_content'] }
		});
	});

	it('is the reasoning settings for every other provider', () => {
		expect(modelCallSettings('anthropic:claude-haiku-4-5', 'low')).toStrictEqual(reasoningSettings('anthropic:claude-haiku-4-5', 'low'));
		expect(modelCallSettings('google:gemini-2.5-flash', 'off')).toStrictEqual({ dropTemperature: false });
	});
});
