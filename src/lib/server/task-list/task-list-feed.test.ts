import { afterAll, describe, expect, it } from 'vitest';
import { startRedis, type TestRedis } from '../../../../tests/support/redis';
import { TaskListFeed } from './task-list-feed';

const redis: TestRedis = await startRedis();
if ('reason' in redis) console.log(`Skipping the Redis task-list feed test: ${redis.reason}.`);

afterAll(async () => {
	if ('stop' in redis) await redis.stop();
});

describe('TaskListFeed in memory', () => {
	it('hands each user only their own events, in order', async () => {
		const feed = new TaskListFeed({ maxReadersPerUser: 5 });
		const alice = await feed.subscribe('alice');
		const bob = await feed.subscribe('bob');
		await feed.publish('alice', { type: 'task-deleted', id: 'a1' });
		await feed.publish('bob', { type: 'task-deleted', id: 'b1' });
		await feed.publish('alice', { type: 'task-deleted', id: 'a2' });
		expect((await alice.next()).value).toStrictEqual({ type: 'task-deleted', id: 'a1' });
		expect((await alice.next()).value).toStrictEqual({ type: 'task-deleted', id: 'a2' });
		expect((await bob.next()).value).toStrictEqual({ type: 'task-deleted', id: 'b1' });
		await feed.close();
	});

	it('has listeners only while a reader is open, and none once closed', async () => {
		const feed = new TaskListFeed({ maxReadersPerUser: 5 });
		expect(feed.hasListeners()).toBe(false);
		const controller = new AbortController();
		await feed.subscribe('alice', controller.signal);
		expect(feed.hasListeners()).toBe(true);
		controller.abort();
		expect(feed.hasListeners()).toBe(false);
		await feed.subscribe('bob');
		await feed.close();
		expect(feed.hasListeners()).toBe(false);
	});

	it('always has listeners with Redis: they may be in another process', () => {
		const feed = new TaskListFeed({ maxReadersPerUser: 5, redisUrl: 'redis://127.0.0.1:1' });
		expect(feed.hasListeners()).toBe(true);
	});
});

describe.skipIf(!redis.url)('TaskListFeed over Redis', () => {
	it('carries a user’s events from one server process to the readers of another', async () => {
		// Two feeds on one Redis, as two server processes have.
		const first = new TaskListFeed({ maxReadersPerUser: 5, redisUrl: redis.url ?? '' });
		const second = new TaskListFeed({ maxReadersPerUser: 5, redisUrl: redis.url ?? '' });
		try {
			const reader = await first.subscribe('carol');
			const other = await first.subscribe('dave');
			await second.publish('carol', { type: 'task-deleted', id: 'c1' });
			await second.publish('dave', { type: 'task-deleted', id: 'd1' });
			expect((await reader.next()).value).toStrictEqual({ type: 'task-deleted', id: 'c1' });
			expect((await other.next()).value).toStrictEqual({ type: 'task-deleted', id: 'd1' });
		} finally {
			await first.close();
			await second.close();
		}
	});
});
