import type { RunEvent } from '../runtime/events';
import type { ActiveRun } from '../runtime/run-registry';
import { formatSseEvent, KEEP_ALIVE_MS, type SseEvent } from './sse';

/** How {@link runSseStream} makes a run's events into SSE. */
export interface RunSseOptions {
	/** The SSE event an event is sent as; undefined for one the format does not carry. */
	map: (event: RunEvent) => SseEvent | undefined;
	/** Sent once the run has ended (such as `[DONE]`). */
	last?: SseEvent;
	keepAliveMs?: number;
}

/**
 * A run's events from its first one as SSE bytes, in one stream: each event is encoded as the
 * run emits it (see `ActiveRun.listen`), with no stream of events piped through transforms on the
 * way, which cost a few promises for every delta. Like `sseStream`, a keep-alive comment goes out
 * every 15 s while idle. The run goes on when the reader goes away.
 */
export function runSseStream(run: ActiveRun, options: RunSseOptions): ReadableStream<Uint8Array> {
	const encoder = new TextEncoder();
	let stop: (() => void) | undefined;
	let timer: ReturnType<typeof setInterval> | undefined;
	let done = false;
	const end = () => {
		done = true;
		stop?.();
		clearInterval(timer);
	};
	return new ReadableStream<Uint8Array>({
		start(controller) {
			const send = (event: RunEvent) => {
				const sse = options.map(event);
				if (sse !== undefined) controller.enqueue(encoder.encode(formatSseEvent(sse)));
			};
			const finish = () => {
				if (done) return;
				end();
				if (options.last) controller.enqueue(encoder.encode(formatSseEvent(options.last)));
				controller.close();
			};
			for (const event of run.events) send(event);
			if (run.isEnded) return finish();
			stop = run.listen(send);
			void run.finished.then(finish);
			timer = setInterval(() => {
				try {
					controller.enqueue(encoder.encode(': keep-alive\n\n'));
				} catch {
					end();
				}
			}, options.keepAliveMs ?? KEEP_ALIVE_MS);
			// A run in progress keeps the process busy anyway; the timer alone must not.
			timer.unref?.();
		},
		cancel: end
	});
}
