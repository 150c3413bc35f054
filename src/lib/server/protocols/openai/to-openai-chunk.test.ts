import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../runtime/events';
import { openAIStreamResponse } from './response';
import { contentChunkWriter, toCompletionUsage, toOpenAIChunk, type OpenAIChunkContext } from './to-openai-chunk';

const context: OpenAIChunkContext = { id: 'chatcmpl-1', created: 1700000000, model: 'assistant', includeUsage: false };
const withUsage: OpenAIChunkContext = { ...context, includeUsage: true };
const usage = { inputTokens: 10, outputTokens: 20 };

/** The fields every chunk of the test completion repeats. */
const head = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1700000000, model: 'assistant' } as const;

/** A chunk with one choice. */
function choice(delta: object, finishReason: string | null = null) {
	return { ...head, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }] };
}

/** Events that never reach an OpenAI caller. */
const dropped: RunEvent[] = [
	{ type: 'step-start' },
	{ type: 'step-end', usage },
	{ type: 'text-start', id: 't1' },
	{ type: 'text-end', id: 't1' },
	{ type: 'reasoning-start', id: 'r1' },
	{ type: 'reasoning-delta', id: 'r1', delta: 'Hmm.' },
	{ type: 'reasoning-end', id: 'r1' },
	{ type: 'tool-call-start', toolCallId: 'call_1', toolName: 'calculator' },
	{ type: 'tool-call-delta', toolCallId: 'call_1', inputTextDelta: '{"expression":' },
	{
		type: 'tool-call-ready',
		toolCallId: 'call_1',
		toolName: 'calculator',
		input: { expression: '6*7' },
		clientExecuted: false
	},
	{ type: 'tool-call-ready', toolCallId: 'call_2', toolName: 'get_weather', input: { city: 'Paris' }, clientExecuted: true },
	{ type: 'tool-call-invalid', toolCallId: 'call_3', toolName: 'calculator', input: {}, errorText: 'Invalid input' },
	{ type: 'tool-approval-request', toolCallId: 'call_1', approvalId: 'appr_1' },
	{ type: 'tool-output', toolCallId: 'call_1', output: { result: 42 } },
	{ type: 'tool-error', toolCallId: 'call_1', errorText: 'Division by zero' },
	{ type: 'tool-denied', toolCallId: 'call_1' }
];

