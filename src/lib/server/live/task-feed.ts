import { formatEventId, parseEventId, type EventPosition } from './event-id';
import type { FeedEntry, TaskEvent } from './task-event';

/** What a feed holds for a task when a subscriber starts listening. */
export interface FeedSnapshot {
	/** The feed's epoch, or null when the task has no feed yet. */
	epoch: string | null;
	/** The number of the task's newest event (0 when none). */
	seq: number;
	/** The newest events, oldest first, as many as are kept. */
	entries: FeedEntry[];
}

/** Receives a task's new events as they are appended. */
export interface FeedListener {
	next(entry: FeedEntry): void;
	/** The feed is closing (the server stops): no more events will come. */
	close(): void;
	/**
	 * The task was deleted: no more of its events will come, and whoever follows it must stop.
	 * Comes after every event appended before the deletion, and before any appended after it.
	 */
	deleted(): void;
}

/**
 * Where the events of tasks are kept, numbered and handed to listeners: this process's memory,
 * or Redis shared by several processes. Ids grow with every event of a task.
 */
export interface FeedStore {
	/** Appends an event to a task's feed and hands it to every listener; resolves to its id. */
	append(taskId: string, event: TaskEvent): Promise<string>;
	/**
	 * Whether an event of the task appended now could reach anybody: someone listens, or a place to
	 * resume from was handed out. When not, nothing of the task is kept and its events may be left out.
	 */
	follows(taskId: string): boolean;
	/** The id of the task's newest event (its feed is started when it has none): a place to resume from. */
	cursor(taskId: string): Promise<string>;
	/**
	 * Starts handing the task's new events to `listener`, then resolves to what the feed holds
	 * (an empty snapshot with `{snapshot: false}`, for a listener that only waits for the deletion).
	 */
	listen(taskId: string, listener: FeedListener, options?: { snapshot?: boolean }): Promise<{ snapshot: FeedSnapshot; stop(): void }>;
	/**
	 * The task was deleted: tells every listener of it (in every process sharing the store) and
	 * forgets its events. Resolves once the deletion is ordered before any later append.
	 */
	drop(taskId: string): Promise<void>;
	/** Closes every listener and lets go of what the store holds open. */
	close(): Promise<void>;
}

/** The feed closed while a subscriber was reading it (the server stops). */
export class FeedClosedError extends Error {
	constructor() {
		super('The live feed closed.');
	}
}

/** The task a subscriber follows was deleted. */
export class TaskDeletedError extends Error {
	constructor(readonly taskId: string) {
		super(`The task "${taskId}" was deleted.`);
	}
}

/** What a subscriber resuming after an id gets first. */
export type ReplayPlan =
	/** These kept events, then live ones after `position`. */
	| { type: 'replay'; entries: FeedEntry[]; position: EventPosition | null }
	/** Some events after the id are no longer kept (or the id is from another life of the feed). */
	| { type: 'reset' };

/** Decides how a subscriber that last saw `lastEventId` (none for a new one) catches up. */
export function planReplay(snapshot: FeedSnapshot, lastEventId: string | null): ReplayPlan {
	const current = snapshot.epoch === null ? null : { epoch: snapshot.epoch, seq: snapshot.seq };
	if (!lastEventId) return { type: 'replay', entries: [], position: current };
	const asked = parseEventId(lastEventId);
	if (!asked || !current || asked.epoch !== current.epoch || asked.seq > current.seq) return { type: 'reset' };
	const missed = snapshot.entries.filter((entry) => (parseEventId(entry.id)?.seq ?? 0) > asked.seq);
	// Fewer kept than were sent since: the oldest of them are gone.
	if (missed.length < current.seq - asked.seq) return { type: 'reset' };
	return { type: 'replay', entries: missed, position: current };
}

/**
 * The events of a task for one subscriber: after `lastEventId` those it missed (or a `reset` when
 * they are no longer kept), then every new one, each once and in order. Ends when `signal` aborts;
 * throws {@link FeedClosedError} when the store closes and {@link TaskDeletedError} when the task
 * is deleted (nothing appended after the deletion is ever handed over). `afterListen` runs once
 * the subscriber listens, before anything is handed over: a check there (that the task still
 * exists) cannot miss a deletion, which either came before it or reaches the listener.
 */
export async function* subscribeFeed(
	store: FeedStore,
	taskId: string,
	lastEventId: string | null,
	signal?: AbortSignal,
	afterListen?: () => Promise<void>
): AsyncGenerator<FeedEntry, void, undefined> {
	/** Entries in the order they came; null marks the task's deletion, after which nothing is kept. */
	const pending: (FeedEntry | null)[] = [];
	let deleted = false;
	let closed = false;
	let wake: (() => void) | undefined;
	const notify = () => {
		const resolve = wake;
		wake = undefined;
		resolve?.();
	};
	signal?.addEventListener('abort', notify);
	const listening = await store.listen(taskId, {
		next(entry) {
			if (deleted) return;
			pending.push(entry);
			notify();
		},
		close() {
			closed = true;
			notify();
		},
		deleted() {
			if (deleted) return;
			deleted = true;
			pending.push(null);
			notify();
		}
	});
	try {
		await afterListen?.();
		const plan = planReplay(listening.snapshot, lastEventId);
		let last: EventPosition | null;
		if (plan.type === 'reset') {
			const { epoch, seq } = listening.snapshot;
			const id = epoch === null ? await store.cursor(taskId) : formatEventId(epoch, seq);
			last = parseEventId(id);
			yield { id, event: { type: 'reset' } };
		} else {
			last = plan.position;
			for (const entry of plan.entries) yield entry;
		}
		for (;;) {
			if (signal?.aborted) return;
			if (pending[0] === null) throw new TaskDeletedError(taskId);
			const entry = pending.shift();
			if (entry) {
				const position = parseEventId(entry.id);
				// Already sent: it came in while the kept events were read.
				if (last && position && position.epoch === last.epoch && position.seq <= last.seq) continue;
				last = position ?? last;
				yield entry;
				continue;
			}
			if (closed) throw new FeedClosedError();
			await new Promise<void>((resolve) => (wake = resolve));
		}
	} finally {
		signal?.removeEventListener('abort', notify);
		listening.stop();
	}
}
