import { describe, expect, it } from 'vitest';
import type { RunEvent, RunEventType } from '../../runtime/events';
import {
	agentApiStatusOf,
	toAgentApiChunk,
	toAgentApiToolCall,
	toolPartToAgentApiToolCall,
	type AgentApiChunk
} from './to-agent-api-chunk';

const usage = { inputTokens: 3, outputTokens: 5 };

/** Every run event type, with the exact agent API events it becomes (`undefined`: dropped). */
const table: { name: string; event: RunEvent; chunks: AgentApiChunk[] | undefined }[] = [
	{ name: 'run-start', event: { type: 'run-start', taskId: 't1', messageId: 'm1', model: 'mock:offline' }, chunks: undefined },
	{ name: 'step-start', event: { type: 'step-start' }, chunks: undefined },
	{ name: 'reasoning-start', event: { type: 'reasoning-start', id: 'r1' }, chunks: undefined },
	{ name: 'reasoning-delta', event: { type: 'reasoning-delta', id: 'r1', delta: 'Hmm' }, chunks: undefined },
	{ name: 'reasoning-end', event: { type: 'reasoning-end', id: 'r1' }, chunks: undefined },
	{ name: 'text-start', event: { type: 'text-start', id: 'x1' }, chunks: undefined },
	{
		name: 'text-delta',
		event: { type: 'text-delta', id: 'x1', delta: 'Hello ' },
		chunks: [{ event: 'text_delta', data: { delta: 'Hello ' } }]
	},
	{ name: 'text-end', event: { type: 'text-end', id: 'x1' }, chunks: undefined },
	{ name: 'tool-call-start', event: { type: 'tool-call-start', toolCallId: 'c1', toolName: 'calculator' }, chunks: undefined },
	{ name: 'tool-call-delta', event: { type: 'tool-call-delta', toolCallId: 'c1', inputTextDelta: '{' }, chunks: undefined },
	{
		name: 'tool-call-ready',
		event: { type: 'tool-call-ready', toolCallId: 'c1', toolName: 'calculator', input: { expression: '6*7' }, clientExecuted: true },
		chunks: undefined
	},
	{
		name: 'tool-call-invalid',
		event: { type: 'tool-call-invalid', toolCallId: 'c1', toolName: 'calculator', input: {}, errorText: 'Invalid input' },
		chunks: undefined
	},
	{ name: 'tool-approval-request', event: { type: 'tool-approval-request', toolCallId: 'c1', approvalId: 'a1' }, chunks: undefined },
	{ name: 'tool-output', event: { type: 'tool-output', toolCallId: 'c1', output: 42 }, chunks: undefined },
	{ name: 'tool-error', event: { type: 'tool-error', toolCallId: 'c1', errorText: 'boom' }, chunks: undefined },
	{ name: 'tool-denied', event: { type: 'tool-denied', toolCallId: 'c1' }, chunks: undefined },
	{ name: 'step-end', event: { type: 'step-end', usage }, chunks: undefined },
	{
		name: 'input-required',
		event: {
			type: 'input-required',
			toolCalls: [
				{ toolCallId: 'c1', toolName: 'lookup_weather', input: { city: 'Paris' } },
				{ toolCallId: 'c2', toolName: 'delete_order', input: { id: 7 }, approvalId: 'a2' }
			]
		},
		chunks: [
			{
				event: 'tool_call',
				data: { call_id: 'c1', name: 'lookup_weather', arguments: '{"city":"Paris"}', requires_approval: false }
			},
			{ event: 'tool_call', data: { call_id: 'c2', name: 'delete_order', arguments: '{"id":7}', requires_approval: true } }
		]
	},
	{
		name: 'widget',
		event: { type: 'widget', id: 'w1', widget: { type: 'choice', data: { options: [] } } },
		chunks: undefined
	},
	{ name: 'run-end', event: { type: 'run-end', reason: 'completed', usage }, chunks: undefined },
	{
		name: 'run-error',
		event: { type: 'run-error', message: 'The model failed while answering. Try again.' },
		chunks: [{ event: 'error', data: { code: 'upstream', message: 'The model failed while answering. Try again.' } }]
	}
];

describe('toAgentApiChunk', () => {
	it.each(table)('turns $name into its exact events', ({ event, chunks }) => {
		expect(toAgentApiChunk(event)).toStrictEqual(chunks);
	});

	it('covers every run event type', () => {
		const all: Record<RunEventType, true> = {
			'run-start': true,
			'step-start': true,
			'reasoning-start': true,
			'reasoning-delta': true,
			'reasoning-end': true,
			'text-start': true,
			'text-delta': true,
			'text-end': true,
			'tool-call-start': true,
			'tool-call-delta': true,
			'tool-call-ready': true,
			'tool-call-invalid': true,
			'tool-approval-request': true,
			'tool-output': true,
			'tool-error': true,
			'tool-denied': true,
			'step-end': true,
			widget: true,
			'input-required': true,
			'run-end': true,
			'run-error': true
		};
		expect(new Set(table.map(({ event }) => event.type))).toStrictEqual(new Set(Object.keys(all)));
	});
});

describe('agentApiStatusOf', () => {
	it('names each way a run ends', () => {
		expect(agentApiStatusOf('completed')).toBe('completed');
		expect(agentApiStatusOf('limit')).toBe('completed');
		expect(agentApiStatusOf('awaiting-input')).toBe('requires_action');
		expect(agentApiStatusOf('interrupted')).toBe('interrupted');
		expect(agentApiStatusOf('error')).toBe('error');
	});
});

describe('tool calls the caller must answer', () => {
	it('describe a pending call with its arguments as a JSON string', () => {
		expect(toAgentApiToolCall({ toolCallId: 'c1', toolName: 'calculator', input: undefined })).toStrictEqual({
			call_id: 'c1',
			name: 'calculator',
			arguments: '{}',
			requires_approval: false
		});
	});

	it('describe a stored tool part, waiting for an output or for approval', () => {
		expect(
			toolPartToAgentApiToolCall({ type: 'tool-calculator', toolCallId: 'c1', state: 'input-available', input: { expression: '1+1' } })
		).toStrictEqual({ call_id: 'c1', name: 'calculator', arguments: '{"expression":"1+1"}', requires_approval: false });
		expect(
			toolPartToAgentApiToolCall({
				type: 'tool-current_time',
				toolCallId: 'c2',
				state: 'approval-requested',
				input: {},
				approval: { id: 'a1' }
			})
		).toStrictEqual({ call_id: 'c2', name: 'current_time', arguments: '{}', requires_approval: true });
	});
});
