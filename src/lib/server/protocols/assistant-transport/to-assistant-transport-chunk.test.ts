import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../runtime/events';
import type { ChunkContext } from './stream-context';
import { toAssistantTransportChunks, type AssistantTransportChunk } from './to-assistant-transport-chunk';

const usage = { inputTokens: 10, outputTokens: 20 };

/** A context with the given fields; a part at index 2 by default. */
function context(fields: Partial<ChunkContext> = {}): ChunkContext {
	return { messageId: 'msg-1', partIndex: 2, opensPart: false, argsStreamed: false, stepCalledTools: false, ...fields };
}

const calculatorStart: AssistantTransportChunk = {
	type: 'part-start',
	path: [],
	part: { type: 'tool-call', toolCallId: 'call_1', toolName: 'calculator' }
};

/** Every event type, in the situations that change its chunks, with the exact chunks. */
const table: { name: string; event: RunEvent; context?: Partial<ChunkContext>; chunks: AssistantTransportChunk[] }[] = [
	{ name: 'run-start', event: { type: 'run-start', taskId: 't', messageId: 'msg-1', model: 'mock:offline' }, chunks: [] },
	{ name: 'step-start', event: { type: 'step-start' }, chunks: [{ type: 'step-start', path: [], messageId: 'msg-1' }] },
	{
		name: 'text-start',
		event: { type: 'text-start', id: 'x' },
		context: { opensPart: true },
		chunks: [{ type: 'part-start', path: [], part: { type: 'text' } }]
	},
	{
		name: 'text-delta',
		event: { type: 'text-delta', id: 'x', delta: 'Hi' },
		chunks: [{ type: 'text-delta', path: [2], textDelta: 'Hi' }]
	},
	{ name: 'text-end', event: { type: 'text-end', id: 'x' }, chunks: [{ type: 'part-finish', path: [2] }] },
	{
		name: 'text-delta of an unknown part',
		event: { type: 'text-delta', id: 'y', delta: 'Hi' },
		context: { partIndex: undefined },
		chunks: []
	},
	{
		name: 'reasoning-start',
		event: { type: 'reasoning-start', id: 'r' },
		context: { opensPart: true },
		chunks: [{ type: 'part-start', path: [], part: { type: 'reasoning' } }]
	},
	{
		name: 'reasoning-delta',
		event: { type: 'reasoning-delta', id: 'r', delta: 'Hmm.' },
		chunks: [{ type: 'text-delta', path: [2], textDelta: 'Hmm.' }]
	},
	{ name: 'reasoning-end', event: { type: 'reasoning-end', id: 'r' }, chunks: [{ type: 'part-finish', path: [2] }] },
	{
		name: 'tool-call-start',
		event: { type: 'tool-call-start', toolCallId: 'call_1', toolName: 'calculator' },
		context: { opensPart: true },
		chunks: [calculatorStart]
	},
	{
		name: 'tool-call-delta',
		event: { type: 'tool-call-delta', toolCallId: 'call_1', inputTextDelta: '{"expression":' },
		chunks: [{ type: 'text-delta', path: [2], textDelta: '{"expression":' }]
	},
	{
		name: 'tool-call-ready after streamed arguments',
		event: { type: 'tool-call-ready', toolCallId: 'call_1', toolName: 'calculator', input: { expression: '6*7' }, clientExecuted: false },
		context: { argsStreamed: true },
		chunks: [{ type: 'tool-call-args-text-finish', path: [2] }]
	},
	{
		name: 'tool-call-ready opened without arguments',
		event: { type: 'tool-call-ready', toolCallId: 'call_1', toolName: 'calculator', input: { expression: '6*7' }, clientExecuted: false },
		chunks: [
			{ type: 'text-delta', path: [2], textDelta: '{"expression":"6*7"}' },
			{ type: 'tool-call-args-text-finish', path: [2] }
		]
	},
	{
		name: 'tool-call-ready first seen here',
		event: { type: 'tool-call-ready', toolCallId: 'call_1', toolName: 'calculator', input: { expression: '6*7' }, clientExecuted: true },
		context: { opensPart: true },
		chunks: [
			calculatorStart,
			{ type: 'text-delta', path: [2], textDelta: '{"expression":"6*7"}' },
			{ type: 'tool-call-args-text-finish', path: [2] }
		]
	},
	{
		name: 'tool-call-invalid of a streamed call',
		event: { type: 'tool-call-invalid', toolCallId: 'call_1', toolName: 'calculator', input: { expr: 1 }, errorText: 'Invalid input' },
		chunks: [{ type: 'result', path: [2], result: 'Invalid input', isError: true }]
	},
	{
		name: 'tool-call-invalid first seen here',
		event: { type: 'tool-call-invalid', toolCallId: 'call_1', toolName: 'calculator', input: 'x', errorText: 'Invalid input' },
		context: { opensPart: true },
		chunks: [calculatorStart, { type: 'result', path: [2], result: 'Invalid input', isError: true }]
	},
	{
		name: 'tool-approval-request',
		event: { type: 'tool-approval-request', toolCallId: 'call_1', approvalId: 'appr_1' },
		chunks: [{ type: 'tool-call-approval', path: [2], approval: { id: 'appr_1' } }]
	},
	{
		name: 'tool-output',
		event: { type: 'tool-output', toolCallId: 'call_1', output: { result: 42 } },
		chunks: [{ type: 'result', path: [2], result: { result: 42 }, isError: false }]
	},
	{
		name: 'tool-output of a call opened by an earlier request',
		event: { type: 'tool-output', toolCallId: 'call_0', output: { result: 42 } },
		context: { partIndex: undefined },
		chunks: []
	},
	{
		name: 'tool-error',
		event: { type: 'tool-error', toolCallId: 'call_1', errorText: 'Division by zero' },
		chunks: [{ type: 'result', path: [2], result: 'Division by zero', isError: true }]
	},
	{
		name: 'tool-denied',
		event: { type: 'tool-denied', toolCallId: 'call_1' },
		chunks: [{ type: 'result', path: [2], result: 'The tool call was denied.', isError: true }]
	},
	{
		name: 'step-end after tool calls',
		event: { type: 'step-end', usage },
		context: { stepCalledTools: true },
		chunks: [{ type: 'step-finish', path: [], finishReason: 'tool-calls', usage, isContinued: false }]
	},
	{
		name: 'step-end after text',
		event: { type: 'step-end', usage },
		chunks: [{ type: 'step-finish', path: [], finishReason: 'stop', usage, isContinued: false }]
	},
	{ name: 'input-required', event: { type: 'input-required', toolCalls: [] }, chunks: [] },
	{
		name: 'run-end completed',
		event: { type: 'run-end', reason: 'completed', usage },
		chunks: [{ type: 'message-finish', path: [], finishReason: 'stop', usage }]
	},
	{
		name: 'run-end awaiting-input',
		event: { type: 'run-end', reason: 'awaiting-input', usage },
		chunks: [{ type: 'message-finish', path: [], finishReason: 'tool-calls', usage }]
	},
	{
		name: 'run-end interrupted, usage unknown',
		event: { type: 'run-end', reason: 'interrupted', usage: { inputTokens: undefined, outputTokens: 3 } },
		chunks: [{ type: 'message-finish', path: [], finishReason: 'other', usage: { inputTokens: 0, outputTokens: 3 } }]
	},
	{
		name: 'run-error',
		event: { type: 'run-error', message: 'The model failed while answering. Try again.' },
		chunks: [{ type: 'error', path: [], error: 'The model failed while answering. Try again.' }]
	}
];

describe('toAssistantTransportChunks', () => {
	it.each(table)('turns $name into its exact chunks', ({ event, context: fields, chunks }) => {
		expect(toAssistantTransportChunks(event, context(fields))).toStrictEqual(chunks);
	});

	it('covers every run event type', () => {
		expect(new Set(table.map(({ event }) => event.type)).size).toBe(20);
	});

	it('throws on an event type it does not know', () => {
		expect(() => toAssistantTransportChunks({ type: 'mystery' } as unknown as RunEvent, context())).toThrow(
			'Unhandled run event {"type":"mystery"}'
		);
	});
});
