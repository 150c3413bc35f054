// Figure 2: text deltas per second within sequential long-answer streams, zero token delay, on
// Parley and on the baseline.
import { baselineRow, loopDelayRows, noiseRow } from './baseline-rows.mjs';
import { chatBody, streamChat, taskId } from './client.mjs';
import { loopDelaySnapshot } from './servers.mjs';
import { LONG_PROMPT } from './targets.mjs';
import { mainThreadCpuMs, median, ratioOf, startNoiseMeter, sum, yesNo } from './util.mjs';

/** Figure 2 on one target: `streams` sequential long answers. */
export async function figure2(target, prefix, { streams, ticks }) {
	const headers = await target.headersFor(streams);
	const deltas = [];
	const windows = [];
	const toLast = [];
	const serverCpu = [];
	let errors = 0;
	const pid = target.server.pid;
	await loopDelaySnapshot(target.server); // a fresh start for the probe
	const noise = startNoiseMeter(pid, ticks);
	for (let index = 0; index < streams; index++) {
		const cpu0 = mainThreadCpuMs(pid);
		const result = await streamChat({
			url: target.url,
			headers: headers[index],
			body: chatBody(taskId(prefix, index), LONG_PROMPT),
			agent: target.agent
		});
		const cpuMs = mainThreadCpuMs(pid) - cpu0;
		if (result.error || result.textDeltas < 2) {
			errors++;
			continue;
		}
		deltas.push(result.textDeltas);
		windows.push(result.tLastText - result.tFirstText);
		toLast.push(result.tLastText - result.tStart);
		serverCpu.push(cpuMs);
	}
	const cpu = noise.stop();
	const loopDelay = await loopDelaySnapshot(target.server);
	return {
		streams: streams,
		errors,
		cpu,
		loopDelay,
		/** The server's main-thread CPU from a stream's start to its end, median. */
		serverCpuMsPerStream: median(serverCpu),
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
