import type { UIMessageChunk } from 'ai';
import { describe, expect, it } from 'vitest';
import { announceListening } from '../../../../tests/support/live-feed';
import { formatEventId, parseEventId } from './event-id';
import { MemoryFeedStore } from './memory-feed-store';
import { FeedClosedError, planReplay, subscribeFeed, TaskDeletedError, type FeedSnapshot } from './task-feed';
import type { FeedEntry, TaskEvent } from './task-event';

const chunk = (delta: string): TaskEvent => ({
	type: 'chunk',
	messageId: 'answer',
	chunk: { type: 'text-delta', id: 't', delta } satisfies UIMessageChunk
});
const deltaOf = (entry: FeedEntry) =>
	entry.event.type === 'chunk' && entry.event.chunk.type === 'text-delta' ? entry.event.chunk.delta : entry.event.type;

/** Reads `count` entries from a subscription, then lets it go. */
async function take(entries: AsyncGenerator<FeedEntry, void, undefined>, count: number): Promise<FeedEntry[]> {
	const read: FeedEntry[] = [];
	if (count === 0) return read;
	for await (const entry of entries) {
		read.push(entry);
		if (read.length === count) break;
	}
	return read;
}

describe('event ids', () => {
	it('name an epoch and a number, and refuse anything else', () => {
		expect(formatEventId('abc123', 42)).toBe('abc123-42');
		expect(parseEventId('abc123-42')).toStrictEqual({ epoch: 'abc123', seq: 42 });
		expect(parseEventId('abc123-0')).toStrictEqual({ epoch: 'abc123', seq: 0 });
		for (const bad of ['', '42', 'abc-', 'abc-01', 'ABC-1', 'abc-1-2', 'abc-1\n', 'a b-1']) {
			expect(parseEventId(bad)).toBeNull();
		}
	});
});

describe('planReplay', () => {
	const entries = [3, 4, 5].map((seq) => ({ id: formatEventId('e1', seq), event: chunk(String(seq)) }));
	const snapshot: FeedSnapshot = { epoch: 'e1', seq: 5, entries };

	it('sends a new subscriber nothing old and starts it at the newest event', () => {
		expect(planReplay(snapshot, null)).toStrictEqual({ type: 'replay', entries: [], position: { epoch: 'e1', seq: 5 } });
		expect(planReplay({ epoch: null, seq: 0, entries: [] }, null)).toStrictEqual({ type: 'replay', entries: [], position: null });
	});

	it('replays what came after the last event seen, and nothing when it saw the newest', () => {
		expect(planReplay(snapshot, 'e1-3')).toMatchObject({ type: 'replay', entries: entries.slice(1) });
		expect(planReplay(snapshot, 'e1-2')).toMatchObject({ type: 'replay', entries });
		expect(planReplay(snapshot, 'e1-5')).toMatchObject({ type: 'replay', entries: [] });
	});

	it('resets when events after the last one seen are no longer kept', () => {
		expect(planReplay(snapshot, 'e1-1')).toStrictEqual({ type: 'reset' });
		expect(planReplay(snapshot, 'e1-0')).toStrictEqual({ type: 'reset' });
	});

	it('resets for an id of another epoch, one beyond the newest, a malformed one, or a feed that is gone', () => {
		expect(planReplay(snapshot, 'e0-4')).toStrictEqual({ type: 'reset' });
		expect(planReplay(snapshot, 'e1-6')).toStrictEqual({ type: 'reset' });
		expect(planReplay(snapshot, 'not an id')).toStrictEqual({ type: 'reset' });
		expect(planReplay({ epoch: null, seq: 0, entries: [] }, 'e1-4')).toStrictEqual({ type: 'reset' });
	});
});

