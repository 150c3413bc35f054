import type { UIMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import type { Message } from '../db/schema';
import { historyAfter } from './history-after';
import { prepareHistory } from './turn-request';

/** A stored message of the test task. */
function message(position: number, role: Message['role'], text: string | null, extra: Partial<Message> = {}): Message {
	const parts: UIMessage['parts'] = text === null ? [] : [{ type: 'text', text }];
	return {
		id: `m${position}`,
		taskId: 'task-1',
		position,
		role,
		kind: role === 'assistant' ? 'agent' : role,
		parts,
		status: 'complete',
		error: null,
		model: null,
		inputTokens: null,
		outputTokens: null,
		metadata: null,
		createdAt: new Date(0),
		...extra
	} as Message;
}

const stored = [message(0, 'user', 'First'), message(1, 'assistant', 'One'), message(2, 'user', 'Second'), message(3, 'assistant', 'Two')];
const texts = (history: Message[]) =>
	history.map((entry) => `${entry.role}:${entry.parts.map((part) => ('text' in part ? part.text : part.type)).join('')}`);

describe('historyAfter', () => {
	it('a new question comes last', () => {
		const question = message(4, 'user', 'Third');
		const history = historyAfter(stored, prepareHistory(stored, { type: 'message', parts: question.parts }), question);
		expect(texts(history)).toEqual(['user:First', 'assistant:One', 'user:Second', 'assistant:Two', 'user:Third']);
	});

	it('an edited question replaces the old one and drops what followed', () => {
		const edited = message(2, 'user', 'Second, reworded', { id: 'm2' });
		const prepared = prepareHistory(stored, { type: 'message', parts: edited.parts, messageId: 'm2', replaceFrom: 'm2' });
		expect(texts(historyAfter(stored, prepared, edited))).toEqual(['user:First', 'assistant:One', 'user:Second, reworded']);
	});

	it('a regenerated answer leaves the history up to its question', () => {
		expect(texts(historyAfter(stored, prepareHistory(stored, { type: 'regenerate' })))).toEqual([
			'user:First',
			'assistant:One',
			'user:Second'
		]);
	});

	it('a continued answer has its new parts; empty messages are left out', () => {
		const waiting = message(3, 'assistant', null, {
			parts: [{ type: 'tool-lookup', toolCallId: 'c1', state: 'input-available', input: {} } as unknown as UIMessage['parts'][number]]
		});
		const withEmpty = [message(0, 'user', 'Look it up'), message(1, 'assistant', null), message(2, 'user', 'Again'), waiting];
		const prepared = prepareHistory(withEmpty, {
			type: 'continue',
			messageId: 'm3',
			toolOutputs: [{ toolCallId: 'c1', output: { found: true } }],
			approvals: []
		});
		const history = historyAfter(withEmpty, prepared);
		expect(history.map((entry) => entry.id)).toEqual(['m0', 'm2', 'm3']);
		expect(history[2]).toMatchObject({ status: 'streaming', parts: [{ state: 'output-available', output: { found: true } }] });
	});
});

describe('prepareHistory for a respond turn', () => {
	it('refuses a history that leaves the model no message: only system messages and empty answers', () => {
		const empty = [message(0, 'system', 'Be brief'), message(1, 'assistant', null, { parts: [{ type: 'step-start' }] })];
		expect(() => prepareHistory(empty, { type: 'respond' })).toThrow(/nothing to answer/);
		expect(() => prepareHistory([], { type: 'respond' })).toThrow(/nothing to answer/);
	});

	it('answers a history with a question', () => {
		expect(prepareHistory([message(0, 'system', 'Be brief'), message(1, 'user', 'Hi')], { type: 'respond' })).toEqual({});
	});
});
