import { EventSchema } from '@ag-ui/core/schemas';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../runtime/events';
import { agUiEventStream, AgUiEventMapper, type AgUiEvent } from './to-ag-ui-event';

const context = { threadId: 'thread_1234', runId: 'run-1' };
const usage = { inputTokens: 3, outputTokens: 4 };

/** Every event a run's events become, each checked against the protocol's schema. */
function mapAll(events: RunEvent[]): AgUiEvent[] {
	const mapper = new AgUiEventMapper(context);
	const out = [...events.flatMap((event) => mapper.push(event)), ...mapper.close()];
	for (const event of out) expect(EventSchema.safeParse(event).error).toBeUndefined();
	return out;
}

const start: RunEvent = { type: 'run-start', taskId: 'thread_1234', messageId: 'm1', model: 'mock:offline' };

describe('AgUiEventMapper', () => {
	it('frames text and reasoning as messages of their own, and ends with RUN_FINISHED and the usage', () => {
		const out = mapAll([
			start,
			{ type: 'step-start' },
			{ type: 'reasoning-start', id: 'r' },
			{ type: 'reasoning-delta', id: 'r', delta: 'Hmm' },
			{ type: 'reasoning-end', id: 'r' },
			{ type: 'text-start', id: 't' },
			{ type: 'text-delta', id: 't', delta: 'Hi' },
			{ type: 'text-delta', id: 't', delta: '' },
			{ type: 'text-end', id: 't' },
			{ type: 'step-end', usage },
			{ type: 'run-end', reason: 'completed', usage }
		]);
		expect(out.map((event) => event.type)).toEqual([
			'RUN_STARTED',
			'REASONING_START',
			'REASONING_MESSAGE_START',
			'REASONING_MESSAGE_CONTENT',
			'REASONING_MESSAGE_END',
			'REASONING_END',
			'TEXT_MESSAGE_START',
			'TEXT_MESSAGE_CONTENT',
			'TEXT_MESSAGE_END',
			'RUN_FINISHED'
		]);
		expect(out[0]).toEqual({ type: 'RUN_STARTED', ...context });
		expect(out[6]).toEqual({ type: 'TEXT_MESSAGE_START', messageId: 'run-1-text-1', role: 'assistant' });
		expect(out.at(-1)).toEqual({
			type: 'RUN_FINISHED',
			...context,
			outcome: { type: 'success' },
			usage: [{ model: 'mock:offline', inputTokens: 3, outputTokens: 4, totalTokens: 7 }]
		});
	});

	it('shows a server tool’s call with its arguments and result', () => {
		const out = mapAll([
			start,
			{ type: 'tool-call-start', toolCallId: 'c1', toolName: 'calculator' },
			{ type: 'tool-call-delta', toolCallId: 'c1', inputTextDelta: '{"expression":' },
			{ type: 'tool-call-delta', toolCallId: 'c1', inputTextDelta: '"2+3"}' },
			{ type: 'tool-call-ready', toolCallId: 'c1', toolName: 'calculator', input: { expression: '2+3' }, clientExecuted: false },
			{ type: 'tool-output', toolCallId: 'c1', output: { result: 5 } },
			{ type: 'run-end', reason: 'completed', usage }
		]);
		expect(out.slice(1, -1)).toEqual([
			{ type: 'TOOL_CALL_START', toolCallId: 'c1', toolCallName: 'calculator' },
			{ type: 'TOOL_CALL_ARGS', toolCallId: 'c1', delta: '{"expression":' },
			{ type: 'TOOL_CALL_ARGS', toolCallId: 'c1', delta: '"2+3"}' },
			{ type: 'TOOL_CALL_END', toolCallId: 'c1' },
			{ type: 'TOOL_CALL_RESULT', messageId: 'c1-result', toolCallId: 'c1', content: '{"result":5}', role: 'tool' }
		]);
	});

	it('sends the whole input of a call that came without deltas, and errors and denials as results', () => {
		const out = mapAll([
			start,
			{ type: 'tool-call-ready', toolCallId: 'c1', toolName: 'lookup', input: { q: 'x' }, clientExecuted: false },
			{ type: 'tool-error', toolCallId: 'c1', errorText: 'boom' },
			{ type: 'tool-call-ready', toolCallId: 'c2', toolName: 'lookup', input: {}, clientExecuted: false },
			{ type: 'tool-denied', toolCallId: 'c2' },
			{ type: 'run-end', reason: 'completed', usage }
		]);
		expect(out.filter((event) => event.type === 'TOOL_CALL_ARGS').map((event) => event.delta)).toEqual(['{"q":"x"}', '{}']);
		expect(out.filter((event) => event.type === 'TOOL_CALL_RESULT').map((event) => event.content)).toEqual([
			'Error: boom',
			'The call was denied.'
		]);
	});

	it('names the client calls that wait, and pauses approvals as interrupts', () => {
		const client = mapAll([
			start,
			{ type: 'tool-call-ready', toolCallId: 'c1', toolName: 'get_weather', input: { city: 'Paris' }, clientExecuted: true },
			{ type: 'input-required', toolCalls: [{ toolCallId: 'c1', toolName: 'get_weather', input: { city: 'Paris' } }] },
			{ type: 'run-end', reason: 'awaiting-input', usage }
		]);
		expect(client.at(-1)).toMatchObject({ outcome: { type: 'success', pendingToolCallIds: ['c1'] } });

		const approval = mapAll([
			start,
			{ type: 'tool-call-ready', toolCallId: 'c2', toolName: 'current_time', input: {}, clientExecuted: false },
			{ type: 'tool-approval-request', toolCallId: 'c2', approvalId: 'a2' },
			{ type: 'input-required', toolCalls: [{ toolCallId: 'c2', toolName: 'current_time', input: {}, approvalId: 'a2' }] },
			{ type: 'run-end', reason: 'awaiting-input', usage }
		]);
		expect(approval.at(-1)).toMatchObject({
			outcome: { type: 'interrupt', interrupts: [{ id: 'a2', reason: 'tool_approval', toolCallId: 'c2' }] }
		});
	});

	it('closes what is open when a run is stopped or fails, and a run cut off as cancelled', () => {
		const stopped = mapAll([
			start,
			{ type: 'text-start', id: 't' },
			{ type: 'text-delta', id: 't', delta: 'Par' },
			{ type: 'run-end', reason: 'interrupted', usage }
		]);
		expect(stopped.slice(-2)).toEqual([
			{ type: 'TEXT_MESSAGE_END', messageId: 'run-1-text-0' },
			{ type: 'RUN_FINISHED', ...context, outcome: { type: 'cancelled' }, usage: expect.any(Array) }
		]);
		const failed = mapAll([
			start,
			{ type: 'tool-call-start', toolCallId: 'c', toolName: 'x' },
			{ type: 'run-error', message: 'The model failed.' }
		]);
		expect(failed.slice(-2)).toEqual([
			{ type: 'TOOL_CALL_END', toolCallId: 'c' },
			{ type: 'RUN_ERROR', message: 'The model failed.', code: 'run_failed' }
		]);
		const cut = mapAll([start, { type: 'text-delta', id: 't', delta: 'a' }]);
		expect(cut.map((event) => event.type)).toEqual([
			'RUN_STARTED',
			'TEXT_MESSAGE_START',
			'TEXT_MESSAGE_CONTENT',
			'TEXT_MESSAGE_END',
			'RUN_FINISHED'
		]);
		expect(cut.at(-1)).toMatchObject({ outcome: { type: 'cancelled' } });
	});

	it('shows a widget as an activity snapshot', () => {
		const out = mapAll([
			start,
			{ type: 'widget', id: 'w1', widget: { type: 'choices', data: { options: ['a'] } } },
			{ type: 'run-end', reason: 'completed', usage }
		]);
		expect(out[1]).toMatchObject({ type: 'ACTIVITY_SNAPSHOT', activityType: 'parley.widget', content: { id: 'w1', type: 'choices' } });
	});
});

describe('agUiEventStream', () => {
	const events: RunEvent[] = [
		start,
		{ type: 'text-delta', id: 't', delta: 'a' },
		{ type: 'text-end', id: 't' },
		{ type: 'run-end', reason: 'completed', usage }
	];

	async function numbered(startingAfter?: number) {
		const source = new ReadableStream<RunEvent>({
			start(controller) {
				for (const event of events) controller.enqueue(event);
				controller.close();
			}
		});
		const out = [];
		const reader = source.pipeThrough(agUiEventStream(context, startingAfter)).getReader();
		for (let read = await reader.read(); !read.done; read = await reader.read()) out.push(read.value);
		return out;
	}

	it('numbers events from 0, the same each time, and leaves out those up to startingAfter', async () => {
		const all = await numbered();
		expect(all.map(({ id }) => id)).toEqual([0, 1, 2, 3, 4]);
		expect(await numbered()).toEqual(all);
		expect(await numbered(2)).toEqual(all.slice(3));
	});
});
