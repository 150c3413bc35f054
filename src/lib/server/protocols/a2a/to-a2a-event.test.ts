import { TaskState } from '@a2a-js/sdk';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../runtime/events';
import { A2AEventMapper } from './to-a2a-event';

const usage = { inputTokens: 1, outputTokens: 2 };

/** The responses for some run events, the stream then closed. */
function map(events: RunEvent[]) {
	const mapper = new A2AEventMapper('task_1234');
	return [...events.flatMap((event) => mapper.push(event)), ...mapper.close()];
}

const start: RunEvent = { type: 'run-start', taskId: 'task_1234', messageId: 'msg_1', model: 'mock:offline' };

describe('A2AEventMapper', () => {
	it('tells the task, its answer in appended chunks of one artifact, and completes', () => {
		const out = map([
			start,
			{ type: 'text-start', id: 't' },
			{ type: 'text-delta', id: 't', delta: 'Hel' },
			{ type: 'text-delta', id: 't', delta: 'lo' },
			{ type: 'text-end', id: 't' },
			{ type: 'run-end', reason: 'completed', usage }
		]);
		expect(out.map((event) => event.payload?.$case)).toEqual(['task', 'artifactUpdate', 'artifactUpdate', 'statusUpdate']);
		expect(out[0].payload).toMatchObject({
			value: { id: 'task_1234', contextId: 'task_1234', status: { state: TaskState.TASK_STATE_WORKING } }
		});
		expect(out[1].payload).toMatchObject({ value: { append: false, artifact: { artifactId: 'msg_1-answer' } } });
		expect(out[2].payload).toMatchObject({ value: { append: true } });
		expect(out[3].payload).toMatchObject({ value: { status: { state: TaskState.TASK_STATE_COMPLETED } } });
	});

	it('asks for input naming the calls that wait, with how to answer them', () => {
		const out = map([
			start,
			{ type: 'tool-call-ready', toolCallId: 'c1', toolName: 'get_weather', input: { city: 'Paris' }, clientExecuted: true },
			{ type: 'input-required', toolCalls: [{ toolCallId: 'c1', toolName: 'get_weather', input: { city: 'Paris' } }] },
			{ type: 'run-end', reason: 'awaiting-input', usage }
		]);
		const last = out.at(-1)!.payload;
		expect(last?.$case).toBe('statusUpdate');
		const status = last?.$case === 'statusUpdate' ? last.value.status : undefined;
		expect(status?.state).toBe(TaskState.TASK_STATE_INPUT_REQUIRED);
		expect(status?.message?.parts[1].content).toEqual({
			$case: 'data',
			value: { toolCalls: [{ toolCallId: 'c1', toolName: 'get_weather', input: { city: 'Paris' }, kind: 'output' }] }
		});
	});

	it('ends canceled when stopped or cut off, and failed with the error', () => {
		const state = (events: RunEvent[]) => {
			const last = map(events).at(-1)!.payload;
			return last?.$case === 'statusUpdate' ? last.value.status?.state : undefined;
		};
		expect(state([start, { type: 'run-end', reason: 'interrupted', usage }])).toBe(TaskState.TASK_STATE_CANCELED);
		expect(state([start, { type: 'text-delta', id: 't', delta: 'Hi' }])).toBe(TaskState.TASK_STATE_CANCELED);
		expect(state([start, { type: 'run-error', message: 'The model failed.' }])).toBe(TaskState.TASK_STATE_FAILED);
		const failed = map([start, { type: 'run-error', message: 'The model failed.' }]).at(-1)!.payload;
		expect(failed?.$case === 'statusUpdate' ? failed.value.status?.message?.parts[0].content : undefined).toEqual({
			$case: 'text',
			value: 'The model failed.'
		});
	});

	it('keeps the whole answer for the task it tells', () => {
		const mapper = new A2AEventMapper('task_1234');
		for (const event of [
			start,
			{ type: 'text-delta', id: 't', delta: 'Part' } as RunEvent,
			{ type: 'run-end', reason: 'interrupted', usage } as RunEvent
		])
			mapper.push(event);
		expect(mapper.task().artifacts[0].parts[0].content).toEqual({ $case: 'text', value: 'Part' });
		expect(mapper.task().status?.state).toBe(TaskState.TASK_STATE_CANCELED);
	});
});
