import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../runtime/events';
import { StreamContext, type ChunkContext } from './stream-context';

const usage = { inputTokens: 1, outputTokens: 2 };

/** The contexts a fresh StreamContext gives a list of events. */
function contextsOf(events: RunEvent[]): ChunkContext[] {
	const stream = new StreamContext();
	return events.map((event) => stream.next(event));
}

const base = { messageId: 'msg-1', partIndex: undefined, opensPart: false, argsStreamed: false, stepCalledTools: false };

describe('StreamContext', () => {
	it('numbers parts in the order they open, text ids reused by a later step opening a new part', () => {
		const contexts = contextsOf([
			{ type: 'run-start', taskId: 't', messageId: 'msg-1', model: 'm' },
			{ type: 'step-start' },
			{ type: 'reasoning-start', id: 'r0' },
			{ type: 'reasoning-delta', id: 'r0', delta: 'a' },
			{ type: 'text-start', id: 't0' },
			{ type: 'text-delta', id: 't0', delta: 'b' },
			{ type: 'tool-call-start', toolCallId: 'c1', toolName: 'calc' },
			{ type: 'tool-call-delta', toolCallId: 'c1', inputTextDelta: '{}' },
			{ type: 'tool-call-ready', toolCallId: 'c1', toolName: 'calc', input: {}, clientExecuted: false },
			{ type: 'tool-output', toolCallId: 'c1', output: 1 },
			{ type: 'step-end', usage },
			{ type: 'step-start' },
			{ type: 'text-start', id: 't0' },
			{ type: 'text-end', id: 't0' },
			{ type: 'step-end', usage }
		]);
		expect(contexts).toStrictEqual([
			base,
			base,
			{ ...base, partIndex: 0, opensPart: true },
			{ ...base, partIndex: 0 },
			{ ...base, partIndex: 1, opensPart: true },
			{ ...base, partIndex: 1 },
			{ ...base, partIndex: 2, opensPart: true },
			{ ...base, partIndex: 2 },
			{ ...base, partIndex: 2, argsStreamed: true },
			{ ...base, partIndex: 2 },
			{ ...base, stepCalledTools: true },
			base,
			{ ...base, partIndex: 3, opensPart: true },
			{ ...base, partIndex: 3 },
			base
		]);
	});

	it('opens a tool call first seen finished, and leaves calls of earlier requests without a part', () => {
		const contexts = contextsOf([
			{ type: 'run-start', taskId: 't', messageId: 'msg-2', model: 'm' },
			{ type: 'tool-output', toolCallId: 'old', output: 1 },
			{ type: 'tool-denied', toolCallId: 'older' },
			{ type: 'tool-call-ready', toolCallId: 'new', toolName: 'ask', input: {}, clientExecuted: true },
			{ type: 'tool-approval-request', toolCallId: 'new', approvalId: 'a1' },
			{ type: 'tool-call-invalid', toolCallId: 'bad', toolName: 'x', input: 'y', errorText: 'no' }
		]);
		const own = { ...base, messageId: 'msg-2' };
		expect(contexts).toStrictEqual([
			own,
			own,
			own,
			{ ...own, partIndex: 0, opensPart: true },
			{ ...own, partIndex: 0 },
			{ ...own, partIndex: 1, opensPart: true }
		]);
	});
});
