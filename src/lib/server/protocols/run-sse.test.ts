import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunEvent } from '../runtime/events';
import { ActiveRun } from '../runtime/run-registry';
import { collectText } from '../../../../tests/support/streams';
import { runSseStream } from './run-sse';

const usage = { inputTokens: 1, outputTokens: 2 };
const start: RunEvent = { type: 'run-start', taskId: 't1', messageId: 'm1', model: 'mock:offline' };
const delta = (text: string): RunEvent => ({ type: 'text-delta', id: 'x', delta: text });
const end: RunEvent = { type: 'run-end', reason: 'completed', usage };
/** Deltas only, as their text. */
const map = (event: RunEvent) => (event.type === 'text-delta' ? { data: event.delta } : undefined);

afterEach(() => {
	vi.useRealTimers();
});

describe('runSseStream', () => {
	it('sends the events before it, then each as the run emits it, then the last event once the run ends', async () => {
		const run = new ActiveRun('t1', 'm1');
		run.emit(start);
		run.emit(delta('before'));
		const text = collectText(runSseStream(run, { map, last: { data: '[DONE]' } }));
		run.emit(delta('after\nbreak'));
		run.emit(end);
		run.end();
		expect(await text).toBe('data: before\n\ndata: after\ndata: break\n\ndata: [DONE]\n\n');
	});

	it('sends what the run emits in one turn of the event loop as one chunk', async () => {
		const run = new ActiveRun('t1', 'm1');
		const reader = runSseStream(run, { map }).getReader();
		const decoder = new TextDecoder();
		run.emit(delta('a'));
		run.emit(delta('b'));
		expect(decoder.decode((await reader.read()).value)).toBe('data: a\n\ndata: b\n\n');
		run.emit(delta('c'));
		expect(decoder.decode((await reader.read()).value)).toBe('data: c\n\n');
		run.end();
		expect((await reader.read()).done).toBe(true);
	});

	it('replays a run that has ended and closes at once', async () => {
		const run = new ActiveRun('t1', 'm1');
		run.emit(delta('all'));
		run.end();
		expect(await collectText(runSseStream(run, { map }))).toBe('data: all\n\n');
	});

	it('stops listening when the reader goes away, and the run goes on', async () => {
		const run = new ActiveRun('t1', 'm1');
		const reader = runSseStream(run, { map }).getReader();
		run.emit(delta('one'));
		expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: one\n\n');
		await reader.cancel();
		run.emit(delta('two'));
		run.end();
		expect(run.events).toHaveLength(2);
		await run.finished;
	});

	it('sends every event the map makes of one, and tells onCancel of a reader gone before the end only', async () => {
		const run = new ActiveRun('t1', 'm1');
		const gone = vi.fn();
		const twice = (event: RunEvent) =>
			event.type === 'text-delta' ? [{ data: event.delta }, { event: 'again', data: event.delta }] : undefined;
		const reader = runSseStream(run, { map: twice, onCancel: gone }).getReader();
		run.emit(delta('x'));
		expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: x\n\nevent: again\ndata: x\n\n');
		await reader.cancel();
		expect(gone).toHaveBeenCalledTimes(1);

		const ended = new ActiveRun('t2', 'm2');
		const afterEnd = vi.fn();
		const stream = runSseStream(ended, { map, onCancel: afterEnd });
		ended.end();
		await collectText(stream);
		expect(afterEnd).not.toHaveBeenCalled();
	});

	it('sends events that come as a stream the same way', async () => {
		const events = new ReadableStream<RunEvent>({
			start(controller) {
				for (const event of [start, delta('from afar'), end]) controller.enqueue(event);
				controller.close();
			}
		});
		expect(await collectText(runSseStream(events, { map, last: { data: '[DONE]' } }))).toBe('data: from afar\n\ndata: [DONE]\n\n');
	});

	it('writes a keep-alive comment while idle, and no more once the run ends', async () => {
		vi.useFakeTimers();
		const run = new ActiveRun('t1', 'm1');
		const reader = runSseStream(run, { map, keepAliveMs: 1000 }).getReader();
		await vi.advanceTimersByTimeAsync(1000);
		expect(new TextDecoder().decode((await reader.read()).value)).toBe(': keep-alive\n\n');
		run.end();
		await vi.advanceTimersByTimeAsync(5000);
		expect(await reader.read()).toStrictEqual({ done: true, value: undefined });
	});
});