describe('toOpenAIChunk', () => {
	it('opens with the role and an empty content', () => {
		const event: RunEvent = { type: 'run-start', taskId: 'task-1', messageId: 'msg-1', model: 'mock:offline' };
		expect(toOpenAIChunk(event, context)).toStrictEqual([choice({ role: 'assistant', content: '' })]);
	});

	it('sends text as content deltas', () => {
		expect(toOpenAIChunk({ type: 'text-delta', id: 't1', delta: 'Hello ' }, context)).toStrictEqual([choice({ content: 'Hello ' })]);
	});

	it.each(dropped.map((event) => ({ name: event.type, event })))('drops $name', ({ event }) => {
		expect(toOpenAIChunk(event, context)).toBeUndefined();
	});

	it('sends the calls the caller must answer as complete tool calls, in order', () => {
		const event: RunEvent = {
			type: 'input-required',
			toolCalls: [
				{ toolCallId: 'call_2', toolName: 'get_weather', input: { city: 'Paris' } },
				{ toolCallId: 'call_3', toolName: 'current_time', input: { timezone: 'UTC' }, approvalId: 'appr_1' }
			]
		};
		expect(toOpenAIChunk(event, context)).toStrictEqual([
			choice({
				tool_calls: [
					{ index: 0, id: 'call_2', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
					{
						index: 1,
						id: 'call_3',
						type: 'function',
						function: { name: 'current_time', arguments: '{"timezone":"UTC"}' }
					}
				]
			})
		]);
	});

	it('drops an input request without calls', () => {
		expect(toOpenAIChunk({ type: 'input-required', toolCalls: [] }, context)).toBeUndefined();
	});

	it.each([
		['completed', 'stop'],
		['awaiting-input', 'tool_calls'],
		['limit', 'length'],
		['interrupted', 'stop']
	] as const)('ends a run that %s with finish_reason %s', (reason, finishReason) => {
		expect(toOpenAIChunk({ type: 'run-end', reason, usage }, context)).toStrictEqual([choice({}, finishReason)]);
	});

	it('with include_usage, puts usage: null on every chunk and adds a usage chunk at the end', () => {
		expect(toOpenAIChunk({ type: 'text-delta', id: 't1', delta: 'Hi' }, withUsage)).toStrictEqual([
			{ ...choice({ content: 'Hi' }), usage: null }
		]);
		expect(toOpenAIChunk({ type: 'run-end', reason: 'completed', usage }, withUsage)).toStrictEqual([
			{ ...choice({}, 'stop'), usage: null },
			{ ...head, choices: [], usage: { prompt_tokens: 10, completion_tokens: 20, total_tokens: 30 } }
		]);
	});

	it('counts unknown token counts as 0', () => {
		const event: RunEvent = { type: 'run-end', reason: 'completed', usage: { inputTokens: undefined, outputTokens: 5 } };
		expect(toOpenAIChunk(event, withUsage)?.[1]).toStrictEqual({
			...head,
			choices: [],
			usage: { prompt_tokens: 0, completion_tokens: 5, total_tokens: 5 }
		});
	});

	it('reports cached input and reasoning tokens in the usage details when the model reported them', () => {
		const event: RunEvent = {
			type: 'run-end',
			reason: 'completed',
			usage: { inputTokens: 1200, outputTokens: 350, cachedInputTokens: 800, reasoningTokens: 120 }
		};
		expect(toOpenAIChunk(event, withUsage)?.[1]).toStrictEqual({
			...head,
			choices: [],
			usage: {
				prompt_tokens: 1200,
				completion_tokens: 350,
				total_tokens: 1550,
				prompt_tokens_details: { cached_tokens: 800 },
				completion_tokens_details: { reasoning_tokens: 120 }
			}
		});
	});

	it('sends only the details the model reported, a reported 0 included', () => {
		expect(toCompletionUsage({ inputTokens: 10, outputTokens: 20, reasoningTokens: 0 })).toStrictEqual({
			prompt_tokens: 10,
			completion_tokens: 20,
			total_tokens: 30,
			completion_tokens_details: { reasoning_tokens: 0 }
		});
		expect(toCompletionUsage({ inputTokens: 10, outputTokens: 20, cachedInputTokens: 4 })).toStrictEqual({
			prompt_tokens: 10,
			completion_tokens: 20,
			total_tokens: 30,
			prompt_tokens_details: { cached_tokens: 4 }
		});
	});

	it('sends a failure as an OpenAI error object', () => {
		expect(toOpenAIChunk({ type: 'run-error', message: 'The model failed while answering. Try again.' }, context)).toStrictEqual([
			{
				error: {
					message: 'The model failed while answering. Try again.',
					type: 'server_error',
					param: null,
					code: 'run_failed'
				}
			}
		]);
	});

	it('throws on an event type it does not know', () => {
		expect(() => toOpenAIChunk({ type: 'mystery' } as unknown as RunEvent, context)).toThrow('Unhandled run event {"type":"mystery"}');
	});
});

describe('contentChunkWriter', () => {
	it('writes exactly the JSON of the text chunk, for any text and either usage setting', () => {
		const texts = ['Hi', '', ' a "quoted" word', 'line\nbreak\ttab', '\u0000 and \\u0000', 'émoji 🎉', '</script>'];
		for (const options of [context, withUsage, { ...context, model: 'odd "model" \\u0000' }, { ...context, model: 'nul \u0000' }]) {
			const write = contentChunkWriter(options);
			for (const text of texts) {
				const event: RunEvent = { type: 'text-delta', id: 't1', delta: text };
				expect(write(text)).toBe(JSON.stringify(toOpenAIChunk(event, options)?.[0]));
			}
		}
	});
});

describe('openAIStreamResponse', () => {
	it('frames the chunks as SSE and ends with [DONE]', async () => {
		const events: RunEvent[] = [
			{ type: 'run-start', taskId: 'task-1', messageId: 'msg-1', model: 'mock:offline' },
			{ type: 'step-start' },
			{ type: 'text-start', id: 't1' },
			{ type: 'text-delta', id: 't1', delta: 'Hi' },
			{ type: 'text-end', id: 't1' },
			{ type: 'step-end', usage },
			{ type: 'run-end', reason: 'completed', usage }
		];
		const source = new ReadableStream<RunEvent>({
			start(controller) {
				for (const event of events) controller.enqueue(event);
				controller.close();
			}
		});
		const response = openAIStreamResponse(source, context, { 'x-parley-task-id': 'task-1' });
		expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
		expect(response.headers.get('x-parley-task-id')).toBe('task-1');
		const lines = (await response.text()).split('\n\n').filter(Boolean);
		expect(lines).toStrictEqual([
			`data: ${JSON.stringify(choice({ role: 'assistant', content: '' }))}`,
			`data: ${JSON.stringify(choice({ content: 'Hi' }))}`,
			`data: ${JSON.stringify(choice({}, 'stop'))}`,
			'data: [DONE]'
		]);
	});
});
