import { describe, expect, it, vi } from 'vitest';
import type { RunEvent } from './events';
import { ActiveRun, RunRegistry, runRegistry } from './run-registry';
import { readAll } from '../../../../tests/support/streams';

const usage = { inputTokens: 1, outputTokens: 2 };
const start: RunEvent = { type: 'run-start', taskId: 'task-1', messageId: 'msg-1', model: 'mock:offline' };
const stepStart: RunEvent = { type: 'step-start' };
const delta = (text: string): RunEvent => ({ type: 'text-delta', id: 't', delta: text });
const end: RunEvent = { type: 'run-end', reason: 'completed', usage };

describe('ActiveRun', () => {
	it('knows its task and message, and starts with no events', () => {
		const run = new ActiveRun('task-1', 'msg-1');
		expect(run.taskId).toBe('task-1');
		expect(run.messageId).toBe('msg-1');
		expect(run.events).toStrictEqual([]);
		expect(run.isEnded).toBe(false);
		expect(run.abortController.signal.aborted).toBe(false);
	});

	it('gives a late subscriber every earlier event, then the live ones, then closes', async () => {
		const run = new ActiveRun('task-1', 'msg-1');
		run.emit(start);
		run.emit(stepStart);
		const reader = run.subscribe().getReader();
		expect(await reader.read()).toStrictEqual({ value: start, done: false });
		expect(await reader.read()).toStrictEqual({ value: stepStart, done: false });

		const pending = reader.read();
		run.emit(delta('live'));
		expect(await pending).toStrictEqual({ value: delta('live'), done: false });

		run.emit(end);
		run.end();
		expect(await reader.read()).toStrictEqual({ value: end, done: false });
		expect(await reader.read()).toStrictEqual({ value: undefined, done: true });
	});

	it('hands every event to several subscribers, whenever they joined', async () => {
		const run = new ActiveRun('task-1', 'msg-1');
		const early = run.subscribe();
		run.emit(start);
		const middle = run.subscribe();
		run.emit(delta('a'));
		const late = run.subscribe();
		run.emit(end);
		run.end();
		const all = [start, delta('a'), end];
		expect(await readAll(early)).toStrictEqual(all);
		expect(await readAll(middle)).toStrictEqual(all);
		expect(await readAll(late)).toStrictEqual(all);
	});

	it('replays everything to a subscriber that comes after the end, and closes at once', async () => {
		const run = new ActiveRun('task-1', 'msg-1');
		run.emit(start);
		run.emit(delta('x'));
		run.emit(end);
		run.end();
		expect(await readAll(run.subscribe())).toStrictEqual([start, delta('x'), end]);
		expect(await readAll(run.subscribe())).toStrictEqual([start, delta('x'), end]);
	});

	it('ignores events after the end, and a second end', async () => {
		const run = new ActiveRun('task-1', 'msg-1');
		run.emit(start);
		run.end();
		run.emit(delta('too late'));
		run.end();
		expect(run.events).toStrictEqual([start]);
		expect(run.isEnded).toBe(true);
		expect(await readAll(run.subscribe())).toStrictEqual([start]);
	});

	it('calls a listener with each event as it is emitted, until it stops listening or the run ends', () => {
		const run = new ActiveRun('t1', 'm1');
		run.emit(start);
		const heard: RunEvent[] = [];
		const stop = run.listen((event) => heard.push(event));
		run.emit(delta('a'));
		// Synchronous: heard before emit returns.
		expect(heard).toStrictEqual([delta('a')]);
		stop();
		run.emit(delta('b'));
		expect(heard).toStrictEqual([delta('a')]);

		const untilEnd: RunEvent[] = [];
		run.listen((event) => untilEnd.push(event));
		run.emit(end);
		run.end();
		run.emit(delta('after'));
		expect(untilEnd).toStrictEqual([end]);
		expect(run.listen(() => {})).toBeTypeOf('function');
	});

	it('keeps emitting when a listener throws, and logs it', () => {
		const error = vi.spyOn(console, 'error').mockImplementation(() => {});
		try {
			const run = new ActiveRun('t1', 'm1');
			const heard: RunEvent[] = [];
			run.listen(() => {
				throw new Error('broken listener');
			});
			run.listen((event) => heard.push(event));
			run.emit(start);
			expect(heard).toStrictEqual([start]);
			expect(run.events).toStrictEqual([start]);
			expect(error).toHaveBeenCalledWith(expect.stringContaining('task t1'), expect.any(Error));
		} finally {
			error.mockRestore();
		}
	});

	it('settles finished when it ends, not before', async () => {
		const run = new ActiveRun('task-1', 'msg-1');
		let settled = false;
		void run.finished.then(() => (settled = true));
		run.emit(start);
		await Promise.resolve();
		expect(settled).toBe(false);
		run.end();
		await run.finished;
		expect(settled).toBe(true);
		expect(run.isEnded).toBe(true);
	});

	it('stop() aborts its controller with "stopped", or the reason given', () => {
		const run = new ActiveRun('task-1', 'msg-1');
		const onAbort = vi.fn();
		run.abortController.signal.addEventListener('abort', onAbort);
		run.stop();
		expect(run.abortController.signal.aborted).toBe(true);
		expect(run.abortController.signal.reason).toBe('stopped');
		expect(onAbort).toHaveBeenCalledTimes(1);
		// stop() only asks: the run ends when its driver calls end().
		expect(run.isEnded).toBe(false);

		const timedOut = new ActiveRun('task-2', 'msg-2');
		timedOut.stop('timeout');
		expect(timedOut.abortController.signal.reason).toBe('timeout');
	});

	it('calls onCancel when a subscriber goes away, and the run goes on for the others', async () => {
		const run = new ActiveRun('task-1', 'msg-1');
		run.emit(start);
		const onCancel = vi.fn();
		const leaving = run.subscribe({ onCancel }).getReader();
		const staying = run.subscribe();

		expect(await leaving.read()).toStrictEqual({ value: start, done: false });
		await leaving.cancel();
		expect(onCancel).toHaveBeenCalledTimes(1);
		expect(run.isEnded).toBe(false);
		expect(run.abortController.signal.aborted).toBe(false);

		run.emit(delta('still running'));
		run.emit(end);
		run.end();
		expect(await readAll(staying)).toStrictEqual([start, delta('still running'), end]);
		expect(run.events).toStrictEqual([start, delta('still running'), end]);
		expect(onCancel).toHaveBeenCalledTimes(1);
	});

	it('after the end, calls onCancel only for a reader that leaves before the replay is read', async () => {
		const run = new ActiveRun('task-1', 'msg-1');
		run.emit(start);
		run.end();

		// The replay is still queued, so leaving early counts as a cancel; the ended run is unharmed.
		const leavingEarly = vi.fn(() => run.stop());
		await run.subscribe({ onCancel: leavingEarly }).cancel();
		expect(leavingEarly).toHaveBeenCalledTimes(1);
		expect(run.isEnded).toBe(true);
		expect(run.events).toStrictEqual([start]);

		// A reader that has read everything holds a closed stream: cancelling it does nothing.
		const afterReading = vi.fn();
		const reader = run.subscribe({ onCancel: afterReading }).getReader();
		expect(await reader.read()).toStrictEqual({ value: start, done: false });
		expect(await reader.read()).toStrictEqual({ value: undefined, done: true });
		await reader.cancel();
		expect(afterReading).not.toHaveBeenCalled();
	});

	it('cancels without an onCancel', async () => {
		const run = new ActiveRun('task-1', 'msg-1');
		const stream = run.subscribe();
		await stream.cancel();
		run.emit(start);
		expect(run.events).toStrictEqual([start]);
	});
});

