import { describe, expect, it } from 'vitest';
import { initialAnswer } from './answer-state';
import { replayBody } from './replay';
import type { AgentRef, RawEvent } from './types';
import { afterResponse, applyEvent, buildRequest, continuation, newSession, stopRequest, uiStreamProtocol } from './ui-stream';

const agent: AgentRef = { id: 3, slug: 'weather', name: 'Weather' };

/** A real UI message stream of a client tool call (reasoning shortened). */
const toolCallBody = [
	'data: {"type":"start","messageId":"msg_a"}',
	'data: {"type":"start-step"}',
	'data: {"type":"reasoning-start","id":"reasoning-0"}',
	'data: {"type":"reasoning-delta","id":"reasoning-0","delta":"I will call "}',
	'data: {"type":"reasoning-delta","id":"reasoning-0","delta":"the tool."}',
	'data: {"type":"reasoning-end","id":"reasoning-0"}',
	'data: {"type":"text-start","id":"text-0"}',
	'data: {"type":"text-delta","id":"text-0","delta":"Let "}',
	'data: {"type":"text-delta","id":"text-0","delta":"me look."}',
	'data: {"type":"text-end","id":"text-0"}',
	'data: {"type":"tool-input-start","toolCallId":"call_1","toolName":"lookup_weather"}',
	'data: {"type":"tool-input-delta","toolCallId":"call_1","inputTextDelta":"{\\"city\\":\\"Paris\\"}"}',
	'data: {"type":"tool-input-available","toolCallId":"call_1","toolName":"lookup_weather","input":{"city":"Paris"}}',
	'data: {"type":"finish-step"}',
	'data: {"type":"finish","finishReason":"tool-calls"}',
	'data: [DONE]'
]
	.map((line) => `${line}\n\n`)
	.join('');

/** The continuation's stream: the same message goes on. */
const continuedBody = [
	'data: {"type":"start","messageId":"msg_a"}',
	'data: {"type":"start-step"}',
	'data: {"type":"text-start","id":"text-0"}',
	'data: {"type":"text-delta","id":"text-0","delta":"It is "}',
	'data: {"type":"text-delta","id":"text-0","delta":"{\\"temperature\\":21}."}',
	'data: {"type":"text-end","id":"text-0"}',
	'data: {"type":"finish-step"}',
	'data: {"type":"finish","finishReason":"stop"}',
	'data: [DONE]'
]
	.map((line) => `${line}\n\n`)
	.join('');

const ids =
	(...values: string[]) =>
	() =>
		values.shift() ?? 'spare';

describe('UI message stream: requests', () => {
	it('proposes the task id and posts the history with the new message', () => {
		const session = newSession(ids('task_proposed_1'));
		expect(session).toEqual({ kind: 'ui-stream', taskId: 'task_proposed_1', messages: [] });
		const { request, session: next } = buildRequest({ agent, text: 'lookup weather city=Paris', session, makeId: ids('u1') });
		expect(request).toEqual({
			method: 'POST',
			url: '/api/chat',
			headers: { 'content-type': 'application/json' },
			body: {
				kind: 'json',
				value: {
					id: 'task_proposed_1',
					messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'lookup weather city=Paris' }] }],
					trigger: 'submit-message',
					agentId: 'weather'
				}
			}
		});
		expect(next.kind === 'ui-stream' && next.messages).toHaveLength(1);
	});

	it('stops a run with POST /api/chat/{id}/stop', () => {
		expect(stopRequest(newSession(ids('task/1 x')))).toEqual({
			method: 'POST',
			url: '/api/chat/task%2F1%20x/stop',
			headers: {},
			body: { kind: 'none' }
		});
	});
});

