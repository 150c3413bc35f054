import { describe, expect, it } from 'vitest';
import { afterResponse, buildRequest, continuation, newSession, openAIResponsesProtocol } from './openai-responses';
import { replayBody } from './replay';
import type { AgentRef } from './types';

const agent: AgentRef = { id: 3, slug: 'weather', name: 'Weather' };

let sequence = 0;
/** One Responses SSE block: `event:` is the event's type. */
const event = (type: string, fields: Record<string, unknown>) =>
	`event: ${type}\ndata: ${JSON.stringify({ type, sequence_number: sequence++, ...fields })}\n\n`;
const response = (status: string, extra: Record<string, unknown> = {}) => ({ id: 'resp_1', object: 'response', status, ...extra });
const message = { id: 'msg_1', type: 'message', role: 'assistant', status: 'in_progress', content: [] };

/** A streamed response: reasoning, text, a server tool's call, more text, then a call of the caller's tool. */
const clientCallBody =
	event('response.created', { response: response('in_progress') }) +
	event('response.in_progress', { response: response('in_progress') }) +
	event('response.output_item.added', { output_index: 0, item: { id: 'rs_1', type: 'reasoning', summary: [] } }) +
	event('response.reasoning_summary_text.delta', { item_id: 'rs_1', output_index: 0, summary_index: 0, delta: 'Thinking.' }) +
	event('response.output_item.added', { output_index: 1, item: message }) +
	event('response.output_text.delta', { item_id: 'msg_1', output_index: 1, content_index: 0, delta: 'Let me ' }) +
	event('response.output_text.delta', { item_id: 'msg_1', output_index: 1, content_index: 0, delta: 'look.' }) +
	event('response.output_item.done', {
		output_index: 2,
		item: { id: 'mcp_1', type: 'mcp_call', name: 'calculator', arguments: '{"expression":"6*7"}', server_label: 'parley', output: '42' }
	}) +
	event('response.output_item.added', {
		output_index: 3,
		item: { id: 'fc_1', type: 'function_call', call_id: 'call_1', name: 'lookup_weather', arguments: '', status: 'in_progress' }
	}) +
	event('response.function_call_arguments.delta', { item_id: 'fc_1', output_index: 3, delta: '{"city":"Paris"}' }) +
	event('response.output_item.done', {
		output_index: 3,
		item: {
			id: 'fc_1',
			type: 'function_call',
			call_id: 'call_1',
			name: 'lookup_weather',
			arguments: '{"city":"Paris"}',
			status: 'completed'
		}
	}) +
	event('response.completed', { response: response('completed') }) +
	'data: [DONE]\n\n';

describe('OpenAI Responses: requests', () => {
	it('sends the new message as input, streamed, with no previous response at first', () => {
		const { request, session } = buildRequest({ agent, text: 'lookup weather city=Paris', session: newSession() });
		expect(request).toEqual({
			method: 'POST',
			url: '/v1/responses',
			headers: { 'content-type': 'application/json' },
			body: { kind: 'json', value: { model: 'weather', input: 'lookup weather city=Paris', stream: true } }
		});
		expect(session).toEqual({ kind: 'responses', taskId: null, previousResponseId: null });
	});

	it('continues the response it read, in the task from X-Parley-Task-Id', () => {
		const { answer } = replayBody(openAIResponsesProtocol, clientCallBody);
		const session = afterResponse(newSession(), { answer, headers: { 'x-parley-task-id': 'task9' } });
		expect(session).toEqual({ kind: 'responses', taskId: 'task9', previousResponseId: 'resp_1' });
		expect(buildRequest({ agent, text: 'And tomorrow?', session }).request.body).toEqual({
			kind: 'json',
			value: { model: 'weather', input: 'And tomorrow?', stream: true, previous_response_id: 'resp_1' }
		});
	});

	it("answers the caller's call with function_call_output, and an approval with mcp_approval_response", () => {
		const session = { kind: 'responses' as const, taskId: 'task9', previousResponseId: 'resp_1' };
		const call = { toolCallId: 'call_1', toolName: 'lookup_weather', input: { city: 'Paris' }, argumentsText: '{"city":"Paris"}' };
		expect(continuation({ agent, session, call: { ...call, requiresApproval: false }, output: { temperature: 21 } })?.request.body).toEqual(
			{
				kind: 'json',
				value: {
					model: 'weather',
					input: [{ type: 'function_call_output', call_id: 'call_1', output: '{"temperature":21}' }],
					stream: true,
					previous_response_id: 'resp_1'
				}
			}
		);
		const approval = { ...call, toolCallId: 'mcpr_1', requiresApproval: true, approvalId: 'mcpr_1' };
		expect(continuation({ agent, session, call: approval, output: { approved: false, reason: 'Not now' } })?.request.body).toEqual({
			kind: 'json',
			value: {
				model: 'weather',
				input: [{ type: 'mcp_approval_response', approval_request_id: 'mcpr_1', approve: false, reason: 'Not now' }],
				stream: true,
				previous_response_id: 'resp_1'
			}
		});
		expect(continuation({ agent, session: newSession(), call: { ...call, requiresApproval: false }, output: 1 })).toBeNull();
	});
});

