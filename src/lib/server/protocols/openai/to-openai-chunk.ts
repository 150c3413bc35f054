import type { ChatCompletionChunk, ChatCompletionMessageFunctionToolCall } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import type { PendingToolCall, RunEndReason, RunEvent, RunUsage } from '../../runtime/events';
import type { OpenAIErrorBody } from './errors';

/** What every chunk of one completion repeats, known to the request rather than the run. */
export interface OpenAIChunkContext {
	/** `chatcmpl-…`, the same on every chunk. */
	id: string;
	/** Unix seconds. */
	created: number;
	/** The agent's slug. */
	model: string;
	/** `stream_options.include_usage`: `usage: null` on every chunk, and a last chunk with the usage. */
	includeUsage: boolean;
}

/** What a completion stream carries: chunks, or an error once the stream has begun. */
export type OpenAIStreamItem = ChatCompletionChunk | OpenAIErrorBody;

type FinishReason = NonNullable<ChatCompletionChunk.Choice['finish_reason']>;

/** OpenAI's finish reason for each way a run ends. */
export const finishReasonOf: Record<RunEndReason, FinishReason> = {
	completed: 'stop',
	'awaiting-input': 'tool_calls',
	limit: 'length',
	interrupted: 'stop'
};

/**
 * A run's token counts in OpenAI's form: unknown input or output counts as 0; cached input and
 * reasoning come as `prompt_tokens_details.cached_tokens` and
 * `completion_tokens_details.reasoning_tokens` when the model reported them, and the (optional)
 * details objects are left out when it did not.
 */
export function toCompletionUsage(usage: RunUsage): CompletionUsage {
	const prompt = usage.inputTokens ?? 0;
	const completion = usage.outputTokens ?? 0;
	return {
		prompt_tokens: prompt,
		completion_tokens: completion,
		total_tokens: prompt + completion,
		...(usage.cachedInputTokens !== undefined ? { prompt_tokens_details: { cached_tokens: usage.cachedInputTokens } } : {}),
		...(usage.reasoningTokens !== undefined ? { completion_tokens_details: { reasoning_tokens: usage.reasoningTokens } } : {})
	};
}

/** Calls the caller must answer (its own tools, approvals) as OpenAI tool calls. */
export function toToolCalls(calls: readonly PendingToolCall[]): ChatCompletionMessageFunctionToolCall[] {
	return calls.map((call) => ({
		id: call.toolCallId,
		type: 'function',
		function: {
			name: call.toolName,
			arguments: typeof call.input === 'string' ? call.input : (JSON.stringify(call.input ?? {}) ?? '{}')
		}
	}));
}

/** One chunk with a single choice. */
function chunk(
	context: OpenAIChunkContext,
	delta: ChatCompletionChunk.Choice['delta'],
	finishReason: FinishReason | null = null
): ChatCompletionChunk {
	return {
		id: context.id,
		object: 'chat.completion.chunk',
		created: context.created,
		model: context.model,
		choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
		...(context.includeUsage ? { usage: null } : {})
	};
}

/**
 * Writes the JSON of a text chunk (`delta: {content}`) from a template made once per completion:
 * the same text as `JSON.stringify` of the chunk {@link toOpenAIChunk} makes, without serialising
 * the fields every delta repeats.
 */
export function contentChunkWriter(context: OpenAIChunkContext): (content: string) => string {
	const marker = '\u0000';
	const parts = JSON.stringify(chunk(context, { content: marker })).split(JSON.stringify(marker));
	if (parts.length !== 2) return (content) => JSON.stringify(chunk(context, { content }));
	const [before, after] = parts;
	return (content) => before + JSON.stringify(content) + after;
}

/**
 * Translates one run event into Chat Completions stream items; `undefined` drops it. The first
 * chunk carries the role; text comes as `content` deltas; calls the caller must answer come as
 * complete `tool_calls` once the run stops for them (the agent's own tools run inside and are
 * not shown); the last chunk has an empty delta and the finish reason, followed by the usage
 * chunk when asked for. A failure becomes `{"error": …}`, which the SDK throws.
 */
export function toOpenAIChunk(event: RunEvent, context: OpenAIChunkContext): OpenAIStreamItem[] | undefined {
	switch (event.type) {
		case 'run-start':
			return [chunk(context, { role: 'assistant', content: '' })];
		case 'text-delta':
			return [chunk(context, { content: event.delta })];
		case 'input-required': {
			if (event.toolCalls.length === 0) return undefined;
			const toolCalls = toToolCalls(event.toolCalls).map((call, index) => ({ index, ...call }));
			return [chunk(context, { tool_calls: toolCalls })];
		}
		case 'run-end': {
			const last = chunk(context, {}, finishReasonOf[event.reason]);
			if (!context.includeUsage) return [last];
			const usage: ChatCompletionChunk = {
				id: context.id,
				object: 'chat.completion.chunk',
				created: context.created,
				model: context.model,
				choices: [],
				usage: toCompletionUsage(event.usage)
			};
			return [last, usage];
		}
		case 'run-error':
			return [{ error: { message: event.message, type: 'server_error', param: null, code: 'run_failed' } }];
		case 'widget':
		case 'step-start':
		case 'step-end':
		case 'text-start':
		case 'text-end':
		case 'reasoning-start':
		case 'reasoning-delta':
		case 'reasoning-end':
		case 'tool-call-start':
		case 'tool-call-delta':
		case 'tool-call-ready':
		case 'tool-call-invalid':
		case 'tool-approval-request':
		case 'tool-output':
		case 'tool-error':
		case 'tool-denied':
			return undefined;
		default: {
			const unhandled: never = event;
			throw new Error(`Unhandled run event ${JSON.stringify(unhandled)}`);
		}
	}
}