describe('RunRegistry', () => {
	it('holds a run under its task until the run ends', async () => {
		const registry = new RunRegistry();
		const run = new ActiveRun('task-1', 'msg-1');
		expect(registry.get('task-1')).toBeUndefined();
		expect(registry.size).toBe(0);

		registry.add(run);
		expect(registry.get('task-1')).toBe(run);
		expect(registry.get('task-2')).toBeUndefined();
		expect(registry.size).toBe(1);

		run.end();
		await run.finished;
		expect(registry.get('task-1')).toBeUndefined();
		expect(registry.size).toBe(0);
	});

	it('holds runs of different tasks side by side', async () => {
		const registry = new RunRegistry();
		const first = new ActiveRun('task-1', 'msg-1');
		const second = new ActiveRun('task-2', 'msg-2');
		registry.add(first);
		registry.add(second);
		expect(registry.size).toBe(2);
		second.end();
		await second.finished;
		expect(registry.get('task-1')).toBe(first);
		expect(registry.get('task-2')).toBeUndefined();
		expect(registry.size).toBe(1);
	});

	it('rejects nothing itself: a second run on a task replaces the first, and the first ending leaves it', async () => {
		const registry = new RunRegistry();
		const first = new ActiveRun('task-1', 'msg-1');
		const second = new ActiveRun('task-1', 'msg-2');
		registry.add(first);
		expect(() => registry.add(second)).not.toThrow();
		expect(registry.get('task-1')).toBe(second);
		expect(registry.size).toBe(1);

		first.end();
		await first.finished;
		expect(registry.get('task-1')).toBe(second);

		second.end();
		await second.finished;
		expect(registry.get('task-1')).toBeUndefined();
	});

	it('removes a run that had already ended when it was added', async () => {
		const registry = new RunRegistry();
		const run = new ActiveRun('task-1', 'msg-1');
		run.end();
		registry.add(run);
		expect(registry.get('task-1')).toBe(run);
		await run.finished;
		await Promise.resolve();
		expect(registry.get('task-1')).toBeUndefined();
	});

	it('exports one process-wide registry', () => {
		expect(runRegistry).toBeInstanceOf(RunRegistry);
	});

	it('shows each run registered to its observers, before its first event, until they stop observing', () => {
		const registry = new RunRegistry();
		const seen: { run: ActiveRun; events: number }[] = [];
		const stop = registry.observe((run) => seen.push({ run, events: run.events.length }));
		const first = new ActiveRun('task-1', 'msg-1');
		registry.add(first);
		const refused = new ActiveRun('task-1', 'msg-2');
		expect(registry.tryAdd(refused)).toBe(false);
		stop();
		registry.add(new ActiveRun('task-2', 'msg-3'));
		expect(seen).toStrictEqual([{ run: first, events: 0 }]);
	});
});
