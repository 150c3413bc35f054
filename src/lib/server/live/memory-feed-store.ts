import { formatEventId, newEpoch } from './event-id';
import { FeedClosedError, type FeedListener, type FeedSnapshot, type FeedStore } from './task-feed';
import type { FeedEntry, TaskEvent } from './task-event';

/** How much a {@link MemoryFeedStore} keeps. */
export interface MemoryFeedLimits {
	/** Events kept per task for subscribers that reconnect. */
	maxEntries: number;
	/** Tasks whose feed is kept while nobody listens; the least recently used go first. */
	maxTasks: number;
	/** How long the feed of a task nobody listens to is kept after its last use. */
	idleMs: number;
}

interface TaskState {
	epoch: string;
	seq: number;
	entries: FeedEntry[];
	listeners: Set<FeedListener>;
	usedAt: number;
}

const defaults: MemoryFeedLimits = { maxEntries: 2000, maxTasks: 1000, idleMs: 60 * 60 * 1000 };

/**
 * The feed of tasks in this process's memory: enough for one server process. Each task keeps its
 * newest events (bounded); the feeds of tasks nobody listens to are dropped when idle or too many.
 */
export class MemoryFeedStore implements FeedStore {
	private readonly tasks = new Map<string, TaskState>();
	private readonly limits: MemoryFeedLimits;
	private closed = false;

	constructor(
		limits: Partial<MemoryFeedLimits> = {},
		private readonly now: () => number = Date.now
	) {
		this.limits = { ...defaults, ...limits };
	}

	/** The task's state, made when missing; marked as the most recently used. */
	private use(taskId: string): TaskState {
		const found = this.tasks.get(taskId);
		const state = found ?? { epoch: newEpoch(), seq: 0, entries: [], listeners: new Set<FeedListener>(), usedAt: 0 };
		state.usedAt = this.now();
		// Map order is use order: re-inserting moves the task to the end.
		this.tasks.delete(taskId);
		this.tasks.set(taskId, state);
		if (!found) this.prune();
		return state;
	}

	/** Drops the feeds nobody listens to that have been idle too long, or that exceed the limit. */
	private prune(): void {
		const expired = this.now() - this.limits.idleMs;
		let excess = this.tasks.size - this.limits.maxTasks;
		for (const [taskId, state] of this.tasks) {
			if (state.usedAt > expired && excess <= 0) break;
			if (state.listeners.size > 0) continue;
			this.tasks.delete(taskId);
			excess--;
		}
	}

	async append(taskId: string, event: TaskEvent): Promise<string> {
		if (this.closed) throw new FeedClosedError();
		const state = this.use(taskId);
		state.seq += 1;
		const entry = { id: formatEventId(state.epoch, state.seq), event };
		state.entries.push(entry);
		if (state.entries.length > this.limits.maxEntries) state.entries.shift();
		for (const listener of state.listeners) listener.next(entry);
		return entry.id;
	}

	follows(taskId: string): boolean {
		return this.tasks.has(taskId);
	}

	async cursor(taskId: string): Promise<string> {
		const state = this.use(taskId);
		return formatEventId(state.epoch, state.seq);
	}

	async listen(taskId: string, listener: FeedListener, options: { snapshot?: boolean } = {}) {
		if (this.closed) throw new FeedClosedError();
		const state = this.use(taskId);
		const snapshot: FeedSnapshot =
			options.snapshot === false
				? { epoch: null, seq: 0, entries: [] }
				: { epoch: state.epoch, seq: state.seq, entries: [...state.entries] };
		state.listeners.add(listener);
		return {
			snapshot,
			stop: () => {
				state.listeners.delete(listener);
				state.usedAt = this.now();
			}
		};
	}

	async drop(taskId: string): Promise<void> {
		const state = this.tasks.get(taskId);
		if (!state) return;
		this.tasks.delete(taskId);
		for (const listener of [...state.listeners]) listener.deleted();
		state.listeners.clear();
	}

	async close(): Promise<void> {
		this.closed = true;
		for (const state of this.tasks.values()) {
			for (const listener of state.listeners) listener.close();
			state.listeners.clear();
		}
	}
}
