import { describe, expect, it } from 'vitest';
import type { WidgetPart } from '../../widgets/contract';
import { submissionOf, toolCallSubmission, widgetSubmissions } from './widget-submissions';

const submit = (widgetId: string, value: unknown) => ({ type: 'data-widget-submit', data: { widgetId, type: 'choice', value } });

describe('widgetSubmissions', () => {
	it('maps each answered widget to the value sent by a person', () => {
		const messages = [
			{ role: 'assistant', parts: [{ type: 'data-widget', id: 'w1', data: { type: 'choice', data: {} } }] },
			{ role: 'user', parts: [{ type: 'text', text: 'Billing' }, submit('w1', 'billing')] },
			// An assistant cannot answer a widget, and a malformed part is no answer.
			{ role: 'assistant', parts: [submit('w2', 'x')] },
			{ role: 'user', parts: [{ type: 'data-widget-submit', data: { value: 'no id' } }] }
		];
		const submissions = widgetSubmissions(messages);
		expect([...submissions.keys()]).toEqual(['w1']);
		expect(submissions.get('w1')).toEqual({ widgetId: 'w1', type: 'choice', value: 'billing' });
		expect(submissionOf(messages[1])).toEqual({ widgetId: 'w1', type: 'choice', value: 'billing' });
		expect(submissionOf(messages[0])).toBeUndefined();
	});
});

describe('toolCallSubmission', () => {
	const widget: WidgetPart = { type: 'data-widget', id: 'w1', data: { type: 'choice', data: {}, toolCallId: 'call-1', toolName: 'pick' } };

	it('reads the answer from the tool call’s output once there is one', () => {
		const waiting = [{ type: 'tool-pick', toolCallId: 'call-1', state: 'input-available', input: {} }];
		expect(toolCallSubmission(widget, waiting)).toBeUndefined();
		const answered = [{ type: 'tool-pick', toolCallId: 'call-1', state: 'output-available', input: {}, output: 'pro' }];
		expect(toolCallSubmission(widget, answered)).toEqual({ widgetId: 'w1', type: 'choice', value: 'pro' });
	});

	it('is nothing for a widget that answers no tool call', () => {
		const plain: WidgetPart = { type: 'data-widget', id: 'w2', data: { type: 'choice', data: {} } };
		const parts = [{ type: 'tool-pick', toolCallId: 'call-1', state: 'output-available', output: 1 }];
		expect(toolCallSubmission(plain, parts)).toBeUndefined();
	});
});
