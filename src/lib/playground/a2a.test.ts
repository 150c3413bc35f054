import { describe, expect, it } from 'vitest';
import { a2aProtocol, buildRequest, continuation, newSession, stopRequest } from './a2a';
import { replayBody } from './replay';
import type { AgentRef } from './types';

const agent: AgentRef = { id: 3, slug: 'weather', name: 'Weather' };
const ids = () => 'fixed_id';

/** One SSE event: a JSON-RPC response whose result is `result`. */
const event = (result: Record<string, unknown>) => `data: ${JSON.stringify({ jsonrpc: '2.0', id: 'fixed_id', result })}\n\n`;
const status = (state: string, parts?: unknown[]) => ({
	statusUpdate: {
		taskId: 't1',
		contextId: 't1',
		status: { state, ...(parts ? { message: { messageId: 'm', role: 'ROLE_AGENT', parts } } : {}) }
	}
});
const chunk = (text: string) => ({ artifactUpdate: { taskId: 't1', artifact: { artifactId: 'a-answer', parts: [{ text }] } } });

describe('A2A: requests', () => {
	it('sends SendStreamingMessage with the text, proposing the task id as contextId', () => {
		const { request, session } = buildRequest({ agent, text: 'Hi', session: newSession(ids), makeId: ids });
		expect(request).toEqual({
			method: 'POST',
			url: '/a2a/weather',
			headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
			body: {
				kind: 'json',
				value: {
					jsonrpc: '2.0',
					id: 'fixed_id',
					method: 'SendStreamingMessage',
					params: { message: { messageId: 'msg_fixed_id', role: 'ROLE_USER', contextId: 'fixed_id', parts: [{ text: 'Hi' }] } }
				}
			}
		});
		expect(session).toEqual({ kind: 'a2a', taskId: 'fixed_id', agent: 'weather' });
		expect(stopRequest(session)).toMatchObject({
			url: '/a2a/weather',
			body: { value: { method: 'CancelTask', params: { id: 'fixed_id' } } }
		});
		expect(stopRequest(newSession(ids))).toBeNull();
	});

	it('answers a pending call with a data part: the output, or the approval', () => {
		const session = newSession(ids);
		const call = { toolCallId: 'c2', toolName: 'lookup_weather', input: {}, argumentsText: '{}', requiresApproval: false };
		const parts = (output: unknown, requiresApproval = false) =>
			(
				continuation({ agent, session, call: { ...call, requiresApproval }, output })?.request.body as {
					value: { params: { message: { parts: unknown[] } } };
				}
			).value.params.message.parts;
		expect(parts({ temperature: 21 })).toEqual([{ data: { toolCallId: 'c2', output: { temperature: 21 } } }]);
		expect(parts({ approved: true }, true)).toEqual([{ data: { toolCallId: 'c2', approved: true } }]);
	});
});

describe('A2A: events', () => {
	it('renders the answer’s text, a server tool’s call and result, and waits for the caller’s call', () => {
		const { answer, events } = replayBody(
			a2aProtocol,
			event({ task: { id: 't1', contextId: 't1', status: { state: 'TASK_STATE_WORKING' } } }) +
				event(chunk('Let me ')) +
				event(chunk('look.')) +
				event(
					status('TASK_STATE_WORKING', [
						{ text: 'Calling calculator.' },
						{ data: { toolCallId: 'c1', toolName: 'calculator', input: { e: '6*7' } } }
					])
				) +
				event(status('TASK_STATE_WORKING', [{ data: { toolCallId: 'c1', output: 42 } }])) +
				event(
					status('TASK_STATE_INPUT_REQUIRED', [
						{ text: 'Input required' },
						{ data: { toolCalls: [{ toolCallId: 'c2', toolName: 'lookup_weather', input: { city: 'Paris' }, kind: 'output' }] } }
					])
				)
		);
		expect(events.map((entry) => entry.type)).toEqual([
			'task',
			'artifactUpdate',
			'artifactUpdate',
			'statusUpdate',
			'statusUpdate',
			'statusUpdate'
		]);
		expect(events[0].detail).toBe('working');
		expect(answer.taskId).toBe('t1');
		expect(answer.parts).toMatchObject([
			{ type: 'text', text: 'Let me look.' },
			{ type: 'tool', toolCallId: 'c1', toolName: 'calculator', output: 42, state: 'output-available' },
			{ type: 'tool', toolCallId: 'c2', toolName: 'lookup_weather', state: 'input-available' }
		]);
		expect(answer.status).toBe('requires-action');
		expect(answer.pending).toEqual([expect.objectContaining({ toolCallId: 'c2', input: { city: 'Paris' }, requiresApproval: false })]);
	});

	it('ends completed, canceled or failed, and shows a JSON-RPC error', () => {
		expect(replayBody(a2aProtocol, event(chunk('Hi')) + event(status('TASK_STATE_COMPLETED'))).answer.status).toBe('completed');
		expect(replayBody(a2aProtocol, event(status('TASK_STATE_CANCELED'))).answer.status).toBe('interrupted');
		expect(replayBody(a2aProtocol, event(status('TASK_STATE_FAILED', [{ text: 'Boom' }]))).answer).toMatchObject({
			status: 'error',
			error: 'Boom'
		});
		const error = `data: ${JSON.stringify({ jsonrpc: '2.0', id: 1, error: { code: -32001, message: 'Task not found' } })}\n\n`;
		expect(replayBody(a2aProtocol, error).answer).toMatchObject({ status: 'error', error: 'Task not found' });
	});
});
