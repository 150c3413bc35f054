import type {
	LanguageModelV3,
	LanguageModelV3CallOptions,
	LanguageModelV3GenerateResult,
	LanguageModelV3StreamPart,
	LanguageModelV3StreamResult
} from '@ai-sdk/provider';
import { finishReasonOf, planContent, planStreamParts, responseMetadata, usageOf } from './model-output';
import { holdIndex, NORMAL_PACE } from './pace';
import { planResponse } from './plan-response';
import { streamParts, throwIfAborted } from './stream-parts';

/** Options of the {@link OfflineModel}. */
export interface OfflineModelOptions {
	/** Model id reported to the AI SDK; defaults to `'mock'`. */
	modelId?: string;
	/** Pause between two streamed words in milliseconds; defaults to 15, 0 streams as fast as possible. */
	tokenDelayMs?: number;
}

const DEFAULT_MODEL_ID = 'mock';
const DEFAULT_TOKEN_DELAY_MS = 15;

/**
 * Parley's built-in offline model: a deterministic AI SDK language model used when no API key
 * is configured. It streams word by word, reasons briefly, calls the tools the user names, quotes
 * tool results, describes attachments, answers a request for "a code example" with a fixed fenced
 * TypeScript block and otherwise echoes the request. Same prompt, same output.
 */
export class OfflineModel implements LanguageModelV3 {
	readonly specificationVersion = 'v3';
	readonly provider = 'offline';
	readonly modelId: string;
	/** URLs of every kind are passed through untouched: the offline model never downloads anything. */
	readonly supportedUrls: Record<string, RegExp[]> = { '*/*': [/^/] };
	private readonly tokenDelayMs: number;

	constructor(options: OfflineModelOptions = {}) {
		this.modelId = options.modelId ?? DEFAULT_MODEL_ID;
		this.tokenDelayMs = Math.max(0, options.tokenDelayMs ?? DEFAULT_TOKEN_DELAY_MS);
	}

	/** Answers at once with the same content {@link doStream} would stream. */
	async doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
		throwIfAborted(options.abortSignal);
		const plan = planResponse(options);
		return {
			content: planContent(plan),
			finishReason: finishReasonOf(plan),
			usage: usageOf(options.prompt, plan),
			response: responseMetadata(options.prompt, this.modelId),
			warnings: []
		};
	}

	/**
	 * Streams the answer word by word, pausing `tokenDelayMs` between words (or as the message's
	 * pace asks, ./pace.ts); honours the abort signal.
	 */
	async doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
		throwIfAborted(options.abortSignal);
		const plan = planResponse(options);
		const parts: LanguageModelV3StreamPart[] = [
			{ type: 'stream-start', warnings: [] },
			{ type: 'response-metadata', ...responseMetadata(options.prompt, this.modelId) },
			...planStreamParts(plan),
			{ type: 'finish', finishReason: finishReasonOf(plan), usage: usageOf(options.prompt, plan) }
		];
		const pace = plan.pace ?? NORMAL_PACE;
		return {
			stream: streamParts(parts, Math.max(this.tokenDelayMs, pace.minDelayMs), options.abortSignal, {
				holdBefore: pace.holdUntilStopped ? holdIndex(parts) : undefined
			})
		};
	}
}
