import { describe, expect, it } from 'vitest';
import { afterResponse, buildRequest, continuation, newSession, openAIProtocol } from './openai-chat';
import { replayBody } from './replay';
import type { AgentRef } from './types';

const agent: AgentRef = { id: 3, slug: 'weather', name: 'Weather' };

const chunk = (delta: Record<string, unknown>, finish: string | null = null) =>
	`data: ${JSON.stringify({
		id: 'chatcmpl-1',
		object: 'chat.completion.chunk',
		created: 1,
		model: 'weather',
		choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
		usage: null
	})}\n\n`;

/** A real streamed completion that ends with a client tool call. */
const toolCallBody =
	chunk({ role: 'assistant', content: '' }) +
	chunk({ content: 'Let ' }) +
	chunk({ content: 'me look.' }) +
	chunk({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'lookup_weather', arguments: '{"city":' } }] }) +
	chunk({ tool_calls: [{ index: 0, function: { arguments: '"Paris"}' } }] }) +
	chunk({}, 'tool_calls') +
	`data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1, model: 'weather', choices: [], usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 } })}\n\n` +
	'data: [DONE]\n\n';

describe('OpenAI-compatible: requests', () => {
	it('streams the whole history, with usage, and no task until one is known', () => {
		const { request, session } = buildRequest({ agent, text: 'lookup weather city=Paris', session: newSession() });
		expect(request).toEqual({
			method: 'POST',
			url: '/v1/chat/completions',
			headers: { 'content-type': 'application/json' },
			body: {
				kind: 'json',
				value: {
					model: 'weather',
					messages: [{ role: 'user', content: 'lookup weather city=Paris' }],
					stream: true,
					stream_options: { include_usage: true }
				}
			}
		});
		expect(session).toEqual({ kind: 'openai', taskId: null, messages: [{ role: 'user', content: 'lookup weather city=Paris' }] });
	});

	it('keeps the answer and the task id from X-Parley-Task-Id, then continues with a tool message', () => {
		const sent = buildRequest({ agent, text: 'lookup weather city=Paris', session: newSession() });
		const { answer } = replayBody(openAIProtocol, toolCallBody);
		const session = afterResponse(sent.session, { answer, headers: { 'x-parley-task-id': 'task9' } });
		expect(session).toEqual({
			kind: 'openai',
			taskId: 'task9',
			messages: [
				{ role: 'user', content: 'lookup weather city=Paris' },
				{
					role: 'assistant',
					content: 'Let me look.',
					tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup_weather', arguments: '{"city":"Paris"}' } }]
				}
			]
		});
		const next = continuation({ agent, session, call: answer.pending[0], output: { temperature: 21 } });
		expect(next?.request.body).toEqual({
			kind: 'json',
			value: {
				model: 'weather',
				messages: [
					{ role: 'user', content: 'lookup weather city=Paris' },
					{
						role: 'assistant',
						content: 'Let me look.',
						tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'lookup_weather', arguments: '{"city":"Paris"}' } }]
					},
					{ role: 'tool', tool_call_id: 'call_1', content: '{"temperature":21}' }
				],
				stream: true,
				stream_options: { include_usage: true },
				metadata: { task_id: 'task9' }
			}
		});
	});
});

describe('OpenAI-compatible: events', () => {
	it('types chunks by their object and details what the delta carries', () => {
		const { events } = replayBody(openAIProtocol, toolCallBody, 11);
		expect(events.map((event) => [event.type, event.detail])).toEqual([
			['chat.completion.chunk', 'role'],
			['chat.completion.chunk', 'content'],
			['chat.completion.chunk', 'content'],
			['chat.completion.chunk', 'tool_calls'],
			['chat.completion.chunk', 'tool_calls'],
			['chat.completion.chunk', 'finish_reason: tool_calls'],
			['chat.completion.chunk', 'usage'],
			['[DONE]', undefined]
		]);
		// The preview leaves out what repeats on every chunk.
		expect(events.map((event) => event.preview)).toEqual([
			'{"role":"assistant","content":""}',
			'{"content":"Let "}',
			'{"content":"me look."}',
			'{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"lookup_weather","arguments":"{\\"city\\":"}}]}',
			'{"tool_calls":[{"index":0,"function":{"arguments":"\\"Paris\\"}"}}]}',
			'{}',
			'{"usage":{"prompt_tokens":3,"completion_tokens":5,"total_tokens":8}}',
			undefined
		]);
	});

	it('assembles text and tool call fragments, and waits on finish_reason tool_calls', () => {
		const { answer } = replayBody(openAIProtocol, toolCallBody);
		expect(answer).toMatchObject({
			parts: [
				{ type: 'text', text: 'Let me look.' },
				{
					type: 'tool',
					toolCallId: 'call_1',
					toolName: 'lookup_weather',
					inputText: '{"city":"Paris"}',
					input: { city: 'Paris' },
					state: 'input-available'
				}
			],
			status: 'requires-action',
			finishReason: 'tool_calls',
			usage: { prompt_tokens: 3, completion_tokens: 5, total_tokens: 8 },
			pending: [
				{
					toolCallId: 'call_1',
					toolName: 'lookup_weather',
					input: { city: 'Paris' },
					argumentsText: '{"city":"Paris"}',
					requiresApproval: false
				}
			]
		});
	});

	it('ends on stop, and fails on a mid-stream error object', () => {
		expect(replayBody(openAIProtocol, chunk({ content: 'Hi' }) + chunk({}, 'stop')).answer).toMatchObject({
			status: 'completed',
			pending: []
		});
		const failed = replayBody(
			openAIProtocol,
			'data: {"error":{"message":"Model down","type":"server_error","param":null,"code":"run_failed"}}\n\n'
		);
		expect(failed.events[0].type).toBe('error');
		expect(failed.answer).toMatchObject({ status: 'error', error: 'Model down' });
	});
});
