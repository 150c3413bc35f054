import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../runtime/summarize-run';
import { toChatCompletion } from './chat-completion';

const context = { id: 'chatcmpl-1', created: 1700000000, model: 'assistant' };

const summary: RunSummary = {
	taskId: 'task-1',
	messageId: 'msg-1',
	model: 'mock:offline',
	text: 'Hello there.',
	reasoning: 'I will greet them.',
	toolCalls: [],
	pendingToolCalls: [],
	endReason: 'completed',
	usage: { inputTokens: 3, outputTokens: 4 }
};

describe('toChatCompletion', () => {
	it('answers with the text', () => {
		expect(toChatCompletion(summary, context)).toStrictEqual({
			id: 'chatcmpl-1',
			object: 'chat.completion',
			created: 1700000000,
			model: 'assistant',
			choices: [
				{
					index: 0,
					message: { role: 'assistant', content: 'Hello there.', refusal: null, annotations: [] },
					logprobs: null,
					finish_reason: 'stop'
				}
			],
			usage: { prompt_tokens: 3, completion_tokens: 4, total_tokens: 7 }
		});
	});

	it('reports the cached input and reasoning tokens the model reported', () => {
		const completion = toChatCompletion(
			{ ...summary, usage: { inputTokens: 30, outputTokens: 12, cachedInputTokens: 16, reasoningTokens: 8 } },
			context
		);
		expect(completion.usage).toStrictEqual({
			prompt_tokens: 30,
			completion_tokens: 12,
			total_tokens: 42,
			prompt_tokens_details: { cached_tokens: 16 },
			completion_tokens_details: { reasoning_tokens: 8 }
		});
	});

	it('returns the calls the caller must answer as tool_calls', () => {
		const completion = toChatCompletion(
			{
				...summary,
				text: '',
				endReason: 'awaiting-input',
				pendingToolCalls: [{ toolCallId: 'call_1', toolName: 'get_weather', input: { city: 'Paris' } }]
			},
			context
		);
		expect(completion.choices[0]).toStrictEqual({
			index: 0,
			message: {
				role: 'assistant',
				content: null,
				refusal: null,
				annotations: [],
				tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } }]
			},
			logprobs: null,
			finish_reason: 'tool_calls'
		});
	});

	it('says length when the run hit its limit', () => {
		expect(toChatCompletion({ ...summary, endReason: 'limit' }, context).choices[0].finish_reason).toBe('length');
	});
});
