import { getConfig } from '../config';
import type { Db } from '../db';
import { runRegistry, type RunRegistry } from '../runtime/run-registry';
import { MemoryFeedStore } from './memory-feed-store';
import { connectRedisFeedStore } from './redis-feed-store';
import { relayRuns } from './relay-runs';
import { subscribeFeed, type FeedStore } from './task-feed';
import type { FeedEntry } from './task-event';

let store: Promise<FeedStore> | undefined;
let relay: ReturnType<typeof relayRuns> | undefined;

/** The process's feed of task events: in Redis when `REDIS_URL` is set, else in memory. */
export function getFeedStore(): Promise<FeedStore> {
	if (!store) {
		const url = getConfig().REDIS_URL;
		const connecting: Promise<FeedStore> = url ? connectRedisFeedStore(url) : Promise.resolve(new MemoryFeedStore());
		store = connecting;
		// A failed connection is tried again by the next caller.
		connecting.catch(() => {
			if (store === connecting) store = undefined;
		});
	}
	return store;
}

/** Starts telling the viewers of tasks about every run of this process. Call once, at start-up. */
export function startLiveTasks(db: Db, registry: RunRegistry = runRegistry): void {
	relay ??= relayRuns(registry, db, getFeedStore);
}

/**
 * The id of a task's newest event, to follow the task from after reading its messages; null when
 * the feed cannot be reached (the page then follows the task from when it subscribes).
 */
export async function liveCursor(taskId: string): Promise<string | null> {
	try {
		return await (await getFeedStore()).cursor(taskId);
	} catch (error) {
		console.error('[parley] could not read the live feed', error);
		return null;
	}
}

/**
 * A task's events for one subscriber (see {@link subscribeFeed}, with its `afterListen` check);
 * the feed is connected before this resolves, so a feed that cannot be reached fails here rather
 * than mid-stream.
 */
export async function subscribeTask(
	taskId: string,
	lastEventId: string | null,
	signal?: AbortSignal,
	afterListen?: () => Promise<void>
): Promise<AsyncGenerator<FeedEntry, void, undefined>> {
	return subscribeFeed(await getFeedStore(), taskId, lastEventId, signal, afterListen);
}

/**
 * Ends everything that follows a deleted task, in this process and (with Redis) every other:
 * its live subscriptions fail as deleted, and the chat sockets bound to it close. Its kept events
 * are forgotten. Resolves once that is ordered before anything appended to the id afterwards.
 */
export async function endDeletedTask(taskId: string): Promise<void> {
	await (await getFeedStore()).drop(taskId);
}

/**
 * Calls `onDeleted` once when the task is deleted (by {@link endDeletedTask}, in any process).
 * Resolves, once listening, to a function that stops watching.
 */
export async function watchTaskDeletion(taskId: string, onDeleted: () => void): Promise<() => void> {
	let done = false;
	const listening = await (
		await getFeedStore()
	).listen(
		taskId,
		{
			next() {},
			close() {},
			deleted() {
				if (done) return;
				done = true;
				onDeleted();
			}
		},
		{ snapshot: false }
	);
	return () => {
		done = true;
		listening.stop();
	};
}

/**
 * Ends live tasks in this process, once its runs are stopped: the last events of those runs are
 * sent, then every subscription ends (its client reconnects, to another process if there is one)
 * and Redis is let go.
 */
export async function closeLiveTasks(): Promise<void> {
	const current = relay;
	relay = undefined;
	current?.stop();
	await current?.settled();
	const connection = store;
	store = undefined;
	await (await connection?.catch(() => undefined))?.close();
}