describe('OpenAI Responses: events', () => {
	it("types events by their SSE name and renders reasoning, text, the server's tool and the caller's call", () => {
		const { events, answer } = replayBody(openAIResponsesProtocol, clientCallBody);
		expect(events.map((raw) => raw.type)).toEqual([
			'response.created',
			'response.in_progress',
			'response.output_item.added',
			'response.reasoning_summary_text.delta',
			'response.output_item.added',
			'response.output_text.delta',
			'response.output_text.delta',
			'response.output_item.done',
			'response.output_item.added',
			'response.function_call_arguments.delta',
			'response.output_item.done',
			'response.completed',
			'[DONE]'
		]);
		expect(answer.parts).toEqual([
			{ type: 'reasoning', text: 'Thinking.' },
			{ type: 'text', text: 'Let me look.' },
			expect.objectContaining({ type: 'tool', toolCallId: 'mcp_1', toolName: 'calculator', state: 'output-available', output: '42' }),
			expect.objectContaining({ type: 'tool', toolCallId: 'call_1', toolName: 'lookup_weather', state: 'input-available' })
		]);
		expect(answer.status).toBe('requires-action');
		expect(answer.pending).toEqual([expect.objectContaining({ toolCallId: 'call_1', input: { city: 'Paris' }, requiresApproval: false })]);
	});

	it('waits on an approval request, and ends as interrupted or failed', () => {
		const approval =
			event('response.created', { response: response('in_progress') }) +
			event('response.output_item.added', {
				output_index: 0,
				item: { id: 'mcpr_1', type: 'mcp_approval_request', name: 'delete_file', arguments: '{"path":"a.txt"}', server_label: 'parley' }
			}) +
			event('response.completed', { response: response('completed') });
		const waiting = replayBody(openAIResponsesProtocol, approval).answer;
		expect(waiting.status).toBe('requires-action');
		expect(waiting.pending).toEqual([
			expect.objectContaining({ toolCallId: 'mcpr_1', toolName: 'delete_file', requiresApproval: true, approvalId: 'mcpr_1' })
		]);

		const cut =
			event('response.created', { response: response('in_progress') }) +
			event('response.incomplete', { response: response('incomplete', { incomplete_details: { reason: 'interrupted' } }) });
		expect(replayBody(openAIResponsesProtocol, cut).answer).toMatchObject({ status: 'interrupted', finishReason: 'interrupted' });

		const failed =
			event('response.created', { response: response('in_progress') }) +
			event('response.failed', { response: response('failed', { error: { code: 'server_error', message: 'The model failed.' } }) });
		expect(replayBody(openAIResponsesProtocol, failed).answer).toMatchObject({ status: 'error', error: 'The model failed.' });
	});
});
