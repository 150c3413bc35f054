import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../runtime/events';
import type { ChunkContext } from './stream-context';
import { formatDataStreamLine, toDataStreamChunks, type DataStreamChunk } from './to-data-stream-chunk';

const usage = { inputTokens: 10, outputTokens: 20 };

/** A context with the given fields; a part at index 0 by default. */
function context(fields: Partial<ChunkContext> = {}): ChunkContext {
	return { messageId: 'msg-1', partIndex: 0, opensPart: false, argsStreamed: false, stepCalledTools: false, ...fields };
}

/** Every event type, in the situations that change its lines, with the exact lines. */
const table: { name: string; event: RunEvent; context?: Partial<ChunkContext>; chunks: DataStreamChunk[] }[] = [
	{ name: 'run-start', event: { type: 'run-start', taskId: 't', messageId: 'msg-1', model: 'mock:offline' }, chunks: [] },
	{ name: 'step-start', event: { type: 'step-start' }, chunks: [{ code: 'f', value: { messageId: 'msg-1' } }] },
	{ name: 'text-start', event: { type: 'text-start', id: 'x' }, context: { opensPart: true }, chunks: [] },
	{ name: 'text-delta', event: { type: 'text-delta', id: 'x', delta: 'Hi "you"\n' }, chunks: [{ code: '0', value: 'Hi "you"\n' }] },
	{ name: 'text-end', event: { type: 'text-end', id: 'x' }, chunks: [] },
	{ name: 'reasoning-start', event: { type: 'reasoning-start', id: 'r' }, context: { opensPart: true }, chunks: [] },
	{ name: 'reasoning-delta', event: { type: 'reasoning-delta', id: 'r', delta: 'Hmm.' }, chunks: [{ code: 'g', value: 'Hmm.' }] },
	{ name: 'reasoning-end', event: { type: 'reasoning-end', id: 'r' }, chunks: [] },
	{
		name: 'tool-call-start',
		event: { type: 'tool-call-start', toolCallId: 'call_1', toolName: 'calculator' },
		context: { opensPart: true },
		chunks: [{ code: 'b', value: { toolCallId: 'call_1', toolName: 'calculator' } }]
	},
	{
		name: 'tool-call-delta',
		event: { type: 'tool-call-delta', toolCallId: 'call_1', inputTextDelta: '{"expression":"6*7"}' },
		chunks: [{ code: 'c', value: { toolCallId: 'call_1', argsTextDelta: '{"expression":"6*7"}' } }]
	},
	{
		name: 'tool-call-delta of a call not opened here',
		event: { type: 'tool-call-delta', toolCallId: 'call_1', inputTextDelta: '{}' },
		context: { partIndex: undefined },
		chunks: []
	},
	{
		name: 'tool-call-ready',
		event: { type: 'tool-call-ready', toolCallId: 'call_1', toolName: 'calculator', input: { expression: '6*7' }, clientExecuted: false },
		context: { argsStreamed: true },
		chunks: [{ code: '9', value: { toolCallId: 'call_1', toolName: 'calculator', args: { expression: '6*7' } } }]
	},
	{
		name: 'tool-call-ready with a non-object input',
		event: { type: 'tool-call-ready', toolCallId: 'call_2', toolName: 'echo', input: 'raw', clientExecuted: true },
		context: { opensPart: true },
		chunks: [{ code: '9', value: { toolCallId: 'call_2', toolName: 'echo', args: {} } }]
	},
	{
		name: 'tool-call-invalid of a streamed call',
		event: { type: 'tool-call-invalid', toolCallId: 'call_3', toolName: 'calculator', input: { expr: 1 }, errorText: 'Invalid input' },
		chunks: [{ code: 'a', value: { toolCallId: 'call_3', result: 'Invalid input', isError: true } }]
	},
	{
		name: 'tool-call-invalid first seen here',
		event: { type: 'tool-call-invalid', toolCallId: 'call_4', toolName: 'nosuch', input: 'x', errorText: 'No such tool' },
		context: { opensPart: true },
		chunks: [
			{ code: 'b', value: { toolCallId: 'call_4', toolName: 'nosuch' } },
			{ code: 'a', value: { toolCallId: 'call_4', result: 'No such tool', isError: true } }
		]
	},
	{
		name: 'tool-approval-request',
		event: { type: 'tool-approval-request', toolCallId: 'call_1', approvalId: 'appr_1' },
		chunks: [{ code: 'aui-tool-call-approval', value: { toolCallId: 'call_1', approval: { id: 'appr_1' } } }]
	},
	{
		name: 'tool-approval-request of a call not opened here',
		event: { type: 'tool-approval-request', toolCallId: 'call_1', approvalId: 'appr_1' },
		context: { partIndex: undefined },
		chunks: []
	},
	{
		name: 'tool-output',
		event: { type: 'tool-output', toolCallId: 'call_1', output: { result: 42 } },
		chunks: [{ code: 'a', value: { toolCallId: 'call_1', result: { result: 42 } } }]
	},
	{
		name: 'tool-output without output',
		event: { type: 'tool-output', toolCallId: 'call_1', output: undefined },
		chunks: [{ code: 'a', value: { toolCallId: 'call_1', result: null } }]
	},
	{
		name: 'tool-output of a call opened by an earlier request',
		event: { type: 'tool-output', toolCallId: 'call_0', output: 1 },
		context: { partIndex: undefined },
		chunks: []
	},
	{
		name: 'tool-error',
		event: { type: 'tool-error', toolCallId: 'call_1', errorText: 'Division by zero' },
		chunks: [{ code: 'a', value: { toolCallId: 'call_1', result: 'Division by zero', isError: true } }]
	},
	{
		name: 'tool-error of a call not opened here',
		event: { type: 'tool-error', toolCallId: 'call_0', errorText: 'x' },
		context: { partIndex: undefined },
		chunks: []
	},
	{
		name: 'tool-denied',
		event: { type: 'tool-denied', toolCallId: 'call_1' },
		chunks: [{ code: 'a', value: { toolCallId: 'call_1', result: 'The tool call was denied.', isError: true } }]
	},
	{
		name: 'tool-denied of a call not opened here',
		event: { type: 'tool-denied', toolCallId: 'call_0' },
		context: { partIndex: undefined },
		chunks: []
	},
	{
		name: 'step-end after text',
		event: { type: 'step-end', usage },
		chunks: [{ code: 'e', value: { finishReason: 'stop', usage, isContinued: false } }]
	},
	{
		name: 'step-end after tool calls, usage unknown',
		event: { type: 'step-end', usage: { inputTokens: undefined, outputTokens: undefined } },
		context: { stepCalledTools: true },
		chunks: [{ code: 'e', value: { finishReason: 'tool-calls', usage: { inputTokens: 0, outputTokens: 0 }, isContinued: false } }]
	},
	{
		name: 'input-required',
		event: { type: 'input-required', toolCalls: [{ toolCallId: 'call_1', toolName: 'ask', input: {} }] },
		chunks: []
	},
	{
		name: 'run-end completed',
		event: { type: 'run-end', reason: 'completed', usage },
		chunks: [{ code: 'd', value: { finishReason: 'stop', usage } }]
	},
	{
		name: 'run-end awaiting-input',
		event: { type: 'run-end', reason: 'awaiting-input', usage },
		chunks: [{ code: 'd', value: { finishReason: 'tool-calls', usage } }]
	},
	{
		name: 'run-end limit',
		event: { type: 'run-end', reason: 'limit', usage },
		chunks: [{ code: 'd', value: { finishReason: 'length', usage } }]
	},
	{
		name: 'run-end interrupted',
		event: { type: 'run-end', reason: 'interrupted', usage },
		chunks: [{ code: 'd', value: { finishReason: 'other', usage } }]
	},
	{
		name: 'run-error',
		event: { type: 'run-error', message: 'The model failed while answering. Try again.' },
		chunks: [{ code: '3', value: 'The model failed while answering. Try again.' }]
	}
];

describe('toDataStreamChunks', () => {
	it.each(table)('turns $name into its exact lines', ({ event, context: fields, chunks }) => {
		expect(toDataStreamChunks(event, context(fields))).toStrictEqual(chunks);
	});

	it('covers every run event type', () => {
		expect(new Set(table.map(({ event }) => event.type)).size).toBe(20);
	});

	it('throws on an event type it does not know', () => {
		expect(() => toDataStreamChunks({ type: 'mystery' } as unknown as RunEvent, context())).toThrow(
			'Unhandled run event {"type":"mystery"}'
		);
	});
});

describe('formatDataStreamLine', () => {
	it('writes code, colon, JSON and a newline, escaping line breaks inside the JSON', () => {
		expect(formatDataStreamLine({ code: '0', value: 'a\nb' })).toBe('0:"a\\nb"\n');
		expect(formatDataStreamLine({ code: 'aui-state', value: [{ type: 'append-text', path: ['messages', '1'], value: 'x' }] })).toBe(
			'aui-state:[{"type":"append-text","path":["messages","1"],"value":"x"}]\n'
		);
	});
});
