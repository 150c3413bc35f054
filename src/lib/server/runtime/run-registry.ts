import type { RunEvent } from './events';

/**
 * One run in progress. It belongs to the server, not to a request: events are buffered so that
 * any number of subscribers (the request that started it, a reconnecting browser) can read it from
 * the start, and the run goes on when they leave unless it is stopped.
 */
export class ActiveRun {
	readonly events: RunEvent[] = [];
	readonly abortController = new AbortController();
	private readonly listeners = new Set<ReadableStreamDefaultController<RunEvent>>();
	private readonly callbacks = new Set<(event: RunEvent) => void>();
	private ended = false;
	private resolveFinished!: () => void;
	/** Settles once the run has ended and everything is stored. */
	readonly finished = new Promise<void>((resolve) => (this.resolveFinished = resolve));

	constructor(
		readonly taskId: string,
		readonly messageId: string
	) {}

	/** Whether the run is over. */
	get isEnded(): boolean {
		return this.ended;
	}

	/** Records an event and hands it to every subscriber. */
	emit(event: RunEvent): void {
		if (this.ended) return;
		this.events.push(event);
		for (const controller of this.listeners) controller.enqueue(event);
		for (const callback of this.callbacks) {
			try {
				callback(event);
			} catch (error) {
				console.error(`[parley] a listener of the run on task ${this.taskId} failed`, error);
			}
		}
	}

	/** Ends the run for every subscriber; called once everything is stored. */
	end(): void {
		if (this.ended) return;
		this.ended = true;
		for (const controller of this.listeners) controller.close();
		this.listeners.clear();
		this.callbacks.clear();
		this.resolveFinished();
	}

	/** Asks the run to stop; it ends as `interrupted` with what it has produced. */
	stop(reason = 'stopped'): void {
		this.abortController.abort(reason);
	}

	/**
	 * Calls `callback` with every event emitted from now on, as it is emitted, until the run ends
	 * or the returned function is called. Lighter than {@link subscribe} (no stream, no promise per
	 * event), for readers inside the process that keep up by themselves; a callback that throws is
	 * logged and never touches the run.
	 */
	listen(callback: (event: RunEvent) => void): () => void {
		if (this.ended) return () => {};
		this.callbacks.add(callback);
		return () => this.callbacks.delete(callback);
	}

	/**
	 * A stream of the run's events from its first one. `onCancel` runs when the reader goes away
	 * before the end (a closed tab, a dropped connection).
	 */
	subscribe(options: { onCancel?: () => void } = {}): ReadableStream<RunEvent> {
		let own: ReadableStreamDefaultController<RunEvent> | undefined;
		return new ReadableStream<RunEvent>({
			start: (controller) => {
				for (const event of this.events) controller.enqueue(event);
				if (this.ended) controller.close();
				else {
					own = controller;
					this.listeners.add(controller);
				}
			},
			cancel: () => {
				if (own) this.listeners.delete(own);
				options.onCancel?.();
			}
		});
	}
}

/** The runs in progress in this process, one per task at most. */
export class RunRegistry {
	private readonly runs = new Map<string, ActiveRun>();
	private readonly observers = new Set<(run: ActiveRun) => void>();

	/** The run in progress on a task, if any. */
	get(taskId: string): ActiveRun | undefined {
		return this.runs.get(taskId);
	}

	/** Registers a run; it leaves the registry by itself when it ends. */
	add(run: ActiveRun): void {
		this.runs.set(run.taskId, run);
		void run.finished.then(() => {
			if (this.runs.get(run.taskId) === run) this.runs.delete(run.taskId);
		});
		for (const observer of this.observers) observer(run);
	}

	/**
	 * Calls `observer` with every run registered from now on, whichever face started it, as soon
	 * as it is registered (before its first event). Returns a function that stops observing.
	 */
	observe(observer: (run: ActiveRun) => void): () => void {
		this.observers.add(observer);
		return () => this.observers.delete(observer);
	}

	/** Registers a run unless its task already has one; says whether it did. */
	tryAdd(run: ActiveRun): boolean {
		if (this.runs.has(run.taskId)) return false;
		this.add(run);
		return true;
	}

	/** Stops every run and waits until each has stored its partial answer. */
	async stopAll(reason = 'shutdown'): Promise<void> {
		const runs = [...this.runs.values()];
		for (const run of runs) run.stop(reason);
		await Promise.all(runs.map((run) => run.finished));
	}

	/** How many runs are in progress. */
	get size(): number {
		return this.runs.size;
	}
}

/** The process-wide registry. */
export const runRegistry = new RunRegistry();
