import type { ChatCompletion } from 'openai/resources/chat/completions';
import type { RunSummary } from '../../runtime/summarize-run';
import { finishReasonOf, toCompletionUsage, toToolCalls, type OpenAIChunkContext } from './to-openai-chunk';

/**
 * The non-streamed answer (`chat.completion`) from a run's summary: the text as `content`, the
 * calls the caller must answer as `tool_calls` (with `finish_reason: "tool_calls"`). A failed
 * run has no completion: answer it with an error instead.
 */
export function toChatCompletion(summary: RunSummary, context: Omit<OpenAIChunkContext, 'includeUsage'>): ChatCompletion {
	const toolCalls = toToolCalls(summary.pendingToolCalls);
	const endReason = summary.endReason === 'error' ? 'interrupted' : summary.endReason;
	return {
		id: context.id,
		object: 'chat.completion',
		created: context.created,
		model: context.model,
		choices: [
			{
				index: 0,
				message: {
					role: 'assistant',
					content: summary.text === '' && toolCalls.length > 0 ? null : summary.text,
					refusal: null,
					annotations: [],
					...(toolCalls.length > 0 ? { tool_calls: toolCalls } : {})
				},
				logprobs: null,
				finish_reason: finishReasonOf[endReason]
			}
		],
		usage: toCompletionUsage(summary.usage)
	};
}
