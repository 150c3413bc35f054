import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config';
import { AppError } from '../errors';
import {
	defaultModelId,
	isOfflineModel,
	isProviderConfigured,
	listModelOptions,
	modelLabel,
	OFFLINE_MODEL_ID,
	parseModelId
} from './catalog';
import { OfflineModel } from './offline/offline-model';
import { LazyLanguageModel } from './lazy-model';
import { resolveModel } from './registry';

const noKeys = parseConfig({});
const openai = parseConfig({ OPENAI_API_KEY: 'sk-test' });
const anthropic = parseConfig({ ANTHROPIC_API_KEY: 'sk-ant-test' });
const google = parseConfig({ GOOGLE_GENERATIVE_AI_API_KEY: 'g-test' });
const compatible = parseConfig({
	OPENAI_COMPATIBLE_BASE_URL: 'http://localhost:11434/v1',
	OPENAI_COMPATIBLE_MODELS: ' llama3:8b , qwen2.5 ,, '
});

describe('parseModelId', () => {
	it.each([
		['mock', { provider: 'mock', model: 'offline' }],
		['mock:offline', { provider: 'mock', model: 'offline' }],
		['openai:gpt-4o', { provider: 'openai', model: 'gpt-4o' }],
		['anthropic:claude-sonnet-4-5', { provider: 'anthropic', model: 'claude-sonnet-4-5' }],
		['compatible:llama3:8b', { provider: 'compatible', model: 'llama3:8b' }]
	])('%s → %j', (id, expected) => {
		expect(parseModelId(id)).toEqual(expected);
	});

	it.each(['gpt4', ':gpt-4o', 'openai:', ''])('gives %j no provider', (id) => {
		expect(parseModelId(id)).toEqual({ provider: '', model: id });
	});
});

describe('isOfflineModel', () => {
	it('is true only for the mock provider', () => {
		expect(isOfflineModel(OFFLINE_MODEL_ID)).toBe(true);
		expect(isOfflineModel('mock')).toBe(true);
		expect(isOfflineModel('openai:gpt-4o')).toBe(false);
		expect(isOfflineModel('offline')).toBe(false);
	});
});

describe('isProviderConfigured', () => {
	it('knows which providers have what they need', () => {
		expect(isProviderConfigured(noKeys, 'mock')).toBe(true);
		expect(isProviderConfigured(noKeys, 'openai')).toBe(false);
		expect(isProviderConfigured(openai, 'openai')).toBe(true);
		expect(isProviderConfigured(anthropic, 'anthropic')).toBe(true);
		expect(isProviderConfigured(google, 'google')).toBe(true);
		expect(isProviderConfigured(compatible, 'compatible')).toBe(true);
		expect(isProviderConfigured(openai, 'anthropic')).toBe(false);
		expect(isProviderConfigured(openai, 'bogus')).toBe(false);
		expect(isProviderConfigured(openai, '')).toBe(false);
	});
});

describe('listModelOptions', () => {
	it('offers only the offline model when no provider is configured', () => {
		expect(listModelOptions(noKeys)).toEqual([{ id: 'mock:offline', provider: 'mock', label: 'Offline demo model', offline: true }]);
	});

	it('adds OpenAI suggestions when its key is set, after the offline model', () => {
		const options = listModelOptions(openai);
		expect(options[0].id).toBe('mock:offline');
		const hosted = options.slice(1);
		expect(hosted.length).toBeGreaterThan(0);
		for (const option of hosted) {
			expect(option.provider).toBe('openai');
			expect(option.id).toMatch(/^openai:/);
			expect(option.offline).toBe(false);
			expect(option.label).toBe(`OpenAI · ${option.id.slice('openai:'.length)}`);
		}
		expect(hosted.map((option) => option.id)).toContain('openai:gpt-4o');
	});

	it('adds Anthropic suggestions when its key is set', () => {
		const providers = new Set(
			listModelOptions(anthropic)
				.slice(1)
				.map((option) => option.provider)
		);
		expect([...providers]).toEqual(['anthropic']);
	});

	it('adds Google suggestions when its key is set', () => {
		const providers = new Set(
			listModelOptions(google)
				.slice(1)
				.map((option) => option.provider)
		);
		expect([...providers]).toEqual(['google']);
	});

	it('lists every configured provider together', () => {
		const config = parseConfig({
			OPENAI_API_KEY: 'sk',
			ANTHROPIC_API_KEY: 'ant',
			GOOGLE_GENERATIVE_AI_API_KEY: 'g',
			OPENAI_COMPATIBLE_BASE_URL: 'http://localhost:11434/v1',
			OPENAI_COMPATIBLE_MODELS: 'llama3:8b'
		});
		const providers = new Set(listModelOptions(config).map((option) => option.provider));
		expect([...providers]).toEqual(['mock', 'openai', 'anthropic', 'google', 'compatible']);
	});

	it('adds the OPENAI_COMPATIBLE_MODELS list when the compatible base URL is set', () => {
		expect(listModelOptions(compatible)).toEqual([
			{ id: 'mock:offline', provider: 'mock', label: 'Offline demo model', offline: true },
			{ id: 'compatible:llama3:8b', provider: 'compatible', label: 'OpenAI-compatible · llama3:8b', offline: false },
			{ id: 'compatible:qwen2.5', provider: 'compatible', label: 'OpenAI-compatible · qwen2.5', offline: false }
		]);
	});

	it('offers DEFAULT_MODEL of a configured provider even when no list names it', () => {
		const config = parseConfig({
			OPENAI_COMPATIBLE_BASE_URL: 'http://localhost:11434/v1',
			DEFAULT_MODEL: 'compatible:fake-model'
		});
		expect(listModelOptions(config).map((option) => option.id)).toEqual(['mock:offline', 'compatible:fake-model']);
		const listed = parseConfig({ OPENAI_API_KEY: 'sk', DEFAULT_MODEL: 'openai:gpt-4o' });
		expect(listModelOptions(listed).filter((option) => option.id === 'openai:gpt-4o')).toHaveLength(1);
		const unconfigured = parseConfig({ DEFAULT_MODEL: 'anthropic:claude-haiku-4-5' });
		expect(listModelOptions(unconfigured).map((option) => option.id)).toEqual(['mock:offline']);
	});

	it('ignores OPENAI_COMPATIBLE_MODELS without a base URL', () => {
		const config = parseConfig({ OPENAI_COMPATIBLE_MODELS: 'llama3:8b' });
		expect(listModelOptions(config).map((option) => option.id)).toEqual(['mock:offline']);
	});
});

