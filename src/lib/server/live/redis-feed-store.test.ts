import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { announceListening } from '../../../../tests/support/live-feed';
import { startRedis, type TestRedis } from '../../../../tests/support/redis';
import { parseEventId } from './event-id';
import { connectRedisFeedStore, type RedisFeedStore } from './redis-feed-store';
import { FeedClosedError, subscribeFeed, TaskDeletedError } from './task-feed';
import type { FeedEntry, TaskEvent } from './task-event';

const redis: TestRedis = await startRedis();
if ('reason' in redis) console.log(`Skipping the Redis feed tests: ${redis.reason}.`);

const chunk = (delta: string): TaskEvent => ({ type: 'chunk', messageId: 'answer', chunk: { type: 'text-delta', id: 't', delta } });
const deltaOf = (entry: FeedEntry) =>
	entry.event.type === 'chunk' && entry.event.chunk.type === 'text-delta' ? entry.event.chunk.delta : entry.event.type;

async function take(entries: AsyncGenerator<FeedEntry, void, undefined>, count: number): Promise<FeedEntry[]> {
	const read: FeedEntry[] = [];
	for await (const entry of entries) {
		read.push(entry);
		if (read.length === count) break;
	}
	return read;
}

describe.skipIf(!redis.url)('RedisFeedStore', () => {
	/** Two stores on one Redis, as two server processes have. */
	let first: RedisFeedStore;
	let second: RedisFeedStore;

	beforeAll(async () => {
		first = await connectRedisFeedStore(redis.url ?? '');
		second = await connectRedisFeedStore(redis.url ?? '', { maxEntries: 3 });
	});

	afterAll(async () => {
		await first?.close();
		await second?.close();
		if ('stop' in redis) await redis.stop();
	});

	const taskId = () => `task_${crypto.randomUUID().slice(0, 8)}`;

	it('numbers the events of a task in one sequence, whichever process appends them', async () => {
		const task = taskId();
		const ids = [await first.append(task, chunk('a')), await second.append(task, chunk('b')), await first.append(task, chunk('c'))].map(
			(id) => parseEventId(id)!
		);
		expect(new Set(ids.map((id) => id.epoch)).size).toBe(1);
		expect(ids.map((id) => id.seq)).toStrictEqual([1, 2, 3]);
		expect(await second.cursor(task)).toBe(`${ids[0].epoch}-3`);
	});

	it('delivers through pub/sub what another process appends, in order', async () => {
		const task = taskId();
		const { store, listening } = announceListening(first);
		const reading = take(subscribeFeed(store, task, null), 4);
		// Redis has acknowledged the subscription: what comes next comes by pub/sub.
		await listening();
		for (const delta of ['a', 'b', 'c', 'd']) await second.append(task, chunk(delta));
		expect((await reading).map(deltaOf)).toStrictEqual(['a', 'b', 'c', 'd']);
	});

	it('replays after lastEventId from another process, then goes on live without repeating', async () => {
		const task = taskId();
		const ids: string[] = [];
		for (const delta of ['a', 'b', 'c']) ids.push(await first.append(task, chunk(delta)));
		const { store, listening } = announceListening(second);
		const reading = take(subscribeFeed(store, task, ids[0]), 3);
		await listening();
		await first.append(task, chunk('d'));
		expect((await reading).map(deltaOf)).toStrictEqual(['b', 'c', 'd']);
	});

	it('keeps only the newest events, and resets a reader that missed dropped ones', async () => {
		const task = taskId();
		const ids: string[] = [];
		// The second store keeps three events per task.
		for (const delta of ['a', 'b', 'c', 'd', 'e']) ids.push(await second.append(task, chunk(delta)));
		const [reset] = await take(subscribeFeed(first, task, ids[0]), 1);
		expect(reset).toStrictEqual({ id: ids[4], event: { type: 'reset' } });
		expect((await take(subscribeFeed(first, task, ids[1]), 3)).map(deltaOf)).toStrictEqual(['c', 'd', 'e']);
	});

	it('starts a new epoch once Redis has forgotten a task, and resets readers of the old one', async () => {
		const task = taskId();
		const old = await first.append(task, chunk('a'));
		const admin = createClient({ url: redis.url ?? '' });
		await admin.connect();
		await admin.del([`parley:live:{${task}}:meta`, `parley:live:{${task}}:events`]);
		await admin.quit();
		const [reset] = await take(subscribeFeed(second, task, old), 1);
		expect(reset.event).toStrictEqual({ type: 'reset' });
		const fresh = parseEventId(await first.append(task, chunk('b')))!;
		expect(fresh.epoch).not.toBe(parseEventId(old)!.epoch);
		expect(parseEventId(reset.id)!.epoch).toBe(fresh.epoch);
		expect(fresh.seq).toBe(1);
	});

	it('ends the subscribers of a deleted task in every process, after its earlier events and before any later one', async () => {
		const task = taskId();
		const { store, listening } = announceListening(second);
		const read: string[] = [];
		const reading = (async () => {
			for await (const entry of subscribeFeed(store, task, null)) read.push(deltaOf(entry));
		})();
		const ended = expect(reading).rejects.toBeInstanceOf(TaskDeletedError);
		await listening();
		await first.append(task, chunk('a'));
		await first.drop(task);
		const reused = await first.append(task, chunk('b'));
		await ended;
		expect(read).toStrictEqual(['a']);
		// The deleted task's events are forgotten: what came after starts a new feed.
		expect(parseEventId(reused)!.seq).toBe(1);
	});

	it('ends its subscribers with FeedClosedError when it closes', async () => {
		const { store, listening } = announceListening(await connectRedisFeedStore(redis.url ?? ''));
		const next = subscribeFeed(store, taskId(), null).next();
		await listening();
		const failed = expect(next).rejects.toBeInstanceOf(FeedClosedError);
		await store.close();
		await failed;
	});
});
