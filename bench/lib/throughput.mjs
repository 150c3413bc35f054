// Figure 2: text deltas per second within sequential long-answer streams, zero token delay, on
// Parley and on the baseline.
import { baselineRow, noiseRow } from './baseline-rows.mjs';
import { chatBody, streamChat, taskId } from './client.mjs';
import { LONG_PROMPT } from './targets.mjs';
import { median, ratioOf, startNoiseMeter, sum, yesNo } from './util.mjs';

/** Figure 2 on one target: `streams` sequential long answers. */
export async function figure2(target, prefix, { streams, ticks }) {
	const headers = await target.headersFor(streams);
	const deltas = [];
	const windows = [];
	const toLast = [];
	let errors = 0;
	const noise = startNoiseMeter(target.server.pid, ticks);
	for (let index = 0; index < streams; index++) {
		const result = await streamChat({
			url: target.url,
			headers: headers[index],
			body: chatBody(taskId(prefix, index), LONG_PROMPT),
			agent: target.agent
		});
		if (result.error || result.textDeltas < 2) {
			errors++;
			continue;
		}
		deltas.push(result.textDeltas);
		windows.push(result.tLastText - result.tFirstText);
		toLast.push(result.tLastText - result.tStart);
	}
	return {
		streams: streams,
		errors,
		cpu: noise.stop(),
		textDeltasPerStream: median(deltas),
		/** Deltas over the time from the first to the last text delta, summed over the streams. */
		deltasPerSecond: (sum(deltas) / sum(windows)) * 1000,
		/** Deltas over the time from the request's start to the last text delta. */
		deltasPerSecondFromStart: (sum(deltas) / sum(toLast)) * 1000,
		medianStreamMs: median(toLast)
	};
}

/** Figure 2's rows for one run: Parley's values `p` beside the baseline's `b`. */
export function figure2Rows(p, b, tag) {
	const row = baselineRow(tag);
	const ratio = ratioOf(p.deltasPerSecond, b.deltasPerSecond);
	return [
		row('text deltas/s, first→last delta', p.deltasPerSecond, b.deltasPerSecond, 0, '≥ 0.80× baseline', yesNo(ratio >= 0.8)),
		row('text deltas/s, request start→last delta', p.deltasPerSecondFromStart, b.deltasPerSecondFromStart, 0, '—', '—'),
		row('text deltas per stream', p.textDeltasPerStream, b.textDeltasPerStream, 0, '—', '—', { ratio: false }),
		noiseRow(row, p, b)
	];
}
