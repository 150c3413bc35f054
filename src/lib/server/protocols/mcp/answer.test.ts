import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../runtime/events';
import { AnswerText, ProgressThrottle, readAnswer } from './answer';

const usage = { inputTokens: undefined, outputTokens: undefined };

/** A stream of run events. */
function streamOf(events: RunEvent[]): ReadableStream<RunEvent> {
	return new ReadableStream({
		start(controller) {
			for (const event of events) controller.enqueue(event);
			controller.close();
		}
	});
}

const delta = (text: string): RunEvent => ({ type: 'text-delta', id: 't', delta: text }) as RunEvent;

describe('AnswerText', () => {
	it('joins the texts of steps as the chat shows them, and notes how the run ended', () => {
		const answer = new AnswerText();
		expect(answer.add(delta('Hello'))).toBe(true);
		expect(answer.add({ type: 'step-start' } as RunEvent)).toBe(false);
		answer.add(delta('World'));
		answer.add({ type: 'run-end', reason: 'completed', usage });
		expect(answer.text).toBe('Hello\n\nWorld');
		expect(answer.endReason).toBe('completed');
	});

	it('keeps a run error and the calls that wait', () => {
		const answer = new AnswerText();
		answer.add({ type: 'input-required', toolCalls: [{ toolCallId: 'c1', toolName: 'current_time', input: {} }] });
		answer.add({ type: 'run-error', message: 'The model failed.' });
		expect(answer.error).toBe('The model failed.');
		expect(answer.pending).toHaveLength(1);
	});
});

describe('ProgressThrottle', () => {
	it('reports at most once an interval, and the last text once', () => {
		const throttle = new ProgressThrottle(100);
		expect(throttle.due(5, 0)).toBe(true);
		expect(throttle.due(8, 50)).toBe(false);
		expect(throttle.due(9, 100)).toBe(true);
		expect(throttle.due(9, 300)).toBe(false);
		expect(throttle.final(12, 310)).toBe(true);
		expect(throttle.final(12, 320)).toBe(false);
	});
});

describe('readAnswer', () => {
	it('reports the growing text, throttled, and the whole text last', async () => {
		let clock = 0;
		const reported: string[] = [];
		const events = [delta('a'), delta('b'), delta('c'), delta('d'), { type: 'run-end', reason: 'completed', usage } as RunEvent];
		const answer = await readAnswer(streamOf(events), async (text) => void reported.push(text), {
			intervalMs: 100,
			now: () => (clock += 60)
		});
		expect(answer.text).toBe('abcd');
		// a at 60, b at 120 (too soon), c at 180, d at 240 (too soon), then the whole text.
		expect(reported).toEqual(['a', 'abc', 'abcd']);
	});

	it('reports nothing without a reporter, and nothing for an answer without text', async () => {
		const reported: string[] = [];
		const answer = await readAnswer(streamOf([{ type: 'run-end', reason: 'completed', usage }]), async (text) => void reported.push(text));
		expect(answer.text).toBe('');
		expect(reported).toEqual([]);
	});
});
