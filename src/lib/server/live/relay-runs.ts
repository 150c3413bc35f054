import type { Db } from '../db';
import { toUIMessageChunk } from '../protocols/ui-message/to-ui-message-chunk';
import type { RunEvent } from '../runtime/events';
import type { ActiveRun, RunRegistry } from '../runtime/run-registry';
import { messageOrder, messagesWithIds, toLiveMessages } from './stored-messages';
import type { FeedStore } from './task-feed';
import type { TaskEvent } from './task-event';

/** Where a relay appends; a promise when the store is still connecting. */
type FeedTarget = Pick<FeedStore, 'append' | 'follows'>;
type FeedSource = FeedTarget | (() => Promise<FeedTarget>);

/**
 * The messages a run has just stored, as one event: its answer and the questions just before it
 * (usually one; a caller may store several at once), with the task's message order.
 */
async function startMessages(db: Db, run: ActiveRun): Promise<TaskEvent> {
	const order = await messageOrder(db, run.taskId);
	const answerAt = order.findIndex((message) => message.id === run.messageId);
	let from = answerAt;
	while (from > 0 && order[from - 1].role !== 'assistant') from--;
	const changed = answerAt < 0 ? [] : order.slice(from, answerAt + 1).map((message) => message.id);
	const rows = await messagesWithIds(db, changed);
	return { type: 'messages', messages: await toLiveMessages(db, run.taskId, rows), order: order.map((message) => message.id) };
}

/**
 * Tells a task's viewers about one run: once its writes are stored (`run-start`), the messages it
 * stored; then every event as an AI SDK UI message chunk; once it has ended and stored its answer,
 * that answer and `run-end`. A run that never started tells nothing. While the feed keeps nothing
 * of the task (nobody follows it, {@link FeedStore.follows}), nothing is read or appended: a viewer
 * who comes later reads the stored messages and follows from then. Failures to tell are logged;
 * they never touch the run.
 */
export async function relayRun(run: ActiveRun, db: Db, source: FeedSource): Promise<void> {
	let failed = false;
	const report = (error: unknown) => {
		// Once per run: a feed that is down would otherwise log every chunk.
		if (!failed) console.error(`[parley] could not tell the viewers of task ${run.taskId} about its run`, error);
		failed = true;
	};
	let feed: FeedTarget | undefined;
	let sent: Promise<unknown> = Promise.resolve();
	// Appends are not awaited one by one: the store numbers them in the order they are made (one
	// Redis connection keeps that order), and a remote Redis's round trips do not hold the relay up.
	const send = (event: TaskEvent) => {
		if (feed) sent = feed.append(run.taskId, event).catch(report);
	};
	const followed = () => feed !== undefined && feed.follows(run.taskId);
	const relay = (event: RunEvent) => {
		if (!followed()) return;
		const chunk = toUIMessageChunk(event);
		if (chunk) send({ type: 'chunk', messageId: run.messageId, chunk });
	};
	let started = false;
	/** Events that came while the start was being read; relayed after it, in order. */
	let waiting: RunEvent[] | null = null;
	let starting: Promise<void> = Promise.resolve();
	// Called as each event is emitted: no stream and no promise per chunk.
	const stop = run.listen((event) => {
		if (waiting) waiting.push(event);
		else if (started) relay(event);
		else if (event.type === 'run-start') {
			waiting = [event];
			starting = (async () => {
				try {
					feed = typeof source === 'function' ? await source() : source;
					if (followed()) send(await startMessages(db, run));
					started = true;
				} catch (error) {
					report(error);
				}
				const queued = waiting ?? [];
				waiting = null;
				if (started) for (const queuedEvent of queued) relay(queuedEvent);
			})();
		}
	});
	await run.finished;
	stop();
	await starting;
	if (started && followed()) {
		// The run ends once its answer is stored: this reads the answer as it will stay.
		try {
			const [order, [answer]] = await Promise.all([messageOrder(db, run.taskId), messagesWithIds(db, [run.messageId])]);
			if (answer) {
				const messages = await toLiveMessages(db, run.taskId, [answer]);
				send({ type: 'messages', messages, order: order.map((message) => message.id) });
			}
			send({ type: 'run-end', messageId: run.messageId, status: answer?.status ?? 'interrupted' });
		} catch (error) {
			report(error);
		}
	}
	await sent;
}

/**
 * Relays every run registered from now on (whichever face started it). `stop` stops relaying new
 * runs; `settled` waits for the relays in progress, once their runs have ended.
 */
export function relayRuns(registry: RunRegistry, db: Db, source: FeedSource) {
	const inProgress = new Set<Promise<void>>();
	const stop = registry.observe((run) => {
		const relay = relayRun(run, db, source)
			.catch((error) => console.error(`[parley] the live relay of task ${run.taskId} failed`, error))
			.finally(() => inProgress.delete(relay));
		inProgress.add(relay);
	});
	return {
		stop,
		settled: async () => {
			await Promise.allSettled([...inProgress]);
		}
	};
}