describe('modelLabel', () => {
	it('names the offline model', () => {
		expect(modelLabel(OFFLINE_MODEL_ID)).toBe('Offline demo model');
		expect(modelLabel('mock')).toBe('Offline demo model');
	});

	it('names hosted providers and keeps unknown ids as they are', () => {
		expect(modelLabel('anthropic:claude-haiku-4-5')).toBe('Anthropic · claude-haiku-4-5');
		expect(modelLabel('compatible:llama3:8b')).toBe('OpenAI-compatible · llama3:8b');
		expect(modelLabel('acme:thing')).toBe('acme:thing');
		expect(modelLabel('gpt4')).toBe('gpt4');
	});
});

describe('defaultModelId', () => {
	it('uses DEFAULT_MODEL when set, even over configured providers', () => {
		expect(defaultModelId(parseConfig({ DEFAULT_MODEL: 'anthropic:claude-haiku-4-5', OPENAI_API_KEY: 'sk' }))).toBe(
			'anthropic:claude-haiku-4-5'
		);
	});

	it('otherwise takes the first hosted suggestion', () => {
		expect(defaultModelId(openai)).toBe(listModelOptions(openai)[1].id);
		expect(defaultModelId(openai)).toMatch(/^openai:/);
		expect(defaultModelId(parseConfig({ ANTHROPIC_API_KEY: 'a', GOOGLE_GENERATIVE_AI_API_KEY: 'g' }))).toMatch(/^anthropic:/);
		expect(defaultModelId(compatible)).toBe('compatible:llama3:8b');
	});

	it('falls back to the offline model', () => {
		expect(defaultModelId(noKeys)).toBe('mock:offline');
		// A compatible server with no model list offers nothing hosted.
		expect(defaultModelId(parseConfig({ OPENAI_COMPATIBLE_BASE_URL: 'http://localhost:1/v1' }))).toBe('mock:offline');
	});
});

describe('resolveModel', () => {
	/** Calls resolveModel expecting an AppError, and returns it. */
	function resolveError(config: Parameters<typeof resolveModel>[0], id: string): AppError {
		let caught: unknown;
		try {
			resolveModel(config, id);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(AppError);
		return caught as AppError;
	}

	it('returns an OfflineModel for mock:offline, without any key', () => {
		const model = resolveModel(noKeys, 'mock:offline');
		expect(model).toBeInstanceOf(OfflineModel);
		expect((model as OfflineModel).modelId).toBe('offline');
		expect(resolveModel(noKeys, 'mock')).toBeInstanceOf(OfflineModel);
	});

	it('returns a hosted model for a configured provider', () => {
		const model = resolveModel(openai, 'openai:gpt-4o') as { modelId: string; provider: string };
		expect(model).not.toBeInstanceOf(OfflineModel);
		expect(model.modelId).toBe('gpt-4o');
		expect(model.provider).toMatch(/openai/);
	});

	it.each([
		['openai:gpt-4o', openai],
		['openai:gpt-4o', parseConfig({ OPENAI_API_KEY: 'sk-test', OPENAI_API_MODE: 'chat' })],
		['anthropic:claude-haiku-4-5', anthropic],
		['google:gemini-2.5-flash', google],
		['compatible:llama3', compatible]
	])("reports %s's provider before its package loads as the loaded model does", async (id, config) => {
		const model = resolveModel(config, id);
		expect(model).toBeInstanceOf(LazyLanguageModel);
		const lazy = model as LazyLanguageModel;
		const loaded = await lazy.model();
		expect(loaded.provider).toBe(lazy.provider);
		expect(loaded.modelId).toBe(lazy.modelId);
	});

	it('keeps the colon of a compatible model name', () => {
		const model = resolveModel(compatible, 'compatible:llama3:8b') as { modelId: string };
		expect(model.modelId).toBe('llama3:8b');
	});

	it.each([
		['openai:gpt-4o', noKeys, 'openai'],
		['anthropic:claude-haiku-4-5', openai, 'anthropic'],
		['google:gemini-2.5-flash', openai, 'google'],
		['compatible:llama3', openai, 'compatible'],
		['acme:thing', openai, 'acme']
	])('refuses %s when its provider is not configured', (id, config, provider) => {
		const error = resolveError(config, id);
		expect(error.code).toBe('invalid_input');
		expect(error.field).toBe('model');
		expect(error.message).toContain(id);
		expect(error.message).toContain(provider);
	});

	it.each(['gpt4', 'openai:', ':gpt-4o', ''])('refuses the malformed id %j', (id) => {
		const error = resolveError(openai, id);
		expect(error.code).toBe('invalid_input');
		expect(error.field).toBe('model');
		expect(error.message).toMatch(/provider:model/);
	});
});
