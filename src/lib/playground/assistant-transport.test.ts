import { describe, expect, it } from 'vitest';
import { assistantTransportProtocol } from './assistant-transport';
import { replayBody } from './replay';
import { newTaskSession } from './task-session';
import type { AgentRef } from './types';

const agent: AgentRef = { id: 3, slug: 'weather', name: 'Weather' };

const sse = (chunks: unknown[]) => chunks.map((chunk) => `data: ${JSON.stringify(chunk)}\n\n`).join('') + 'data: [DONE]\n\n';

/** A real assistant-transport continuation: the earlier call's result is in the state only. */
const continuedBody = sse([
	{
		type: 'update-state',
		path: [],
		operations: [
			{ type: 'set', path: ['taskId'], value: 't1' },
			{ type: 'set', path: ['messages'], value: [] }
		]
	},
	{ type: 'step-start', path: [], messageId: 'a1' },
	{ type: 'part-start', path: [], part: { type: 'reasoning' } },
	{ type: 'text-delta', path: [0], textDelta: 'Reporting.' },
	{ type: 'part-finish', path: [0] },
	{ type: 'part-start', path: [], part: { type: 'text' } },
	{ type: 'text-delta', path: [1], textDelta: 'It is ' },
	{ type: 'text-delta', path: [1], textDelta: '{"temperature":21}.' },
	{ type: 'part-finish', path: [1] },
	{ type: 'step-finish', path: [], finishReason: 'stop', usage: { inputTokens: 24, outputTokens: 20 }, isContinued: false },
	{ type: 'message-finish', path: [], finishReason: 'stop', usage: { inputTokens: 24, outputTokens: 20 } }
]);

describe('assistant transport, SSE', () => {
	it('asks for the SSE format in the query', () => {
		const { request } = assistantTransportProtocol.buildRequest({ agent, text: 'hi', session: newTaskSession() });
		expect(request.url).toBe('/assistant?agent=weather&protocol=assistant-transport');
	});

	it('types chunks by their `type` and renders parts by their path', () => {
		const { events, answer } = replayBody(assistantTransportProtocol, continuedBody, 13);
		expect(events.map((event) => event.type)).toEqual([
			'update-state',
			'step-start',
			'part-start',
			'text-delta',
			'part-finish',
			'part-start',
			'text-delta',
			'text-delta',
			'part-finish',
			'step-finish',
			'message-finish',
			'[DONE]'
		]);
		expect(answer).toMatchObject({
			parts: [
				{ type: 'reasoning', text: 'Reporting.' },
				{ type: 'text', text: 'It is {"temperature":21}.' }
			],
			status: 'completed',
			finishReason: 'stop',
			taskId: 't1',
			messageId: 'a1',
			pending: []
		});
	});

	it('streams tool arguments into the call’s part, and waits when the message finishes on tool-calls', () => {
		const body = sse([
			{ type: 'part-start', path: [], part: { type: 'tool-call', toolCallId: 'call_1', toolName: 'lookup_weather' } },
			{ type: 'text-delta', path: [0], textDelta: '{"city":"Paris"}' },
			{ type: 'tool-call-args-text-finish', path: [0] },
			{ type: 'message-finish', path: [], finishReason: 'tool-calls', usage: {} }
		]);
		const { answer } = replayBody(assistantTransportProtocol, body);
		expect(answer.parts).toEqual([
			{
				type: 'tool',
				toolCallId: 'call_1',
				toolName: 'lookup_weather',
				inputText: '{"city":"Paris"}',
				input: { city: 'Paris' },
				state: 'input-available'
			}
		]);
		expect(answer.pending.map((call) => call.toolName)).toEqual(['lookup_weather']);
		const next = assistantTransportProtocol.continuation({
			agent,
			session: { kind: 'task', taskId: 't1' },
			call: answer.pending[0],
			output: 'sunny'
		});
		expect(next?.request).toEqual({
			method: 'POST',
			url: '/assistant?agent=weather&protocol=assistant-transport',
			headers: { 'content-type': 'application/json' },
			body: {
				kind: 'json',
				value: {
					commands: [{ type: 'add-tool-result', toolCallId: 'call_1', toolName: 'lookup_weather', result: 'sunny', isError: false }],
					state: { taskId: 't1' }
				}
			}
		});
	});

	it('shows results and errors', () => {
		const body = sse([
			{ type: 'part-start', path: [], part: { type: 'tool-call', toolCallId: 'c', toolName: 'calc' } },
			{ type: 'result', path: [0], result: 'bad input', isError: true },
			{ type: 'error', path: [], error: 'Model down' }
		]);
		const { answer } = replayBody(assistantTransportProtocol, body);
		expect(answer.parts[0]).toMatchObject({ state: 'output-error', errorText: 'bad input' });
		expect(answer).toMatchObject({ status: 'error', error: 'Model down' });
	});
});
