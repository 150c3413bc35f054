// Figure 2: text deltas per second within sequential long-answer streams, zero token delay, on
// Parley and on the baseline.
import { baselineRow, loopDelayRows, noiseRow } from './baseline-rows.mjs';
import { alternateChats } from './alternate.mjs';
import { LONG_PROMPT } from './targets.mjs';
import { median, ratioOf, sum, yesNo } from './util.mjs';

/**
 * Figure 2 on Parley and the baseline (`targets`, by kind): `streams` long answers from each, one
 * at a time, in turn (see {@link alternateChats}). Returns each kind's figures.
 */
export async function figure2(targets, prefix, { streams, ticks }) {
	const runs = await alternateChats(targets, { prefix, count: streams, prompt: LONG_PROMPT, ticks });
	const out = {};
	for (const [kind, { samples, cpu, loopDelay }] of Object.entries(runs)) {
		const answered = samples.filter(({ result }) => !result.error && result.textDeltas >= 2);
		const deltas = answered.map(({ result }) => result.textDeltas);
		const windows = answered.map(({ result }) => result.tLastText - result.tFirstText);
		const toLast = answered.map(({ result }) => result.tLastText - result.tStart);
		out[kind] = {
			streams,
			errors: samples.length - answered.length,
			cpu,
			loopDelay,
			/** The server's main-thread CPU from a stream's start to its end, median. */
			serverCpuMsPerStream: median(answered.map(({ cpuMs }) => cpuMs)),
			textDeltasPerStream: median(deltas),
			/** Deltas over the time from the first to the last text delta, summed over the streams. */
			deltasPerSecond: (sum(deltas) / sum(windows)) * 1000,
			/** Deltas over the time from the request's start to the last text delta. */
			deltasPerSecondFromStart: (sum(deltas) / sum(toLast)) * 1000,
			medianStreamMs: median(toLast)
		};
	}
	return out;
}

/** Figure 2's rows for one run: Parley's values `p` beside the baseline's `b`. */
export function figure2Rows(p, b, tag) {
	const row = baselineRow(tag);
	const ratio = ratioOf(p.deltasPerSecond, b.deltasPerSecond);
	const cpuRatio = ratioOf(p.serverCpuMsPerStream, b.serverCpuMsPerStream);
	return [
		row('text deltas/s, first→last delta', p.deltasPerSecond, b.deltasPerSecond, 0, '≥ 0.80× baseline', yesNo(ratio >= 0.8)),
		row('text deltas/s, request start→last delta', p.deltasPerSecondFromStart, b.deltasPerSecondFromStart, 0, '—', '—'),
		row('text deltas per stream', p.textDeltasPerStream, b.textDeltasPerStream, 0, '—', '—', { ratio: false }),
		row('server CPU per stream (ms)', p.serverCpuMsPerStream, b.serverCpuMsPerStream, 1, '≤ 1.10× baseline', yesNo(cpuRatio <= 1.1)),
		...loopDelayRows(row, p, b),
		noiseRow(row, p, b)
	];
}
