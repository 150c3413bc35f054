/** The longest delay a Node timer keeps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** What a {@link StreamSaver} needs. */
export interface StreamSaverOptions {
	/** Writes what the answer holds now; called at most once at a time. */
	save: () => Promise<void>;
	/** The least time between two timed saves, in milliseconds. */
	intervalMs: number;
	/** Told about a timed save that failed; the next one tries again. */
	onError?: (error: unknown) => void;
	/** When the first tick comes, in milliseconds; a random part of the interval by default. */
	offsetMs?: number;
}

/**
 * Keeps the stored form of an answer close to what has streamed, so that a process that dies
 * mid-answer (a crash, a kill) loses at most the last interval of it.
 *
 * The token path only calls {@link StreamSaver.touch}, which sets a flag. A timer saves, at most
 * once per interval and only when something changed since the last save; a tick that finds a save
 * still running skips, so saves never overlap. {@link StreamSaver.saveNow} (a step's end) saves
 * after the one in progress, and {@link StreamSaver.stop} waits for it: a write made after `stop`
 * resolves, such as the answer's final form, is never overwritten by an older snapshot.
 */
export class StreamSaver {
	private timer: ReturnType<typeof setTimeout> | undefined;
	private changed = false;
	private stopped = false;
	private saving: Promise<unknown> | null = null;

	constructor(private readonly options: StreamSaverOptions) {}

	/**
	 * Starts the timed saves. The first tick comes at a random point of the first interval, so
	 * that answers started together (a burst of requests) do not all save at the same moment and
	 * hold up every stream at once.
	 */
	start(): void {
		if (this.timer || this.stopped) return;
		// Node runs a longer timer after 1 ms: clamp to the longest it keeps (about 24.8 days).
		const interval = Math.min(this.options.intervalMs, MAX_TIMER_MS);
		const offset = Math.min(this.options.offsetMs ?? Math.random() * interval, interval);
		this.timer = setTimeout(() => {
			if (this.stopped) return;
			this.tick();
			this.timer = setInterval(() => this.tick(), interval);
			this.timer.unref?.();
		}, offset);
		// A run in progress keeps the process busy anyway; the timer alone must not.
		this.timer.unref?.();
	}

	/** Notes that the answer changed since the last save (cheap: called for every token). */
	touch(): void {
		this.changed = true;
	}

	/** Saves now, after any save in progress; a failure is the caller's. */
	async saveNow(): Promise<void> {
		await this.settled();
		if (this.stopped) return;
		await this.run();
	}

	/** Stops the timed saves and waits for the one in progress, if any. */
	async stop(): Promise<void> {
		this.stopped = true;
		// One of a timeout (before the first tick) or an interval; Node's clearTimeout clears both.
		clearTimeout(this.timer);
		this.timer = undefined;
		await this.settled();
	}

	private tick(): void {
		if (!this.changed || this.saving || this.stopped) return;
		this.run().catch((error: unknown) => this.options.onError?.(error));
	}

	/** One save; what changes while it runs is left for the next one. */
	private run(): Promise<void> {
		this.changed = false;
		const saving = this.options.save().finally(() => {
			if (this.saving === saving) this.saving = null;
		});
		this.saving = saving;
		return saving;
	}

	/** Resolves once no save is running (whether the last one failed or not). */
	private async settled(): Promise<void> {
		while (this.saving) await this.saving.catch(() => {});
	}
}
