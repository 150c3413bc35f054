import type { UIMessage } from 'ai';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { planHistory } from './plan-history';
import type { ConvertedHistory, StoredDraft } from './to-stored-messages';

const question = (text: string): StoredDraft => ({ role: 'user', parts: [{ type: 'text', text }] });
const answer = (text: string): StoredDraft => ({ role: 'assistant', parts: [{ type: 'text', text }] });
const pendingCall = (toolCallId: string) =>
	({ type: 'tool-get_weather', toolCallId, state: 'input-available', input: { city: 'Paris' } }) as unknown as UIMessage['parts'][number];
const waitingAnswer: StoredDraft = { role: 'assistant', parts: [pendingCall('call_1')] };

describe('planHistory', () => {
	it('stores the whole history of a new task, then responds', () => {
		const converted: ConvertedHistory = { messages: [question('Hi')], trailingAnswers: [] };
		expect(planHistory(converted, null)).toStrictEqual({ kind: 'respond', append: [question('Hi')] });
	});

	it('appends only the messages after those the task holds', () => {
		const converted: ConvertedHistory = {
			messages: [question('Hi'), answer('Hello'), question('More')],
			trailingAnswers: []
		};
		expect(planHistory(converted, [question('Hi'), answer('Hello')])).toStrictEqual({
			kind: 'respond',
			append: [question('More')]
		});
	});

	it('answers calls that wait in the stored task without storing anything', () => {
		const converted: ConvertedHistory = {
			messages: [question('Hi'), waitingAnswer],
			trailingAnswers: [{ toolCallId: 'call_1', output: 'Sunny' }]
		};
		expect(planHistory(converted, [question('Hi'), waitingAnswer])).toStrictEqual({
			kind: 'answer',
			append: [],
			answers: [{ toolCallId: 'call_1', output: 'Sunny' }]
		});
	});

	it('stores a new task with its last answer pending, then answers it', () => {
		const converted: ConvertedHistory = {
			messages: [question('Hi'), waitingAnswer],
			trailingAnswers: [{ toolCallId: 'call_1', output: 'Sunny' }]
		};
		expect(planHistory(converted, null)).toStrictEqual({
			kind: 'answer',
			append: [question('Hi'), waitingAnswer],
			answers: [{ toolCallId: 'call_1', output: 'Sunny' }]
		});
	});

	it('refuses a history with nothing new', () => {
		const converted: ConvertedHistory = { messages: [question('Hi'), answer('Hello')], trailingAnswers: [] };
		expect(() => planHistory(converted, [question('Hi'), answer('Hello')])).toThrow(AppError);
	});
});
