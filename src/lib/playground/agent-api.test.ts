import { describe, expect, it } from 'vitest';
import { afterResponse, agentApiProtocol, buildRequest, continuation } from './agent-api';
import { replayBody } from './replay';
import { newTaskSession } from './task-session';
import type { AgentRef } from './types';

const agent: AgentRef = { id: 3, slug: 'weather', name: 'Weather' };

const event = (name: string, data: unknown) => `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
const responseObject = (status: string) => ({ id: 'resp_1', object: 'response', status, metadata: { session_id: 's1', message_id: 'm1' } });

/** A real agent API stream of a client tool call (Responses events shortened). */
const toolCallBody = [
	event('openai_event', { type: 'response.created', response: responseObject('in_progress'), sequence_number: 0 }),
	event('openai_event', {
		type: 'response.output_item.added',
		output_index: 0,
		item: { id: 'rs_1', type: 'reasoning', summary: [] },
		sequence_number: 1
	}),
	event('openai_event', {
		type: 'response.reasoning_summary_text.delta',
		item_id: 'rs_1',
		output_index: 0,
		summary_index: 0,
		delta: 'Calling it.',
		sequence_number: 2
	}),
	event('openai_event', {
		type: 'response.output_item.added',
		output_index: 1,
		item: { id: 'msg_1', type: 'message', role: 'assistant', status: 'in_progress', content: [] },
		sequence_number: 3
	}),
	event('openai_event', {
		type: 'response.output_text.delta',
		item_id: 'msg_1',
		output_index: 1,
		content_index: 0,
		delta: 'Let ',
		logprobs: [],
		sequence_number: 4
	}),
	event('text_delta', { delta: 'Let ' }),
	event('openai_event', {
		type: 'response.output_text.delta',
		item_id: 'msg_1',
		output_index: 1,
		content_index: 0,
		delta: 'me look.',
		logprobs: [],
		sequence_number: 5
	}),
	event('text_delta', { delta: 'me look.' }),
	event('openai_event', {
		type: 'response.output_item.added',
		output_index: 2,
		item: { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'lookup_weather', arguments: '', status: 'in_progress' },
		sequence_number: 6
	}),
	event('openai_event', {
		type: 'response.function_call_arguments.delta',
		item_id: 'fc_1',
		output_index: 2,
		delta: '{"city":"Paris"}',
		sequence_number: 7
	}),
	event('openai_event', {
		type: 'response.output_item.done',
		output_index: 2,
		item: {
			id: 'fc_1',
			type: 'function_call',
			call_id: 'call_1',
			name: 'lookup_weather',
			arguments: '{"city":"Paris"}',
			status: 'completed'
		},
		sequence_number: 8
	}),
	event('openai_event', { type: 'response.completed', response: responseObject('completed'), sequence_number: 9 }),
	event('tool_call', { call_id: 'call_1', name: 'lookup_weather', arguments: '{"city":"Paris"}', requires_approval: false }),
	event('done', {
		session_id: 's1',
		message_id: 'm1',
		status: 'requires_action',
		pending_tool_calls: [{ call_id: 'call_1', name: 'lookup_weather', arguments: '{"city":"Paris"}', requires_approval: false }]
	})
].join('');

describe('agent API: requests', () => {
	it('starts a session, then continues it with session_id', () => {
		const first = buildRequest({ agent, text: 'lookup weather city=Paris', session: newTaskSession() });
		expect(first.request).toEqual({
			method: 'POST',
			url: '/api/agent/stream/',
			headers: { 'content-type': 'application/json' },
			body: { kind: 'json', value: { agent_id: 'weather', message: 'lookup weather city=Paris' } }
		});
		const later = buildRequest({ agent, text: 'Thanks', session: { kind: 'task', taskId: 's1' } });
		expect(later.request.body).toEqual({ kind: 'json', value: { agent_id: 'weather', message: 'Thanks', session_id: 's1' } });
	});

	it('posts a tool output to /api/agent/tool-output/ once the session is known', () => {
		const call = {
			toolCallId: 'call_1',
			toolName: 'lookup_weather',
			input: { city: 'Paris' },
			argumentsText: '{"city":"Paris"}',
			requiresApproval: false
		};
		expect(continuation({ agent, session: newTaskSession(), call, output: 1 })).toBeNull();
		expect(continuation({ agent, session: { kind: 'task', taskId: 's1' }, call, output: { temperature: 21 } })?.request).toEqual({
			method: 'POST',
			url: '/api/agent/tool-output/',
			headers: { 'content-type': 'application/json' },
			body: { kind: 'json', value: { session_id: 's1', call_id: 'call_1', output: { temperature: 21 } } }
		});
	});
});

describe('agent API: events', () => {
	it('types events by their SSE name, detailing openai_event by its Responses type', () => {
		const { events } = replayBody(agentApiProtocol, toolCallBody, 7);
		expect(events.map((item) => (item.detail ? `${item.type} ${item.detail}` : item.type))).toEqual([
			'openai_event response.created',
			'openai_event response.output_item.added',
			'openai_event response.reasoning_summary_text.delta',
			'openai_event response.output_item.added',
			'openai_event response.output_text.delta',
			'text_delta',
			'openai_event response.output_text.delta',
			'text_delta',
			'openai_event response.output_item.added',
			'openai_event response.function_call_arguments.delta',
			'openai_event response.output_item.done',
			'openai_event response.completed',
			'tool_call',
			'done'
		]);
		expect(events[2].preview).toBe('{"item_id":"rs_1","output_index":0,"summary_index":0,"delta":"Calling it."}');
		expect(events[5].preview).toBeUndefined();
	});

	it('renders the text from text_delta once, the call, and the pending calls of done', () => {
		const { answer } = replayBody(agentApiProtocol, toolCallBody);
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
		expect(answer).toMatchObject({
			status: 'requires-action',
			finishReason: 'requires_action',
			taskId: 's1',
			messageId: 'm1',
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
		expect(afterResponse(newTaskSession(), { answer, headers: {} })).toEqual({ kind: 'task', taskId: 's1' });
	});

	it('marks calls of an earlier step as run on the server when a new step starts', () => {
		const body =
			event('openai_event', {
				type: 'response.output_item.done',
				output_index: 0,
				item: { type: 'function_call', call_id: 'c1', name: 'calculator', arguments: '{"expression":"6*7"}' }
			}) +
			event('openai_event', { type: 'response.created', response: responseObject('in_progress') }) +
			event('text_delta', { delta: 'It is 42.' }) +
			event('done', { session_id: 's1', message_id: 'm1', status: 'completed', pending_tool_calls: [] });
		const { answer } = replayBody(agentApiProtocol, body);
		expect(answer.parts).toEqual([
			{
				type: 'tool',
				toolCallId: 'c1',
				toolName: 'calculator',
				inputText: '{"expression":"6*7"}',
				input: { expression: '6*7' },
				state: 'executed'
			},
			{ type: 'text', text: 'It is 42.' }
		]);
		expect(answer.status).toBe('completed');
	});

	it('reports errors and approval calls', () => {
		const failed = replayBody(
			agentApiProtocol,
			event('error', { code: 'upstream', message: 'Model down' }) +
				event('done', { session_id: 's1', message_id: 'm1', status: 'error', pending_tool_calls: [] })
		);
		expect(failed.answer).toMatchObject({ status: 'error', error: 'Model down', taskId: 's1' });
		const approval = replayBody(
			agentApiProtocol,
			event('tool_call', { call_id: 'c9', name: 'wipe', arguments: '{}', requires_approval: true })
		);
		expect(approval.answer.parts[0]).toMatchObject({ state: 'approval-requested', toolName: 'wipe' });
	});
});
