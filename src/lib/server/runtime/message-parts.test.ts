import type { UIMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from './events';
import { isToolPart, MessagePartsBuilder } from './message-parts';

/** A builder with every event applied in order. */
function build(events: RunEvent[], initial?: UIMessage['parts']): MessagePartsBuilder {
	const builder = new MessagePartsBuilder(initial);
	for (const event of events) builder.apply(event);
	return builder;
}

const usage = { inputTokens: 3, outputTokens: 4 };

describe('MessagePartsBuilder: text and reasoning', () => {
	it('starts empty', () => {
		const builder = new MessagePartsBuilder();
		expect(builder.parts).toStrictEqual([]);
		expect(builder.snapshot()).toStrictEqual([]);
		expect(builder.text).toBe('');
	});

	it('adds a step-start part for each step', () => {
		const builder = build([{ type: 'step-start' }, { type: 'step-end', usage }, { type: 'step-start' }]);
		expect(builder.parts).toStrictEqual([{ type: 'step-start' }, { type: 'step-start' }]);
	});

	it('accumulates text deltas in a streaming part and marks it done at text-end', () => {
		const builder = new MessagePartsBuilder();
		builder.apply({ type: 'text-start', id: 't1' });
		expect(builder.parts).toStrictEqual([{ type: 'text', text: '', state: 'streaming' }]);
		builder.apply({ type: 'text-delta', id: 't1', delta: 'Hello ' });
		builder.apply({ type: 'text-delta', id: 't1', delta: 'world' });
		expect(builder.parts).toStrictEqual([{ type: 'text', text: 'Hello world', state: 'streaming' }]);
		builder.apply({ type: 'text-end', id: 't1' });
		expect(builder.parts).toStrictEqual([{ type: 'text', text: 'Hello world', state: 'done' }]);
	});

	it('accumulates reasoning the same way', () => {
		const builder = new MessagePartsBuilder();
		builder.apply({ type: 'reasoning-start', id: 'r1' });
		builder.apply({ type: 'reasoning-delta', id: 'r1', delta: 'Let me ' });
		builder.apply({ type: 'reasoning-delta', id: 'r1', delta: 'think.' });
		expect(builder.parts).toStrictEqual([{ type: 'reasoning', text: 'Let me think.', state: 'streaming' }]);
		builder.apply({ type: 'reasoning-end', id: 'r1' });
		expect(builder.parts).toStrictEqual([{ type: 'reasoning', text: 'Let me think.', state: 'done' }]);
	});

	it('keeps parts with the same id but different kinds apart', () => {
		const builder = build([
			{ type: 'reasoning-start', id: 'x' },
			{ type: 'text-start', id: 'x' },
			{ type: 'reasoning-delta', id: 'x', delta: 'thought' },
			{ type: 'text-delta', id: 'x', delta: 'said' },
			{ type: 'text-end', id: 'x' }
		]);
		expect(builder.parts).toStrictEqual([
			{ type: 'reasoning', text: 'thought', state: 'streaming' },
			{ type: 'text', text: 'said', state: 'done' }
		]);
	});

	it('accumulates two interleaved text parts by id', () => {
		const builder = build([
			{ type: 'text-start', id: 'a' },
			{ type: 'text-start', id: 'b' },
			{ type: 'text-delta', id: 'a', delta: 'A1 ' },
			{ type: 'text-delta', id: 'b', delta: 'B1 ' },
			{ type: 'text-delta', id: 'a', delta: 'A2' },
			{ type: 'text-end', id: 'a' },
			{ type: 'text-delta', id: 'b', delta: 'B2' }
		]);
		expect(builder.parts).toStrictEqual([
			{ type: 'text', text: 'A1 A2', state: 'done' },
			{ type: 'text', text: 'B1 B2', state: 'streaming' }
		]);
	});

	it('reuses an id in a later step as a new part', () => {
		const builder = build([
			{ type: 'step-start' },
			{ type: 'text-start', id: 'text-0' },
			{ type: 'text-delta', id: 'text-0', delta: 'first' },
			{ type: 'text-end', id: 'text-0' },
			{ type: 'step-end', usage },
			{ type: 'step-start' },
			{ type: 'text-start', id: 'text-0' },
			{ type: 'text-delta', id: 'text-0', delta: 'second' },
			{ type: 'text-end', id: 'text-0' }
		]);
		expect(builder.parts).toStrictEqual([
			{ type: 'step-start' },
			{ type: 'text', text: 'first', state: 'done' },
			{ type: 'step-start' },
			{ type: 'text', text: 'second', state: 'done' }
		]);
	});

	it('ignores deltas and ends for a part that is not open', () => {
		const builder = build([
			{ type: 'text-delta', id: 'nope', delta: 'lost' },
			{ type: 'text-end', id: 'nope' },
			{ type: 'reasoning-delta', id: 'nope', delta: 'lost' },
			{ type: 'text-start', id: 't' },
			{ type: 'text-delta', id: 't', delta: 'kept' },
			{ type: 'text-end', id: 't' },
			{ type: 'text-delta', id: 't', delta: ' after the end' }
		]);
		expect(builder.parts).toStrictEqual([{ type: 'text', text: 'kept', state: 'done' }]);
	});

	it('adds no part for run-start, step-end, run-end and run-error', () => {
		const builder = build([
			{ type: 'run-start', taskId: 'task', messageId: 'msg', model: 'mock:offline' },
			{ type: 'step-end', usage },
			{ type: 'run-end', reason: 'completed', usage },
			{ type: 'run-error', message: 'failed' }
		]);
		expect(builder.parts).toStrictEqual([]);
	});

	it('throws on an event type it does not know', () => {
		const builder = new MessagePartsBuilder();
		expect(() => builder.apply({ type: 'mystery' } as unknown as RunEvent)).toThrow('Unhandled run event {"type":"mystery"}');
	});
});

describe('MessagePartsBuilder: tool calls', () => {
	const start: RunEvent = { type: 'tool-call-start', toolCallId: 'call_1', toolName: 'calculator' };
	const ready: RunEvent = {
		type: 'tool-call-ready',
		toolCallId: 'call_1',
		toolName: 'calculator',
		input: { expression: '6*7' },
		clientExecuted: false
	};

	it('goes from input-streaming to input-available to output-available', () => {
		const builder = new MessagePartsBuilder();
		builder.apply(start);
		expect(builder.parts).toStrictEqual([{ type: 'tool-calculator', toolCallId: 'call_1', state: 'input-streaming', input: undefined }]);
		builder.apply({ type: 'tool-call-delta', toolCallId: 'call_1', inputTextDelta: '{"expression":"6*7"}' });
		expect(builder.parts).toStrictEqual([{ type: 'tool-calculator', toolCallId: 'call_1', state: 'input-streaming', input: undefined }]);
		builder.apply(ready);
		expect(builder.parts).toStrictEqual([
			{ type: 'tool-calculator', toolCallId: 'call_1', state: 'input-available', input: { expression: '6*7' } }
		]);
		builder.apply({ type: 'tool-output', toolCallId: 'call_1', output: { expression: '6*7', result: 42 } });
		expect(builder.parts).toStrictEqual([
			{
				type: 'tool-calculator',
				toolCallId: 'call_1',
				state: 'output-available',
				input: { expression: '6*7' },
				output: { expression: '6*7', result: 42 }
			}
		]);
	});

	it('keeps the title of a titled tool on its part', () => {
		const builder = new MessagePartsBuilder();
		builder.apply({ ...ready, toolName: 'echo', title: 'echo · MCP server "docs"' } as RunEvent);
		expect(builder.parts).toStrictEqual([
			{ type: 'tool-echo', toolCallId: 'call_1', state: 'input-available', input: { expression: '6*7' }, title: 'echo · MCP server "docs"' }
		]);
	});

	it('creates an input-available part for a ready call that never streamed', () => {
		const builder = build([ready]);
		expect(builder.parts).toStrictEqual([
			{ type: 'tool-calculator', toolCallId: 'call_1', state: 'input-available', input: { expression: '6*7' } }
		]);
	});

	it('records a failed tool as output-error with its message', () => {
		const builder = build([start, ready, { type: 'tool-error', toolCallId: 'call_1', errorText: 'Division by zero' }]);
		expect(builder.parts).toStrictEqual([
			{
				type: 'tool-calculator',
				toolCallId: 'call_1',
				state: 'output-error',
				input: { expression: '6*7' },
				errorText: 'Division by zero'
			}
		]);
	});

	it('records an approval request with its id', () => {
		const builder = build([start, ready, { type: 'tool-approval-request', toolCallId: 'call_1', approvalId: 'appr_1' }]);
		expect(builder.parts).toStrictEqual([
			{
				type: 'tool-calculator',
				toolCallId: 'call_1',
				state: 'approval-requested',
				input: { expression: '6*7' },
				approval: { id: 'appr_1' }
			}
		]);
	});

	it('records a denied call as output-denied, keeping its approval', () => {
		const builder = build([
			start,
			ready,
			{ type: 'tool-approval-request', toolCallId: 'call_1', approvalId: 'appr_1' },
			{ type: 'tool-denied', toolCallId: 'call_1' }
		]);
		expect(builder.parts).toStrictEqual([
			{
				type: 'tool-calculator',
				toolCallId: 'call_1',
				state: 'output-denied',
				input: { expression: '6*7' },
				approval: { id: 'appr_1' }
			}
		]);
	});

	it('makes an invalid call an output-error part, updating a streamed one', () => {
		const builder = build([
			start,
			{
				type: 'tool-call-invalid',
				toolCallId: 'call_1',
				toolName: 'calculator',
				input: { expr: 1 },
				errorText: 'Invalid input for tool calculator'
			}
		]);
		// As the AI SDK's reader stores it: no valid input, the model's input kept apart as rawInput.
		expect(builder.parts).toStrictEqual([
			{
				type: 'tool-calculator',
				toolCallId: 'call_1',
				state: 'output-error',
				input: undefined,
				rawInput: { expr: 1 },
				errorText: 'Invalid input for tool calculator'
			}
		]);
	});

	it('makes an invalid call an output-error part when it never streamed', () => {
		const builder = build([{ type: 'tool-call-invalid', toolCallId: 'c9', toolName: 'nosuch', input: 'x', errorText: 'No such tool' }]);
		expect(builder.parts).toStrictEqual([
			{
				type: 'tool-nosuch',
				toolCallId: 'c9',
				state: 'output-error',
				input: undefined,
				rawInput: 'x',
				errorText: 'No such tool'
			}
		]);
	});

	it('keeps several tool calls apart by id', () => {
		const builder = build([
			{ type: 'tool-call-start', toolCallId: 'a', toolName: 'calculator' },
			{ type: 'tool-call-start', toolCallId: 'b', toolName: 'current_time' },
			{ type: 'tool-call-ready', toolCallId: 'b', toolName: 'current_time', input: {}, clientExecuted: false },
			{ type: 'tool-call-ready', toolCallId: 'a', toolName: 'calculator', input: { expression: '1' }, clientExecuted: false },
			{ type: 'tool-output', toolCallId: 'b', output: 'noon' },
			{ type: 'tool-error', toolCallId: 'a', errorText: 'bad' }
		]);
		expect(builder.parts).toStrictEqual([
			{ type: 'tool-calculator', toolCallId: 'a', state: 'output-error', input: { expression: '1' }, errorText: 'bad' },
			{ type: 'tool-current_time', toolCallId: 'b', state: 'output-available', input: {}, output: 'noon' }
		]);
	});

	it('ignores results for a tool call it does not know', () => {
		const builder = build([
			{ type: 'tool-output', toolCallId: 'ghost', output: 1 },
			{ type: 'tool-error', toolCallId: 'ghost', errorText: 'x' },
			{ type: 'tool-denied', toolCallId: 'ghost' },
			{ type: 'tool-approval-request', toolCallId: 'ghost', approvalId: 'a' }
		]);
		expect(builder.parts).toStrictEqual([]);
	});

	it('updates a tool part of the initial parts (a continuation after an approval)', () => {
		const initial = [
			{ type: 'step-start' },
			{
				type: 'tool-calculator',
				toolCallId: 'call_1',
				state: 'approval-responded',
				input: { expression: '2+2' },
				approval: { id: 'appr_1', approved: true }
			}
		] as UIMessage['parts'];
		const builder = build([{ type: 'tool-output', toolCallId: 'call_1', output: 4 }], initial);
		expect(builder.parts).toStrictEqual([
			{ type: 'step-start' },
			{
				type: 'tool-calculator',
				toolCallId: 'call_1',
				state: 'output-available',
				input: { expression: '2+2' },
				approval: { id: 'appr_1', approved: true },
				output: 4
			}
		]);
		expect(initial[1]).toMatchObject({ state: 'approval-responded' });
		expect(initial[1]).not.toHaveProperty('output');
	});
});

describe('MessagePartsBuilder: closing, text and snapshots', () => {
	it('closeOpenParts marks every streaming part done and stops accepting their deltas', () => {
		const builder = build([
			{ type: 'reasoning-start', id: 'r' },
			{ type: 'reasoning-delta', id: 'r', delta: 'half a thou' },
			{ type: 'text-start', id: 't' },
			{ type: 'text-delta', id: 't', delta: 'partial' },
			{ type: 'tool-call-start', toolCallId: 'c', toolName: 'calculator' }
		]);
		builder.closeOpenParts();
		expect(builder.parts).toStrictEqual([
			{ type: 'reasoning', text: 'half a thou', state: 'done' },
			{ type: 'text', text: 'partial', state: 'done' },
			{ type: 'tool-calculator', toolCallId: 'c', state: 'input-streaming', input: undefined }
		]);
		builder.apply({ type: 'text-delta', id: 't', delta: ' more' });
		builder.closeOpenParts();
		expect(builder.parts[1]).toStrictEqual({ type: 'text', text: 'partial', state: 'done' });
	});

	it('closeOpenParts leaves finished parts alone', () => {
		const builder = build([
			{ type: 'text-start', id: 't' },
			{ type: 'text-delta', id: 't', delta: 'done' },
			{ type: 'text-end', id: 't' }
		]);
		builder.closeOpenParts();
		expect(builder.parts).toStrictEqual([{ type: 'text', text: 'done', state: 'done' }]);
	});

	it('text joins the text parts of every step, without reasoning', () => {
		const builder = build([
			{ type: 'step-start' },
			{ type: 'reasoning-start', id: 'r' },
			{ type: 'reasoning-delta', id: 'r', delta: 'hidden' },
			{ type: 'reasoning-end', id: 'r' },
			{ type: 'text-start', id: 't' },
			{ type: 'text-delta', id: 't', delta: 'Let me check.' },
			{ type: 'text-end', id: 't' },
			{ type: 'tool-call-ready', toolCallId: 'c', toolName: 'calculator', input: {}, clientExecuted: false },
			{ type: 'step-start' },
			{ type: 'text-start', id: 't' },
			{ type: 'text-delta', id: 't', delta: 'It is 42.' }
		]);
		expect(builder.text).toBe('Let me check.It is 42.');
	});

	it('snapshot is a deep copy that later events do not change', () => {
		const builder = build([
			{ type: 'text-start', id: 't' },
			{ type: 'text-delta', id: 't', delta: 'one' }
		]);
		const snapshot = builder.snapshot();
		builder.apply({ type: 'text-delta', id: 't', delta: ' two' });
		builder.apply({ type: 'text-end', id: 't' });
		expect(snapshot).toStrictEqual([{ type: 'text', text: 'one', state: 'streaming' }]);
		expect(builder.snapshot()).toStrictEqual([{ type: 'text', text: 'one two', state: 'done' }]);
	});

	it('copies the initial parts instead of changing them', () => {
		const initial: UIMessage['parts'] = [{ type: 'text', text: 'before', state: 'done' }];
		const builder = build(
			[
				{ type: 'text-start', id: 't' },
				{ type: 'text-delta', id: 't', delta: 'after' }
			],
			initial
		);
		expect(initial).toStrictEqual([{ type: 'text', text: 'before', state: 'done' }]);
		expect(builder.parts).toStrictEqual([
			{ type: 'text', text: 'before', state: 'done' },
			{ type: 'text', text: 'after', state: 'streaming' }
		]);
		expect(builder.text).toBe('beforeafter');
	});
});

describe('isToolPart', () => {
	it('recognises tool parts by their type and toolCallId', () => {
		expect(isToolPart({ type: 'tool-calculator', toolCallId: 'c', state: 'input-available' })).toBe(true);
		expect(isToolPart({ type: 'text', text: 'tool-x', state: 'done' })).toBe(false);
		expect(isToolPart({ type: 'step-start' })).toBe(false);
		expect(isToolPart({ type: 'dynamic-tool', toolName: 'x', toolCallId: 'c', state: 'input-available', input: {} })).toBe(false);
	});
});
