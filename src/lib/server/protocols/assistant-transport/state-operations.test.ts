import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../runtime/events';
import type { StateMessage } from './state-message';
import { StateOperations } from './state-operations';

const usage = { inputTokens: 1, outputTokens: 2 };
const question: StateMessage = { id: 'q1', role: 'user', content: [{ type: 'text', text: 'Hi' }] };

describe('StateOperations', () => {
	it('sets the task id and the whole thread first, the answer last and running', () => {
		const state = new StateOperations({ taskId: 'task-1', history: [question], answer: { id: 'a1', parts: [] } });
		expect(state.start()).toStrictEqual([
			{ type: 'set', path: ['taskId'], value: 'task-1' },
			{
				type: 'set',
				path: ['messages'],
				value: [question, { id: 'a1', role: 'assistant', content: [], status: { type: 'running' } }]
			}
		]);
	});

	it('appends text as it grows, sets new and changed parts, and sets the status at the end', () => {
		const state = new StateOperations({ taskId: 'task-1', history: [question], answer: { id: 'a1', parts: [] } });
		const steps: [RunEvent, unknown[]][] = [
			[{ type: 'run-start', taskId: 'task-1', messageId: 'a1', model: 'm' }, []],
			[{ type: 'step-start' }, []],
			[
				{ type: 'reasoning-start', id: 'r' },
				[{ type: 'set', path: ['messages', '1', 'content', '0'], value: { type: 'reasoning', text: '' } }]
			],
			[
				{ type: 'reasoning-delta', id: 'r', delta: 'Think.' },
				[{ type: 'append-text', path: ['messages', '1', 'content', '0', 'text'], value: 'Think.' }]
			],
			[{ type: 'reasoning-end', id: 'r' }, []],
			[{ type: 'text-start', id: 't' }, [{ type: 'set', path: ['messages', '1', 'content', '1'], value: { type: 'text', text: '' } }]],
			[
				{ type: 'text-delta', id: 't', delta: 'You ' },
				[{ type: 'append-text', path: ['messages', '1', 'content', '1', 'text'], value: 'You ' }]
			],
			[
				{ type: 'text-delta', id: 't', delta: 'said' },
				[{ type: 'append-text', path: ['messages', '1', 'content', '1', 'text'], value: 'said' }]
			],
			[
				{ type: 'tool-call-start', toolCallId: 'c1', toolName: 'calculator' },
				[
					{
						type: 'set',
						path: ['messages', '1', 'content', '2'],
						value: { type: 'tool-call', toolCallId: 'c1', toolName: 'calculator', args: {}, argsText: '' }
					}
				]
			],
			[{ type: 'tool-call-delta', toolCallId: 'c1', inputTextDelta: '{"expression":"1+1"}' }, []],
			[
				{ type: 'tool-call-ready', toolCallId: 'c1', toolName: 'calculator', input: { expression: '1+1' }, clientExecuted: false },
				[
					{
						type: 'set',
						path: ['messages', '1', 'content', '2'],
						value: {
							type: 'tool-call',
							toolCallId: 'c1',
							toolName: 'calculator',
							args: { expression: '1+1' },
							argsText: '{"expression":"1+1"}'
						}
					}
				]
			],
			[
				{ type: 'tool-output', toolCallId: 'c1', output: { result: 2 } },
				[
					{
						type: 'set',
						path: ['messages', '1', 'content', '2'],
						value: {
							type: 'tool-call',
							toolCallId: 'c1',
							toolName: 'calculator',
							args: { expression: '1+1' },
							argsText: '{"expression":"1+1"}',
							result: { result: 2 }
						}
					}
				]
			],
			[{ type: 'step-end', usage }, []],
			[
				{ type: 'run-end', reason: 'completed', usage },
				[{ type: 'set', path: ['messages', '1', 'status'], value: { type: 'complete', reason: 'stop' } }]
			]
		];
		for (const [event, operations] of steps) expect(state.apply(event), event.type).toStrictEqual(operations);
	});

	it('continues an answer from its parts, and reports approvals, denials and errors', () => {
		const state = new StateOperations({
			taskId: 'task-1',
			history: [question],
			answer: {
				id: 'a1',
				parts: [
					{ type: 'step-start' },
					{ type: 'tool-lookup', toolCallId: 'c0', state: 'output-available', input: { city: 'Oslo' }, output: { t: 3 } }
				]
			}
		});
		expect(state.start()[1]).toMatchObject({
			value: [
				question,
				{
					id: 'a1',
					content: [
						{
							type: 'tool-call',
							toolCallId: 'c0',
							toolName: 'lookup',
							args: { city: 'Oslo' },
							argsText: '{"city":"Oslo"}',
							result: { t: 3 }
						}
					]
				}
			]
		});
		state.apply({ type: 'tool-call-ready', toolCallId: 'c1', toolName: 'delete', input: {}, clientExecuted: false });
		expect(state.apply({ type: 'tool-approval-request', toolCallId: 'c1', approvalId: 'ap' })).toStrictEqual([
			{
				type: 'set',
				path: ['messages', '1', 'content', '1'],
				value: { type: 'tool-call', toolCallId: 'c1', toolName: 'delete', args: {}, argsText: '{}', approval: { id: 'ap' } }
			}
		]);
		expect(state.apply({ type: 'tool-denied', toolCallId: 'c1' })).toStrictEqual([
			{
				type: 'set',
				path: ['messages', '1', 'content', '1'],
				value: {
					type: 'tool-call',
					toolCallId: 'c1',
					toolName: 'delete',
					args: {},
					argsText: '{}',
					approval: { id: 'ap', approved: false },
					result: 'The tool call was denied.',
					isError: true
				}
			}
		]);
		expect(state.apply({ type: 'run-error', message: 'The model failed.' })).toStrictEqual([
			{ type: 'set', path: ['messages', '1', 'status'], value: { type: 'incomplete', reason: 'error', error: 'The model failed.' } }
		]);
	});
});
