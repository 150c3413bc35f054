import { embedMany, type EmbeddingModel } from 'ai';
import type { Config } from '../config';
import { AppError } from '../errors';
import { isProviderConfigured, parseModelId } from '../models/catalog';
import { loadGoogle, loadOpenAI, loadOpenAICompatible } from '../models/provider-modules';
import { loadOnce } from '../modules/lazy-module';
import { LEXICAL_DIMENSIONS, lexicalEmbedding } from './lexical-embedding';

/** The id of the offline embedding. */
export const LEXICAL_EMBEDDING_ID = 'mock:lexical';

/** Turns texts into vectors of one model. */
export interface Embedder {
	/** `provider:model`; vectors of different ids never meet. */
	readonly id: string;
	/**
	 * Below this cosine similarity a vector hit is not a match. The offline embedding puts
	 * unrelated texts near 0; a provider's model is trusted to rank (0).
	 */
	readonly minSimilarity: number;
	/** One vector per text, in order. */
	embed(texts: string[], signal?: AbortSignal): Promise<Float32Array[]>;
}

/** The offline, deterministic embedding (see {@link lexicalEmbedding}). */
export const lexicalEmbedder: Embedder = {
	id: LEXICAL_EMBEDDING_ID,
	minSimilarity: 0.2,
	async embed(texts) {
		return texts.map((text) => lexicalEmbedding(text, LEXICAL_DIMENSIONS));
	}
};

/**
 * An embedder over an AI SDK embedding model, made by `create` at the first embedding (a
 * provider's package loads when first needed; a failed load fails that embedding).
 */
export function modelEmbedder(id: string, create: () => Promise<EmbeddingModel>): Embedder {
	const model = loadOnce(create);
	return {
		id,
		minSimilarity: 0,
		async embed(texts, signal) {
			if (texts.length === 0) return [];
			const { embeddings } = await embedMany({ model: await model(), values: texts, abortSignal: signal, maxParallelCalls: 2 });
			return embeddings.map((embedding) => Float32Array.from(embedding));
		}
	};
}

/** The default embedding model of each provider that has one. */
const DEFAULT_EMBEDDING_MODELS = {
	openai: 'openai:text-embedding-3-small',
	google: 'google:gemini-embedding-001'
} as const;

/**
 * The embedding model id in force: `EMBEDDING_MODEL` when set; else the default of the first
 * configured provider that has embeddings (OpenAI, then Google); else the offline embedding.
 */
export function embeddingModelId(config: Config): string {
	if (config.EMBEDDING_MODEL) return config.EMBEDDING_MODEL;
	for (const [provider, id] of Object.entries(DEFAULT_EMBEDDING_MODELS)) {
		if (isProviderConfigured(config, provider)) return id;
	}
	return LEXICAL_EMBEDDING_ID;
}

/**
 * The embedder of a `provider:model` id. The offline embedding is `mock:lexical`; OpenAI, Google
 * and an OpenAI-compatible server (`compatible:<model>`) give theirs. An unconfigured provider,
 * or one without embeddings, is `invalid_input` naming `EMBEDDING_MODEL`.
 */
export function resolveEmbedder(config: Config, id = embeddingModelId(config)): Embedder {
	const { provider, model } = parseModelId(id);
	if (id === LEXICAL_EMBEDDING_ID) return lexicalEmbedder;
	if (!isProviderConfigured(config, provider) || provider === 'mock' || provider === 'anthropic') {
		throw new AppError(
			'invalid_input',
			`The embedding model "${id}" is not available: use mock:lexical, or openai:, google: or compatible: with that provider configured.`,
			{ field: 'EMBEDDING_MODEL' }
		);
	}
	switch (provider) {
		case 'openai':
			return modelEmbedder(id, async () =>
				(await loadOpenAI()).createOpenAI({ apiKey: config.OPENAI_API_KEY, baseURL: config.OPENAI_BASE_URL }).embedding(model)
			);
		case 'google':
			return modelEmbedder(id, async () =>
				(await loadGoogle()).createGoogleGenerativeAI({ apiKey: config.GOOGLE_GENERATIVE_AI_API_KEY }).embedding(model)
			);
		default:
			return modelEmbedder(id, async () =>
				(await loadOpenAICompatible())
					.createOpenAICompatible({
						name: 'compatible',
						baseURL: config.OPENAI_COMPATIBLE_BASE_URL ?? '',
						apiKey: config.OPENAI_COMPATIBLE_API_KEY
					})
					.embeddingModel(model)
			);
	}
}