describe('subscribeFeed over the memory store', () => {
	it('numbers each task’s events in order, separately per task', async () => {
		const store = new MemoryFeedStore();
		const ids = [await store.append('a', chunk('1')), await store.append('a', chunk('2')), await store.append('b', chunk('x'))];
		const [a1, a2, b1] = ids.map((id) => parseEventId(id)!);
		expect(a2.epoch).toBe(a1.epoch);
		expect([a1.seq, a2.seq, b1.seq]).toStrictEqual([1, 2, 1]);
		expect(b1.epoch).not.toBe(a1.epoch);
		expect(await store.cursor('a')).toBe(ids[1]);
	});

	it('delivers new events in order to every subscriber, and nothing of other tasks', async () => {
		const { store, listening } = announceListening(new MemoryFeedStore());
		await store.append('task', chunk('before'));
		const first = subscribeFeed(store, 'task', null);
		const second = subscribeFeed(store, 'task', null);
		const reading = Promise.all([take(first, 3), take(second, 3)]);
		await listening(2);
		for (const delta of ['a', 'b']) await store.append('task', chunk(delta));
		await store.append('other', chunk('elsewhere'));
		await store.append('task', chunk('c'));
		const [fromFirst, fromSecond] = await reading;
		expect(fromFirst.map(deltaOf)).toStrictEqual(['a', 'b', 'c']);
		expect(fromSecond).toStrictEqual(fromFirst);
		expect(fromFirst.map((entry) => parseEventId(entry.id)!.seq)).toStrictEqual([2, 3, 4]);
	});

	it('resumes after lastEventId with exactly what was missed, then goes on live', async () => {
		const { store, listening } = announceListening(new MemoryFeedStore());
		const ids: string[] = [];
		for (const delta of ['a', 'b', 'c', 'd']) ids.push(await store.append('task', chunk(delta)));
		const resumed = subscribeFeed(store, 'task', ids[1]);
		const reading = take(resumed, 3);
		await listening();
		await store.append('task', chunk('e'));
		expect((await reading).map(deltaOf)).toStrictEqual(['c', 'd', 'e']);
	});

	it('sends a reset, with the newest id, when the events after lastEventId are no longer kept', async () => {
		const store = new MemoryFeedStore({ maxEntries: 3 });
		const ids: string[] = [];
		for (const delta of ['a', 'b', 'c', 'd', 'e']) ids.push(await store.append('task', chunk(delta)));
		// 'b' was dropped: a reader that saw only 'a' has missed it.
		const [reset] = await take(subscribeFeed(store, 'task', ids[0]), 1);
		expect(reset).toStrictEqual({ id: ids[4], event: { type: 'reset' } });
		// A reader that saw 'b' misses nothing that is gone.
		expect((await take(subscribeFeed(store, 'task', ids[1]), 3)).map(deltaOf)).toStrictEqual(['c', 'd', 'e']);
	});

	it('resets a reader whose id is from an earlier life of the feed (a restart)', async () => {
		const before = new MemoryFeedStore();
		const old = await before.append('task', chunk('a'));
		const after = new MemoryFeedStore();
		const [reset] = await take(subscribeFeed(after, 'task', old), 1);
		expect(reset.event).toStrictEqual({ type: 'reset' });
		expect(parseEventId(reset.id)).toMatchObject({ seq: 0 });
		expect(parseEventId(reset.id)!.epoch).not.toBe(parseEventId(old)!.epoch);
	});

	it('never sends an event twice when it comes while the kept ones are read', async () => {
		const inner = new MemoryFeedStore();
		const first = await inner.append('task', chunk('a'));
		// A store whose listener hears of an event already in its snapshot, as Redis may.
		const racing = Object.assign(Object.create(inner) as MemoryFeedStore, {
			async listen(taskId: string, listener: Parameters<MemoryFeedStore['listen']>[1]) {
				const listening = await inner.listen(taskId, listener);
				const second = { id: await inner.append(taskId, chunk('b')), event: chunk('b') };
				listening.snapshot.entries.push(second);
				listening.snapshot.seq = parseEventId(second.id)!.seq;
				return listening;
			}
		});
		const { store, listening } = announceListening(racing);
		const reading = take(subscribeFeed(store, 'task', first), 2);
		await listening();
		await inner.append('task', chunk('c'));
		expect((await reading).map(deltaOf)).toStrictEqual(['b', 'c']);
	});

	it('ends when its signal aborts, even while waiting, and stops listening', async () => {
		const memory = new MemoryFeedStore();
		const { store, listening } = announceListening(memory);
		const controller = new AbortController();
		const next = subscribeFeed(store, 'task', null, controller.signal).next();
		await listening();
		controller.abort();
		expect(await next).toStrictEqual({ value: undefined, done: true });
		// Nobody listens any more: the task's feed can be dropped once idle.
		expect((memory as unknown as { tasks: Map<string, { listeners: Set<unknown> }> }).tasks.get('task')?.listeners.size).toBe(0);
	});

	it('fails with FeedClosedError when the store closes (the server stops), and refuses new subscribers', async () => {
		const { store, listening } = announceListening(new MemoryFeedStore());
		const next = subscribeFeed(store, 'task', null).next();
		await listening();
		const failed = expect(next).rejects.toBeInstanceOf(FeedClosedError);
		await store.close();
		await failed;
		await expect(subscribeFeed(store, 'task', null).next()).rejects.toBeInstanceOf(FeedClosedError);
	});

	it('hands over what came before a deletion, then fails with TaskDeletedError; nothing appended after reaches it', async () => {
		const memory = new MemoryFeedStore();
		const { store, listening } = announceListening(memory);
		const entries = subscribeFeed(store, 'task', null);
		const read: string[] = [];
		const reading = (async () => {
			for await (const entry of entries) read.push(deltaOf(entry));
		})();
		const ended = expect(reading).rejects.toBeInstanceOf(TaskDeletedError);
		await listening();
		await store.append('task', chunk('a'));
		await store.drop('task');
		// The same id used again: a new feed, which the old subscriber never sees.
		await store.append('task', chunk('b'));
		await ended;
		expect(read).toStrictEqual(['a']);
		expect(await store.cursor('task')).toMatch(/-1$/);
	});

	it('runs afterListen once listening, before handing anything over, and stops listening when it throws', async () => {
		const memory = new MemoryFeedStore();
		await memory.append('task', chunk('kept'));
		const listeners = () => (memory as unknown as { tasks: Map<string, { listeners: Set<unknown> }> }).tasks.get('task')?.listeners.size;
		let seen: number | undefined;
		const refused = subscribeFeed(memory, 'task', null, undefined, async () => {
			seen = listeners();
			throw new Error('gone');
		}).next();
		await expect(refused).rejects.toThrow('gone');
		expect(seen).toBe(1);
		expect(listeners()).toBe(0);
	});
});

