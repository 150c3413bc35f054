import type { FeedStore } from '../../src/lib/server/live/task-feed';

/**
 * A feed store that tells when its subscribers have started listening, so that a test appends
 * events exactly after that (they then come live, not from the kept ones) without waiting blindly.
 */
export function announceListening(store: FeedStore): { store: FeedStore; listening(count?: number): Promise<void> } {
	let started = 0;
	const waiters: { count: number; resolve: () => void }[] = [];
	return {
		store: {
			append: (taskId, event) => store.append(taskId, event),
			follows: (taskId) => store.follows(taskId),
			cursor: (taskId) => store.cursor(taskId),
			close: () => store.close(),
			drop: (taskId) => store.drop(taskId),
			async listen(taskId, listener, options) {
				const listening = await store.listen(taskId, listener, options);
				started += 1;
				for (const waiter of waiters.filter((candidate) => candidate.count <= started)) waiter.resolve();
				return listening;
			}
		},
		listening: (count = 1) => (started >= count ? Promise.resolve() : new Promise<void>((resolve) => waiters.push({ count, resolve })))
	};
}
