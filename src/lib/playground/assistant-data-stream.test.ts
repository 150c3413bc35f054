import { describe, expect, it } from 'vitest';
import { assistantDataStreamProtocol } from './assistant-data-stream';
import { replayBody } from './replay';
import { newTaskSession } from './task-session';
import type { AgentRef } from './types';

const agent: AgentRef = { id: 3, slug: 'weather', name: 'Weather' };

/** A real data stream of a client tool call (state operations and reasoning shortened). */
const toolCallBody = [
	'aui-state:[{"type":"set","path":["taskId"],"value":"t1"},{"type":"set","path":["messages"],"value":[{"id":"u1","role":"user","content":[{"type":"text","text":"hi"}]},{"id":"a1","role":"assistant","content":[],"status":{"type":"running"}}]}]',
	'f:{"messageId":"a1"}',
	'g:"Calling it."',
	'aui-state:[{"type":"set","path":["messages","1","content","0"],"value":{"type":"text","text":""}}]',
	'aui-state:[{"type":"append-text","path":["messages","1","content","0","text"],"value":"Let "}]',
	'0:"Let "',
	'0:"me look."',
	'b:{"toolCallId":"call_1","toolName":"lookup_weather"}',
	'c:{"toolCallId":"call_1","argsTextDelta":"{\\"city\\":\\"Paris\\"}"}',
	'9:{"toolCallId":"call_1","toolName":"lookup_weather","args":{"city":"Paris"}}',
	'e:{"finishReason":"tool-calls","usage":{"inputTokens":3,"outputTokens":20},"isContinued":false}',
	'd:{"finishReason":"tool-calls","usage":{"inputTokens":3,"outputTokens":20}}'
]
	.map((line) => `${line}\n`)
	.join('');

describe('assistant transport, data stream', () => {
	it('posts an add-message command to /assistant with the agent, then the thread’s task in state', () => {
		const first = assistantDataStreamProtocol.buildRequest({ agent, text: 'hi', session: newTaskSession() });
		expect(first.request).toEqual({
			method: 'POST',
			url: '/assistant?agent=weather',
			headers: { 'content-type': 'application/json' },
			body: {
				kind: 'json',
				value: {
					commands: [
						{ type: 'add-message', message: { role: 'user', parts: [{ type: 'text', text: 'hi' }] }, parentId: null, sourceId: null }
					],
					state: {}
				}
			}
		});
		const later = assistantDataStreamProtocol.buildRequest({ agent, text: 'more', session: { kind: 'task', taskId: 't1' } });
		expect(later.request.body.kind === 'json' && (later.request.body.value as { state: unknown }).state).toEqual({ taskId: 't1' });
	});

	it('types each line by its code, described', () => {
		const { events } = replayBody(assistantDataStreamProtocol, toolCallBody, 9);
		expect(events.map((event) => `${event.type} (${event.detail})`)).toEqual([
			'aui-state (state operations)',
			'f (step start)',
			'g (reasoning)',
			'aui-state (state operations)',
			'aui-state (state operations)',
			'0 (text)',
			'0 (text)',
			'b (tool call start)',
			'c (tool args delta)',
			'9 (tool call)',
			'e (step finish)',
			'd (message finish)'
		]);
		expect(events[5]).toMatchObject({ raw: '0:"Let "', payload: '"Let "', data: 'Let ' });
	});

	it('renders the parts, keeps the thread state, and waits on a call without a result', () => {
		const { answer } = replayBody(assistantDataStreamProtocol, toolCallBody);
		expect(answer.parts).toEqual([
			{ type: 'reasoning', text: 'Calling it.' },
			{ type: 'text', text: 'Let me look.' },
			{
				type: 'tool',
				toolCallId: 'call_1',
				toolName: 'lookup_weather',
				inputText: '{"city":"Paris"}',
				input: { city: 'Paris' },
				state: 'input-available'
			}
		]);
		expect(answer).toMatchObject({ status: 'requires-action', finishReason: 'tool-calls', taskId: 't1', messageId: 'a1' });
		expect(answer.pending.map((call) => call.toolCallId)).toEqual(['call_1']);
		expect(answer.threadState).toEqual({
			taskId: 't1',
			messages: [
				{ id: 'u1', role: 'user', content: [{ type: 'text', text: 'hi' }] },
				{ id: 'a1', role: 'assistant', content: [{ type: 'text', text: 'Let ' }], status: { type: 'running' } }
			]
		});
		const session = assistantDataStreamProtocol.afterResponse(newTaskSession(), { answer, headers: {} });
		expect(session).toEqual({ kind: 'task', taskId: 't1' });
		const next = assistantDataStreamProtocol.continuation({ agent, session, call: answer.pending[0], output: { temperature: 21 } });
		expect(next?.request.body).toEqual({
			kind: 'json',
			value: {
				commands: [
					{ type: 'add-tool-result', toolCallId: 'call_1', toolName: 'lookup_weather', result: { temperature: 21 }, isError: false }
				],
				state: { taskId: 't1' }
			}
		});
	});

	it('shows results, errors, and a stopped answer', () => {
		const result = replayBody(
			assistantDataStreamProtocol,
			'9:{"toolCallId":"c","toolName":"calc","args":{}}\na:{"toolCallId":"c","result":42}\nd:{"finishReason":"stop","usage":{}}\n'
		);
		expect(result.answer.parts[0]).toMatchObject({ state: 'output-available', output: 42 });
		expect(result.answer.status).toBe('completed');
		expect(replayBody(assistantDataStreamProtocol, '3:"Model down"\n').answer).toMatchObject({ status: 'error', error: 'Model down' });
		expect(replayBody(assistantDataStreamProtocol, 'd:{"finishReason":"other"}').answer.status).toBe('interrupted');
	});
});
