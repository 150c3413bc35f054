import type { RunEvent } from '../runtime/events';
import type { ActiveRun } from '../runtime/run-registry';
import { formatSseEvent, formatSseEvents, KEEP_ALIVE_MS, sseStream, type SseEvent, type SseEvents } from './sse';

/** How {@link runSseStream} makes a run's events into SSE. */
export interface RunSseOptions {
	/** The SSE events an event is sent as (none for one the format does not carry). */
	map: (event: RunEvent) => SseEvents;
	/** Sent once the run has ended (such as `[DONE]`). */
	last?: SseEvent;
	keepAliveMs?: number;
	/** Called when the reader goes away before the run ends (a closed connection); a run in this process only. */
	onCancel?: () => void;
}

/**
 * A run's events from its first one as SSE bytes, in one stream: each event is encoded as the
 * run emits it (see `ActiveRun.listen`), with no stream of events piped through transforms on the
 * way, which cost a few promises for every delta. The events emitted in one turn of the event
 * loop (a provider's network read often holds several deltas) go out as one chunk, at the end of
 * that turn. Like `sseStream`, a keep-alive comment goes out every 15 s while idle. The run goes
 * on when the reader goes away, unless `onCancel` stops it. Events that come as a stream instead
 * (a run in another process, or made up) go through {@link sseStream} with the same options.
 */
export function runSseStream(source: ActiveRun | ReadableStream<RunEvent>, options: RunSseOptions): ReadableStream<Uint8Array> {
	if (source instanceof ReadableStream) {
		return source.pipeThrough(sseStream<RunEvent>({ map: options.map, last: options.last, keepAliveMs: options.keepAliveMs }));
	}
	const run = source;
	const encoder = new TextEncoder();
	let stop: (() => void) | undefined;
	let timer: ReturnType<typeof setInterval> | undefined;
	let done = false;
	/** SSE text waiting for the end of this turn of the event loop. */
	let pending = '';
	let flushing: ReturnType<typeof setImmediate> | undefined;
	const end = () => {
		done = true;
		stop?.();
		clearInterval(timer);
		clearImmediate(flushing);
	};
	return new ReadableStream<Uint8Array>({
		start(controller) {
			const flush = () => {
				flushing = undefined;
				if (done || pending === '') return;
				controller.enqueue(encoder.encode(pending));
				pending = '';
			};
			const add = (event: RunEvent) => {
				pending += formatSseEvents(options.map(event));
			};
			const finish = () => {
				if (done) return;
				if (options.last) pending += formatSseEvent(options.last);
				flush();
				end();
				controller.close();
			};
			for (const event of run.events) add(event);
			flush();
			if (run.isEnded) return finish();
			stop = run.listen((event) => {
				add(event);
				flushing ??= setImmediate(flush);
			});
			void run.finished.then(finish);
			timer = setInterval(() => {
				pending += ': keep-alive\n\n';
				try {
					flush();
				} catch {
					end();
				}
			}, options.keepAliveMs ?? KEEP_ALIVE_MS);
			// A run in progress keeps the process busy anyway; the timer alone must not.
			timer.unref?.();
		},
		cancel: () => {
			if (done) return;
			end();
			options.onCancel?.();
		}
	});
}