describe('MemoryFeedStore limits', () => {
	it('keeps only the newest events of a task', async () => {
		const store = new MemoryFeedStore({ maxEntries: 2 });
		for (const delta of ['a', 'b', 'c']) await store.append('task', chunk(delta));
		const listening = await store.listen('task', { next() {}, close() {}, deleted() {} });
		const snapshot = listening.snapshot;
		listening.stop();
		expect(snapshot.entries.map(deltaOf)).toStrictEqual(['b', 'c']);
		expect(snapshot.seq).toBe(3);
	});

	it('drops idle feeds nobody listens to, and the least recently used beyond its limit, never a listened one', async () => {
		let now = 0;
		const store = new MemoryFeedStore({ maxTasks: 3, idleMs: 1000 }, () => now);
		const epochOf = async (taskId: string) => parseEventId(await store.cursor(taskId))!.epoch;
		const a = await epochOf('a');
		const listening = await store.listen('listened', { next() {}, close() {}, deleted() {} });
		const b = await epochOf('b');
		await epochOf('c'); // four tasks, one beyond the limit: 'a' goes, being the least recently used
		expect(await epochOf('b')).toBe(b);
		now = 5000;
		await epochOf('d'); // 'b' and 'c' are idle too long
		expect(await epochOf('a')).not.toBe(a);
		const tasks = (store as unknown as { tasks: Map<string, unknown> }).tasks;
		expect(tasks.has('listened')).toBe(true);
		expect(tasks.has('b')).toBe(false);
		listening.stop();
	});
});