describe('UI message stream: events', () => {
	it('types each chunk by its `type`, whatever the chunk sizes', () => {
		const whole = replayBody(uiStreamProtocol, toolCallBody);
		const byThree = replayBody(uiStreamProtocol, toolCallBody, 3);
		expect(whole.events.map((event) => event.type)).toEqual([
			'start',
			'start-step',
			'reasoning-start',
			'reasoning-delta',
			'reasoning-delta',
			'reasoning-end',
			'text-start',
			'text-delta',
			'text-delta',
			'text-end',
			'tool-input-start',
			'tool-input-delta',
			'tool-input-available',
			'finish-step',
			'finish',
			'[DONE]'
		]);
		expect(byThree.events.map(({ type, raw, data }) => ({ type, raw, data }))).toEqual(
			whole.events.map(({ type, raw, data }) => ({ type, raw, data }))
		);
		expect(whole.events[7]).toEqual({
			seq: 7,
			at: 0,
			type: 'text-delta',
			raw: 'data: {"type":"text-delta","id":"text-0","delta":"Let "}',
			payload: '{"type":"text-delta","id":"text-0","delta":"Let "}',
			data: { type: 'text-delta', id: 'text-0', delta: 'Let ' },
			preview: '{"id":"text-0","delta":"Let "}'
		});
	});

	it('renders reasoning, text and the tool call, and ends waiting for the client tool', () => {
		const { answer } = replayBody(uiStreamProtocol, toolCallBody);
		expect(answer).toEqual({
			parts: [
				{ type: 'reasoning', text: 'I will call the tool.' },
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
			finishReason: 'tool-calls',
			pending: [
				{
					toolCallId: 'call_1',
					toolName: 'lookup_weather',
					input: { city: 'Paris' },
					argumentsText: '{"city":"Paris"}',
					requiresApproval: false
				}
			],
			messageId: 'msg_a',
			keys: { 'tool:call_1': 2 }
		});
	});

	it('shows tool results, errors and stops', () => {
		const event = (data: Record<string, unknown>): RawEvent => ({ seq: 0, at: 0, type: String(data.type), raw: '', payload: '', data });
		let state = applyEvent(initialAnswer(), event({ type: 'tool-input-available', toolCallId: 'c', toolName: 'calc', input: { x: 1 } }));
		state = applyEvent(state, event({ type: 'tool-output-available', toolCallId: 'c', output: 42 }));
		expect(state.parts[0]).toMatchObject({ state: 'output-available', output: 42 });
		expect(applyEvent(state, event({ type: 'error', errorText: 'Model down' }))).toMatchObject({ status: 'error', error: 'Model down' });
		expect(applyEvent(state, event({ type: 'abort' }))).toMatchObject({ status: 'interrupted', pending: [] });
		expect(applyEvent(state, event({ type: 'finish', finishReason: 'stop' }))).toMatchObject({ status: 'completed', pending: [] });
	});
});

describe('UI message stream: continuing a client tool', () => {
	it('sends the answer back with the tool output, then appends the continued parts to the same message', () => {
		const sent = buildRequest({ agent, text: 'lookup weather city=Paris', session: newSession(ids('task_proposed_1')), makeId: ids('u1') });
		const first = replayBody(uiStreamProtocol, toolCallBody).answer;
		const session = afterResponse(sent.session, { answer: first, headers: {} });
		const call = first.pending[0];

		const next = continuation({ agent, session, call, output: { temperature: 21 } });
		expect(next?.request.body).toEqual({
			kind: 'json',
			value: {
				id: 'task_proposed_1',
				messages: [
					{ id: 'u1', role: 'user', parts: [{ type: 'text', text: 'lookup weather city=Paris' }] },
					{
						id: 'msg_a',
						role: 'assistant',
						parts: [
							{ type: 'reasoning', text: 'I will call the tool.', state: 'done' },
							{ type: 'text', text: 'Let me look.', state: 'done' },
							{
								type: 'tool-lookup_weather',
								toolCallId: 'call_1',
								state: 'output-available',
								input: { city: 'Paris' },
								output: { temperature: 21 }
							}
						]
					}
				],
				trigger: 'submit-message',
				messageId: 'msg_a',
				agentId: 'weather'
			}
		});

		const continued = replayBody(uiStreamProtocol, continuedBody).answer;
		expect(continued.parts).toEqual([{ type: 'text', text: 'It is {"temperature":21}.' }]);
		const after = afterResponse(next!.session, { answer: continued, headers: {} });
		expect(after.kind === 'ui-stream' && after.messages.map((message) => [message.id, message.parts.length])).toEqual([
			['u1', 1],
			['msg_a', 4]
		]);
	});

	it('answers an approval request with approval-responded', () => {
		const session = {
			kind: 'ui-stream' as const,
			taskId: 't1234567',
			messages: [
				{
					id: 'm1',
					role: 'assistant' as const,
					parts: [{ type: 'tool-delete', toolCallId: 'c1', state: 'approval-requested', input: {}, approval: { id: 'ap1' } }]
				}
			]
		};
		const call = { toolCallId: 'c1', toolName: 'delete', input: {}, argumentsText: '{}', requiresApproval: true, approvalId: 'ap1' };
		const next = continuation({ agent, session, call, output: { approved: false, reason: 'no' } });
		expect(next?.session.kind === 'ui-stream' && next.session.messages[0].parts[0]).toEqual({
			type: 'tool-delete',
			toolCallId: 'c1',
			state: 'approval-responded',
			input: {},
			approval: { id: 'ap1', approved: false, reason: 'no' }
		});
	});

	it('cannot continue when the last message is not an answer', () => {
		const call = { toolCallId: 'c1', toolName: 'x', input: {}, argumentsText: '{}', requiresApproval: false };
		expect(continuation({ agent, session: newSession(ids('t1234567')), call, output: 1 })).toBeNull();
	});
});
