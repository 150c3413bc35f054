import { describe, expect, it } from 'vitest';
import { agUiProtocol, buildRequest, continuation, newSession, stopRequest } from './ag-ui';
import { replayBody } from './replay';
import type { AgentRef } from './types';

const agent: AgentRef = { id: 3, slug: 'weather', name: 'Weather' };
const ids = () => 'fixed';

let sequence = 0;
/** One AG-UI SSE event: its `id:`, its data the event. */
const event = (type: string, fields: Record<string, unknown> = {}) => `id: ${sequence++}\ndata: ${JSON.stringify({ type, ...fields })}\n\n`;

/** A run: reasoning, text, a server tool's call with its result, then a call of the caller's tool. */
const clientCallBody =
	event('RUN_STARTED', { threadId: 'thread_1', runId: 'run_fixed' }) +
	event('REASONING_START', { messageId: 'r0' }) +
	event('REASONING_MESSAGE_START', { messageId: 'r0', role: 'reasoning' }) +
	event('REASONING_MESSAGE_CONTENT', { messageId: 'r0', delta: 'Thinking.' }) +
	event('REASONING_MESSAGE_END', { messageId: 'r0' }) +
	event('REASONING_END', { messageId: 'r0' }) +
	event('TEXT_MESSAGE_START', { messageId: 't1', role: 'assistant' }) +
	event('TEXT_MESSAGE_CONTENT', { messageId: 't1', delta: 'Let me ' }) +
	event('TEXT_MESSAGE_CONTENT', { messageId: 't1', delta: 'look.' }) +
	event('TEXT_MESSAGE_END', { messageId: 't1' }) +
	event('TOOL_CALL_START', { toolCallId: 'c1', toolCallName: 'calculator' }) +
	event('TOOL_CALL_ARGS', { toolCallId: 'c1', delta: '{"expression":"6*7"}' }) +
	event('TOOL_CALL_END', { toolCallId: 'c1' }) +
	event('TOOL_CALL_RESULT', { messageId: 'c1-result', toolCallId: 'c1', content: '42', role: 'tool' }) +
	event('TOOL_CALL_START', { toolCallId: 'c2', toolCallName: 'lookup_weather' }) +
	event('TOOL_CALL_ARGS', { toolCallId: 'c2', delta: '{"city":"Paris"}' }) +
	event('TOOL_CALL_END', { toolCallId: 'c2' }) +
	event('RUN_FINISHED', { threadId: 'thread_1', runId: 'run_fixed', outcome: { type: 'success', pendingToolCallIds: ['c2'] } });

describe('AG-UI: requests', () => {
	it('sends RunAgentInput with the new user message on the session’s thread', () => {
		const { request, session } = buildRequest({ agent, text: 'Hi', session: newSession(ids), makeId: ids });
		expect(request).toEqual({
			method: 'POST',
			url: '/ag-ui/weather',
			headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
			body: {
				kind: 'json',
				value: {
					threadId: 'fixed',
					runId: 'run_fixed',
					messages: [{ id: 'msg_fixed', role: 'user', content: 'Hi' }],
					tools: [],
					context: []
				}
			}
		});
		expect(session).toEqual({ kind: 'ag-ui', taskId: 'fixed', agent: 'weather', runId: 'run_fixed' });
		// Stopping cancels that run on the server.
		expect(stopRequest(session)).toMatchObject({ method: 'POST', url: '/ag-ui/weather/runs/run_fixed/cancel' });
		expect(stopRequest(newSession(ids))).toBeNull();
	});

	it('answers a client call with a tool message, and an approval with a resume entry', () => {
		const session = newSession(ids);
		const call = { toolCallId: 'c2', toolName: 'lookup_weather', input: {}, argumentsText: '{}', requiresApproval: false };
		const output = continuation({ agent, session, call, output: { temperature: 21 } });
		expect((output?.request.body as { value: { messages: unknown[] } }).value.messages).toEqual([
			{ id: expect.stringMatching(/^msg_/), role: 'tool', toolCallId: 'c2', content: '{"temperature":21}' }
		]);
		const approval = continuation({
			agent,
			session,
			call: { ...call, requiresApproval: true, approvalId: 'ap1' },
			output: { approved: true }
		});
		expect((approval?.request.body as { value: Record<string, unknown> }).value).toMatchObject({
			messages: [],
			resume: [{ interruptId: 'ap1', status: 'resolved', payload: { approved: true } }]
		});
	});
});

describe('AG-UI: events', () => {
	it('renders reasoning, text, a server tool with its result, and waits for the caller’s call', () => {
		const { answer, events } = replayBody(agUiProtocol, clientCallBody);
		expect(events[0]).toMatchObject({ type: 'RUN_STARTED', detail: '#0' });
		expect(answer.taskId).toBe('thread_1');
		expect(answer.parts).toMatchObject([
			{ type: 'reasoning', text: 'Thinking.' },
			{ type: 'text', text: 'Let me look.' },
			{ type: 'tool', toolCallId: 'c1', toolName: 'calculator', input: { expression: '6*7' }, output: 42, state: 'output-available' },
			{ type: 'tool', toolCallId: 'c2', toolName: 'lookup_weather', state: 'input-available' }
		]);
		expect(answer.status).toBe('requires-action');
		expect(answer.pending).toEqual([expect.objectContaining({ toolCallId: 'c2', input: { city: 'Paris' }, requiresApproval: false })]);
	});

	it('waits for an approval as an interrupt, and ends a cancelled or failed run', () => {
		const interrupted = replayBody(
			agUiProtocol,
			event('RUN_STARTED', { threadId: 't', runId: 'r' }) +
				event('TOOL_CALL_START', { toolCallId: 'c3', toolCallName: 'current_time' }) +
				event('TOOL_CALL_END', { toolCallId: 'c3' }) +
				event('RUN_FINISHED', {
					threadId: 't',
					runId: 'r',
					outcome: { type: 'interrupt', interrupts: [{ id: 'ap3', reason: 'tool_approval', toolCallId: 'c3' }] }
				})
		).answer;
		expect(interrupted.pending).toEqual([expect.objectContaining({ toolCallId: 'c3', requiresApproval: true, approvalId: 'ap3' })]);

		const cancelled = replayBody(agUiProtocol, event('RUN_STARTED') + event('RUN_FINISHED', { outcome: { type: 'cancelled' } })).answer;
		expect(cancelled.status).toBe('interrupted');
		const failed = replayBody(agUiProtocol, event('RUN_STARTED') + event('RUN_ERROR', { message: 'Boom' })).answer;
		expect(failed).toMatchObject({ status: 'error', error: 'Boom' });
	});
});
