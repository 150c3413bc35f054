import type { Config } from '../config';
import { AppError } from '../errors';
import type { RunEvent } from '../runtime/events';
import type { ActiveRun } from '../runtime/run-registry';
import type { Viewer } from './viewer';

/**
 * The runs started over AG-UI, by the caller's `runId`, so that their owner can replay their
 * events (`GET /ag-ui/{agent}/runs/{runId}/events`) and cancel them. Nothing is copied: a run is
 * the runtime's {@link ActiveRun}, which keeps its events and goes on when readers leave; this
 * only names it, and keeps it a while after it ends (`AG_UI_REPLAY_SECONDS`, at most
 * `AG_UI_REPLAY_RUNS` ended runs). Runs are of this process only.
 */
export interface AgUiRun {
	runId: string;
	threadId: string;
	/** The agent's id, and its slug, either of which the path may name. */
	agent: { id: number; slug: string };
	/** Who started it: only they may replay or cancel it. */
	owner: string;
	/** The run, or null when nothing ran (answers were stored while other calls still wait). */
	run: ActiveRun | null;
	/** The events of a run that did not run (see `run`). */
	events: readonly RunEvent[];
	/** When it ended (ms), once it has. */
	endedAt?: number;
	/** Its place in the order runs ended in, once it has (ties of `endedAt` are common). */
	endedOrder?: number;
}

/** Kept runs, by owner and run id: callers choose run ids, so one caller's never clash with another's. */
const runs = new Map<string, AgUiRun>();

let endings = 0;

/** Marks a run ended, now. */
function markEnded(entry: AgUiRun): void {
	entry.endedAt = Date.now();
	entry.endedOrder = endings++;
}

const keyOf = (owner: string, runId: string) => `${owner}\n${runId}`;

/** Whose a run is: a user, or an anonymous caller by its id. */
export function ownerOf(viewer: Viewer): string {
	return viewer.kind === 'user' ? `user:${viewer.id}` : `anonymous:${viewer.anonymousId}`;
}

/** Drops ended runs kept longer than the settings allow. */
function prune(config: Pick<Config, 'AG_UI_REPLAY_SECONDS' | 'AG_UI_REPLAY_RUNS'>, now = Date.now()): void {
	const ended = [...runs.values()].filter((entry) => entry.endedAt !== undefined).sort((a, b) => a.endedOrder! - b.endedOrder!);
	const cutoff = now - config.AG_UI_REPLAY_SECONDS * 1000;
	let over = ended.length - config.AG_UI_REPLAY_RUNS;
	// The longest ended go first.
	for (const entry of ended) {
		if (entry.endedAt! < cutoff || over > 0) {
			runs.delete(keyOf(entry.owner, entry.runId));
			over--;
		}
	}
}

/** `conflict` on `runId` when a kept run of the same caller already has that id. */
export function assertRunIdFree(owner: string, runId: string, config: Pick<Config, 'AG_UI_REPLAY_SECONDS' | 'AG_UI_REPLAY_RUNS'>): void {
	prune(config);
	if (runs.has(keyOf(owner, runId)))
		throw new AppError('conflict', `A run "${runId}" exists already: send a new runId for each run.`, { field: 'runId' });
}

/** Names a run by its `runId` until a while after it ends. */
export function trackAgUiRun(entry: AgUiRun, config: Pick<Config, 'AG_UI_REPLAY_SECONDS' | 'AG_UI_REPLAY_RUNS'>): void {
	assertRunIdFree(entry.owner, entry.runId, config);
	runs.set(keyOf(entry.owner, entry.runId), entry);
	if (!entry.run) markEnded(entry);
	else
		void entry.run.finished.then(() => {
			markEnded(entry);
			prune(config);
		});
}

/**
 * The caller's run `runId` of the agent the path names (its slug or id); `not_found` on `runId`
 * for an unknown run, someone else's, or one of another agent.
 */
export function getOwnAgUiRun(
	viewer: Viewer,
	agent: string,
	runId: string,
	config: Pick<Config, 'AG_UI_REPLAY_SECONDS' | 'AG_UI_REPLAY_RUNS'>
): AgUiRun {
	prune(config);
	const entry = runs.get(keyOf(ownerOf(viewer), runId));
	if (!entry || (agent !== entry.agent.slug && agent !== String(entry.agent.id))) {
		throw new AppError('not_found', `No run "${runId}" was found.`, { field: 'runId' });
	}
	return entry;
}

/** The events of a run from its first: live until it ends when it is running. */
export function eventsOf(entry: AgUiRun): ReadableStream<RunEvent> {
	if (entry.run) return entry.run.subscribe();
	const events = entry.events;
	return new ReadableStream<RunEvent>({
		start(controller) {
			for (const event of events) controller.enqueue(event);
			controller.close();
		}
	});
}
