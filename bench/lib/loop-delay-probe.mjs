// Loaded into a bench server with `node --import <this file>` (figures 1–4, both servers): measures
// the main thread's event-loop delay with `monitorEventLoopDelay`. On SIGUSR2 it writes what it
// measured since the previous signal to the file named by BENCH_LOOP_DELAY_FILE and starts afresh.
// It prints nothing and touches nothing else: an unref'd timer and the one signal handler.
import { renameSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { isMainThread } from 'node:worker_threads';

/** How often the histogram's timer is due (ms): the resolution of the delays it sees. */
const RESOLUTION_MS = 10;
const file = process.env.BENCH_LOOP_DELAY_FILE;

/** A recorded interval (ns) as a delay in ms: the histogram holds the time between timer callbacks. */
const delayMs = (ns) => Math.max(0, ns / 1e6 - RESOLUTION_MS);

/** The histogram's delays since its last reset: p50, p99, max and mean in ms, and the samples. */
function summary(histogram) {
	if (histogram.count === 0) return { p50: null, p99: null, max: null, mean: null, count: 0, resolutionMs: RESOLUTION_MS };
	return {
		p50: delayMs(histogram.percentile(50)),
		p99: delayMs(histogram.percentile(99)),
		max: delayMs(histogram.max),
		mean: delayMs(histogram.mean),
		count: histogram.count,
		resolutionMs: RESOLUTION_MS
	};
}

/** Writes the summary to the file in one step (a temporary file renamed), then resets the histogram. */
function dump(histogram) {
	try {
		writeFileSync(`${file}.tmp`, JSON.stringify(summary(histogram)));
		renameSync(`${file}.tmp`, file);
	} catch {
		// The bench reads nothing and prints n/a; the server goes on as if the probe were not there.
	}
	histogram.reset();
}

// Worker threads started from a file (Parley's PDF reader) run `--import` too; only the main thread is watched.
if (isMainThread && file) {
	const histogram = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
	histogram.enable();
	process.on('SIGUSR2', () => dump(histogram));
}
