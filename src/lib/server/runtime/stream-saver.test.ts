import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StreamSaver } from './stream-saver';

/** A save that records what it stored and finishes when the test says so. */
function controlledSave() {
	let value = '';
	const stored: string[] = [];
	const pending: { resolve: () => void; reject: (error: Error) => void }[] = [];
	let started = 0;
	const save = vi.fn(() => {
		started++;
		const snapshot = value;
		return new Promise<void>((resolve, reject) => {
			pending.push({
				resolve: () => {
					stored.push(snapshot);
					resolve();
				},
				reject
			});
		});
	});
	return {
		save,
		stored,
		set: (next: string) => (value = next),
		/** Saves started so far. */
		started: () => started,
		/** Finishes the oldest save in progress. */
		finish: async () => {
			pending.shift()!.resolve();
			await vi.advanceTimersByTimeAsync(0);
		},
		fail: async (error: Error) => {
			pending.shift()!.reject(error);
			await vi.advanceTimersByTimeAsync(0);
		},
		inProgress: () => pending.length
	};
}

beforeEach(() => {
	vi.useFakeTimers();
});

afterEach(() => {
	vi.restoreAllMocks();
	vi.useRealTimers();
});

describe('StreamSaver', () => {
	it('saves what changed once per interval, however many changes came, and nothing when nothing changed', async () => {
		const target = controlledSave();
		const saver = new StreamSaver({ save: target.save, intervalMs: 1000, offsetMs: 1000 });
		saver.start();

		await vi.advanceTimersByTimeAsync(3000);
		expect(target.started()).toBe(0);

		for (let token = 1; token <= 50; token++) {
			target.set('x'.repeat(token));
			saver.touch();
			await vi.advanceTimersByTimeAsync(10);
		}
		// 3000 + 500 ms: the tick at 3000 ms came before the first change, none since.
		expect(target.started()).toBe(0);
		await vi.advanceTimersByTimeAsync(499);
		expect(target.started()).toBe(0);
		await vi.advanceTimersByTimeAsync(1);
		expect(target.started()).toBe(1);
		await target.finish();
		expect(target.stored).toEqual(['x'.repeat(50)]);

		// Nothing changed since: the next ticks store nothing.
		await vi.advanceTimersByTimeAsync(5000);
		expect(target.started()).toBe(1);
		await saver.stop();
	});

	it('never starts a save while one is in progress; what changed meanwhile is saved by the next tick after it', async () => {
		const target = controlledSave();
		const saver = new StreamSaver({ save: target.save, intervalMs: 500, offsetMs: 500 });
		saver.start();
		target.set('a');
		saver.touch();
		await vi.advanceTimersByTimeAsync(500);
		expect(target.started()).toBe(1);

		// A slow write: ticks keep coming and changes too, but no second save starts.
		for (const next of ['ab', 'abc', 'abcd']) {
			target.set(next);
			saver.touch();
			await vi.advanceTimersByTimeAsync(500);
			expect(target.inProgress()).toBe(1);
		}
		expect(target.started()).toBe(1);

		await target.finish();
		expect(target.stored).toEqual(['a']);
		await vi.advanceTimersByTimeAsync(500);
		expect(target.started()).toBe(2);
		await target.finish();
		expect(target.stored).toEqual(['a', 'abcd']);
		await saver.stop();
	});

	it('saves at once on request, after the save in progress, so the newer snapshot is stored last', async () => {
		const target = controlledSave();
		const saver = new StreamSaver({ save: target.save, intervalMs: 1000, offsetMs: 1000 });
		saver.start();
		target.set('old');
		saver.touch();
		await vi.advanceTimersByTimeAsync(1000);
		expect(target.inProgress()).toBe(1);

		target.set('step end');
		const now = saver.saveNow();
		await vi.advanceTimersByTimeAsync(0);
		// It waits for the timed save rather than overlapping it.
		expect(target.started()).toBe(1);
		await target.finish();
		expect(target.started()).toBe(2);
		await target.finish();
		await now;
		expect(target.stored).toEqual(['old', 'step end']);
		await saver.stop();
	});

	it('once stopped, waits for the save in progress and saves nothing more, so a final write stays final', async () => {
		const target = controlledSave();
		const saver = new StreamSaver({ save: target.save, intervalMs: 1000, offsetMs: 1000 });
		saver.start();
		target.set('partial');
		saver.touch();
		await vi.advanceTimersByTimeAsync(1000);
		expect(target.inProgress()).toBe(1);

		target.set('more');
		saver.touch();
		let stopped = false;
		const stopping = saver.stop().then(() => (stopped = true));
		await vi.advanceTimersByTimeAsync(0);
		expect(stopped).toBe(false);
		await target.finish();
		await stopping;
		expect(stopped).toBe(true);

		// What the caller writes now is not followed by any timed save.
		saver.touch();
		await vi.advanceTimersByTimeAsync(10_000);
		await saver.saveNow();
		expect(target.started()).toBe(1);
		expect(target.stored).toEqual(['partial']);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('starts at a random point of the first interval by default, so answers started together save at different moments', async () => {
		const target = controlledSave();
		vi.spyOn(Math, 'random').mockReturnValueOnce(0.25);
		const saver = new StreamSaver({ save: target.save, intervalMs: 1000 });
		saver.start();
		saver.touch();
		await vi.advanceTimersByTimeAsync(249);
		expect(target.started()).toBe(0);
		await vi.advanceTimersByTimeAsync(1);
		expect(target.started()).toBe(1);
		await target.finish();

		saver.touch();
		await vi.advanceTimersByTimeAsync(999);
		expect(target.started()).toBe(1);
		await vi.advanceTimersByTimeAsync(1);
		expect(target.started()).toBe(2);
		await target.finish();
		await saver.stop();
		expect(vi.getTimerCount()).toBe(0);
	});

	it('stopped before its first tick, saves nothing', async () => {
		const target = controlledSave();
		const saver = new StreamSaver({ save: target.save, intervalMs: 1000, offsetMs: 500 });
		saver.start();
		saver.touch();
		await saver.stop();
		await vi.advanceTimersByTimeAsync(5000);
		expect(target.started()).toBe(0);
		expect(vi.getTimerCount()).toBe(0);
	});

	it('takes an interval longer than a timer can wait as the longest it can', async () => {
		const target = controlledSave();
		const saver = new StreamSaver({ save: target.save, intervalMs: 2 ** 40, offsetMs: 2 ** 40 });
		saver.start();
		saver.touch();
		await vi.advanceTimersByTimeAsync(60_000);
		expect(target.started()).toBe(0);
		await saver.stop();
	});

	it('reports a failed timed save and tries again at the next tick; a requested save passes its failure on', async () => {
		const target = controlledSave();
		const errors: unknown[] = [];
		const saver = new StreamSaver({ save: target.save, intervalMs: 1000, offsetMs: 1000, onError: (error) => errors.push(error) });
		saver.start();
		target.set('one');
		saver.touch();
		await vi.advanceTimersByTimeAsync(1000);
		await target.fail(new Error('disk full'));
		expect(errors).toEqual([new Error('disk full')]);

		target.set('two');
		saver.touch();
		await vi.advanceTimersByTimeAsync(1000);
		expect(target.started()).toBe(2);
		await target.finish();
		expect(target.stored).toEqual(['two']);

		const now = saver.saveNow();
		const outcome = expect(now).rejects.toThrow('locked');
		await vi.advanceTimersByTimeAsync(0);
		await target.fail(new Error('locked'));
		await outcome;
		expect(errors).toHaveLength(1);
		await saver.stop();
	});
});
