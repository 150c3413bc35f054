import type { LanguageModel } from 'ai';
import type { Config } from '../config';
import { AppError } from '../errors';
import { isProviderConfigured, parseModelId } from './catalog';
import { LazyLanguageModel } from './lazy-model';
import { OfflineModel } from './offline/offline-model';
import { loadAnthropic, loadGoogle, loadOpenAI, loadOpenAICompatible } from './provider-modules';

/**
 * Resolves a `provider:model` id to an AI SDK model. An unknown provider, or one whose key is not
 * configured, is an `invalid_input` naming the model. Each provider's endpoint is a setting, so
 * that Parley works behind gateways and proxies; `OPENAI_API_MODE` picks OpenAI's Responses API
 * (the default) or Chat Completions. OpenAI-compatible servers are asked to report usage
 * (`stream_options.include_usage`), which they otherwise leave out of a stream. A hosted
 * provider's package loads at its model's first call (see {@link LazyLanguageModel}).
 */
export function resolveModel(config: Config, id: string): LanguageModel {
	const { provider, model } = parseModelId(id);
	if (!isProviderConfigured(config, provider)) {
		throw new AppError(
			'invalid_input',
			provider
				? `The model "${id}" needs the ${provider} provider, which is not configured on this server.`
				: `The model "${id}" is not a provider:model id.`,
			{ field: 'model' }
		);
	}
	switch (provider) {
		case 'mock':
			return new OfflineModel({ modelId: model, tokenDelayMs: config.MOCK_TOKEN_DELAY_MS });
		case 'openai': {
			const chat = config.OPENAI_API_MODE === 'chat';
			return new LazyLanguageModel(chat ? 'openai.chat' : 'openai.responses', model, async () => {
				const openai = (await loadOpenAI()).createOpenAI({ apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL });
				return chat ? openai.chat(model) : openai.responses(model);
			});
		}
		case 'anthropic':
			return new LazyLanguageModel('anthropic.messages', model, async () =>
				(await loadAnthropic()).createAnthropic({ apiKey: config.ANTHROPIC_API_KEY, baseURL: config.ANTHROPIC_BASE_URL })(model)
			);
		case 'google':
			return new LazyLanguageModel('google.generative-ai', model, async () =>
				(await loadGoogle()).createGoogleGenerativeAI({
					apiKey: config.GOOGLE_GENERATIVE_AI_API_KEY,
					baseURL: config.GOOGLE_GENERATIVE_AI_BASE_URL
				})(model)
			);
		case 'compatible':
			return new LazyLanguageModel('compatible.chat', model, async () =>
				(await loadOpenAICompatible()).createOpenAICompatible({
					name: 'compatible',
					baseURL: config.OPENAI_COMPATIBLE_BASE_URL ?? '',
					apiKey: config.OPENAI_COMPATIBLE_API_KEY,
					includeUsage: true
				})(model)
			);
	}
}
