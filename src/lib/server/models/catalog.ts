import type { Config } from '../config';
import { cachedProviderModels } from './provider-models';

/** The id of the built-in offline model. */
export const OFFLINE_MODEL_ID = 'mock:offline';

/** What the UI says about the offline model wherever it is chosen or shown. */
export const OFFLINE_MODEL_LABEL = 'Offline demo model';

/** Providers Parley can reach. `mock` is built in and always there. */
export const providerIds = ['mock', 'openai', 'anthropic', 'google', 'compatible'] as const;
export type ProviderId = (typeof providerIds)[number];

/** A model offered for agents to use. */
export interface ModelOption {
	/** `provider:model`. */
	id: string;
	provider: ProviderId;
	label: string;
	offline: boolean;
}

/** Suggested models of each hosted provider; any other model name of a configured provider works too. */
const suggestedModels: Record<Exclude<ProviderId, 'mock' | 'compatible'>, string[]> = {
	openai: ['gpt-4.1-mini', 'gpt-4.1', 'gpt-4o-mini', 'gpt-4o'],
	anthropic: ['claude-sonnet-4-5', 'claude-haiku-4-5'],
	google: ['gemini-2.5-flash', 'gemini-2.5-pro']
};

const providerNames: Record<ProviderId, string> = {
	mock: 'Offline',
	openai: 'OpenAI',
	anthropic: 'Anthropic',
	google: 'Google',
	compatible: 'OpenAI-compatible'
};

/** Splits `provider:model`; a bare `mock` means the offline model. */
export function parseModelId(id: string): { provider: string; model: string } {
	if (id === 'mock') return { provider: 'mock', model: 'offline' };
	const colon = id.indexOf(':');
	if (colon <= 0 || colon === id.length - 1) return { provider: '', model: id };
	return { provider: id.slice(0, colon), model: id.slice(colon + 1) };
}

/** Whether a model id names the built-in offline model. */
export function isOfflineModel(id: string): boolean {
	return parseModelId(id).provider === 'mock';
}

/** Whether a provider has what it needs in the configuration. */
export function isProviderConfigured(config: Config, provider: string): provider is ProviderId {
	switch (provider) {
		case 'mock':
			return true;
		case 'openai':
			return Boolean(config.OPENAI_API_KEY);
		case 'anthropic':
			return Boolean(config.ANTHROPIC_API_KEY);
		case 'google':
			return Boolean(config.GOOGLE_GENERATIVE_AI_API_KEY);
		case 'compatible':
			return Boolean(config.OPENAI_COMPATIBLE_BASE_URL);
		default:
			return false;
	}
}

/** A provider's name as people read it, e.g. `OpenAI-compatible`. */
export function providerName(provider: ProviderId): string {
	return providerNames[provider];
}

/** The name of a model id's provider ("Anthropic"), or undefined for an unknown one. */
export function providerLabel(id: string): string | undefined {
	return providerNames[parseModelId(id).provider as ProviderId];
}

/** A readable label for a model id, naming the offline model as such. */
export function modelLabel(id: string): string {
	const { provider, model } = parseModelId(id);
	if (provider === 'mock') return OFFLINE_MODEL_LABEL;
	const name = providerNames[provider as ProviderId];
	return name ? `${name} · ${model}` : id;
}

/** The names of `OPENAI_COMPATIBLE_MODELS`, trimmed, without blanks. */
function compatibleModelNames(config: Config): string[] {
	return (config.OPENAI_COMPATIBLE_MODELS ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
}

/** The model names offered for one configured hosted provider, in order, without repeats. */
function providerModelNames(config: Config, provider: Exclude<ProviderId, 'mock'>): string[] {
	switch (provider) {
		case 'compatible':
			// What the settings name first, then what the server lists.
			return [...new Set([...compatibleModelNames(config), ...(cachedProviderModels(config, 'compatible') ?? [])])];
		case 'openai':
			// A gateway at OPENAI_BASE_URL lists what it routes; OpenAI itself gets the suggestions.
			return cachedProviderModels(config, 'openai') ?? suggestedModels.openai;
		default:
			return suggestedModels[provider];
	}
}

/**
 * The models offered by the configured providers, the offline model first: the suggestions of
 * OpenAI (or what a gateway at `OPENAI_BASE_URL` lists), Anthropic and Google, the models of
 * `OPENAI_COMPATIBLE_MODELS` and those the OpenAI-compatible server lists (read at start and
 * cached, see provider-models.ts), and `DEFAULT_MODEL` when it is none of these.
 */
export function listModelOptions(config: Config): ModelOption[] {
	const options: ModelOption[] = [{ id: OFFLINE_MODEL_ID, provider: 'mock', label: OFFLINE_MODEL_LABEL, offline: true }];
	for (const provider of ['openai', 'anthropic', 'google', 'compatible'] as const) {
		if (!isProviderConfigured(config, provider)) continue;
		for (const model of providerModelNames(config, provider)) {
			const id = `${provider}:${model}`;
			options.push({ id, provider, label: modelLabel(id), offline: false });
		}
	}
	const preferred = config.DEFAULT_MODEL;
	if (preferred && !options.some((option) => option.id === preferred)) {
		const { provider } = parseModelId(preferred);
		if (provider !== 'mock' && isProviderConfigured(config, provider)) {
			options.push({ id: preferred, provider, label: modelLabel(preferred), offline: false });
		}
	}
	return options;
}

/**
 * The model new agents get: `DEFAULT_MODEL` when set, else the first configured hosted provider's
 * first suggestion, else the offline model.
 */
export function defaultModelId(config: Config): string {
	if (config.DEFAULT_MODEL) return config.DEFAULT_MODEL;
	const hosted = listModelOptions(config).find((option) => !option.offline);
	return hosted?.id ?? OFFLINE_MODEL_ID;
}
