import { describe, expect, it } from 'vitest';
import {
	answerPendingCall,
	answerText,
	appendText,
	appendToolInput,
	completeToolInput,
	endAnswer,
	initialAnswer,
	upsertTool
} from './answer-state';

describe('appendText', () => {
	it('adds to the last part of the same kind, or starts a new one', () => {
		let state = appendText(initialAnswer(), 'reasoning', 'Hm');
		state = appendText(state, 'reasoning', 'm.');
		state = appendText(state, 'text', 'Hi');
		state = appendText(state, 'text', ' there');
		expect(state.parts).toEqual([
			{ type: 'reasoning', text: 'Hmm.' },
			{ type: 'text', text: 'Hi there' }
		]);
		expect(answerText(state)).toBe('Hi there');
	});

	it('adds to the part opened under a key, even when other parts came after it', () => {
		let state = appendText(initialAnswer(), 'text', 'A', 'text:1');
		state = upsertTool(state, 'c1', { toolName: 'calc' });
		state = appendText(state, 'text', 'B', 'text:1');
		expect(state.parts.map((part) => (part.type === 'text' ? part.text : part.type))).toEqual(['AB', 'tool']);
		expect(state.keys).toEqual({ 'text:1': 0, 'tool:c1': 1 });
	});

	it('never changes the state it was given', () => {
		const before = appendText(initialAnswer(), 'text', 'A');
		const frozen = JSON.stringify(before);
		appendText(before, 'text', 'B');
		expect(JSON.stringify(before)).toBe(frozen);
	});
});

describe('tool calls', () => {
	it('streams arguments, then parses them when complete', () => {
		let state = upsertTool(initialAnswer(), 'c1', { toolName: 'calc' });
		state = appendToolInput(state, 'c1', '{"expression":');
		state = appendToolInput(state, 'c1', '"6*7"}');
		state = completeToolInput(state, 'c1');
		expect(state.parts).toEqual([
			{
				type: 'tool',
				toolCallId: 'c1',
				toolName: 'calc',
				inputText: '{"expression":"6*7"}',
				input: { expression: '6*7' },
				state: 'input-available'
			}
		]);
	});

	it('writes the argument text of an input given whole', () => {
		const state = completeToolInput(initialAnswer(), 'c2', { toolName: 'now', input: { timezone: 'UTC' } });
		expect(state.parts[0]).toMatchObject({ inputText: '{"timezone":"UTC"}', input: { timezone: 'UTC' } });
		expect(completeToolInput(initialAnswer(), 'c3').parts[0]).toMatchObject({ inputText: '{}', input: {} });
	});
});

describe('endAnswer and answerPendingCall', () => {
	it('waits on calls without a result when the answer needs action, and on none otherwise', () => {
		let state = completeToolInput(initialAnswer(), 'c1', { toolName: 'lookup', input: { city: 'Paris' } });
		state = upsertTool(state, 'c2', { toolName: 'done', state: 'output-available', output: 1 });
		expect(endAnswer(state, 'requires-action', { finishReason: 'tool-calls' }).pending).toEqual([
			{ toolCallId: 'c1', toolName: 'lookup', input: { city: 'Paris' }, argumentsText: '{"city":"Paris"}', requiresApproval: false }
		]);
		expect(endAnswer(state, 'completed').pending).toEqual([]);
	});

	it('shows the output the caller sent and stops waiting for that call', () => {
		const call = {
			toolCallId: 'c1',
			toolName: 'lookup',
			input: { city: 'Paris' },
			argumentsText: '{"city":"Paris"}',
			requiresApproval: false
		};
		const waiting = endAnswer(initialAnswer(), 'requires-action', { pending: [call] });
		const answered = answerPendingCall(waiting, call, { temperature: 21 });
		expect(answered.pending).toEqual([]);
		expect(answered.parts).toEqual([
			{
				type: 'tool',
				toolCallId: 'c1',
				toolName: 'lookup',
				inputText: '{"city":"Paris"}',
				input: { city: 'Paris' },
				state: 'output-available',
				output: { temperature: 21 }
			}
		]);
		const denied = answerPendingCall(waiting, { ...call, requiresApproval: true }, { approved: false });
		expect(denied.parts[0]).toMatchObject({ state: 'output-denied' });
	});
});
