// Figure 1: request start → first text-delta chunk, sequential requests, zero token delay, on
// Parley and on the baseline; each server's `GET /health` beside it as the floor of a request.
import http from 'node:http';
import { baselineRow, loopDelayRows, noiseRow } from './baseline-rows.mjs';
import { alternateChats } from './alternate.mjs';
import { SHORT_PROMPT } from './targets.mjs';
import { fmt, median, percentile, yesNo } from './util.mjs';

/** Figure 1's budget: Parley's first text-delta median at most this much after the baseline's (ms). */
const ADDED_BUDGET_MS = 3;

/**
 * Figure 1 on Parley and the baseline (`targets`, by kind): `requests` short requests to each, one
 * at a time, in turn (see {@link alternateChats}). Returns each kind's figures.
 */
export async function figure1(targets, prefix, { requests, ticks }) {
	const runs = await alternateChats(targets, { prefix, count: requests, prompt: SHORT_PROMPT, ticks });
	const out = {};
	for (const [kind, { samples, cpu, loopDelay }] of Object.entries(runs)) {
		const answered = samples.filter(({ result }) => !result.error && Number.isFinite(result.tFirstText));
		const firstText = answered.map(({ result }) => result.tFirstText - result.tStart);
		out[kind] = {
			requests,
			errors: samples.length - answered.length,
			cpu,
			loopDelay,
			/** The server's main-thread CPU from a request's start to the end of its stream, median. */
			serverCpuMsPerRequest: median(answered.map(({ cpuMs }) => cpuMs)),
			firstTextMedianMs: median(firstText),
			firstTextP90Ms: percentile(firstText, 90),
			firstByteMedianMs: median(answered.map(({ result }) => result.tFirstByte - result.tStart)),
			healthMedianMs: median(await timeHealth(targets[kind], 30)),
			firstTextMs: firstText.map((value) => Math.round(value * 100) / 100)
		};
	}
	return out;
}

/** Times `count` sequential `GET /health` requests: each server's floor for a plain request. */
async function timeHealth(target, count) {
	const times = [];
	for (let index = 0; index < count; index++) {
		const started = performance.now();
		await new Promise((resolveGet) => {
			const request = http.get(`${target.server.baseURL}/health`, { agent: target.agent }, (response) => {
				response.resume();
				response.on('end', resolveGet);
				response.on('error', resolveGet);
			});
			request.on('error', resolveGet);
		});
		times.push(performance.now() - started);
	}
	return times;
}

/** Figure 1's rows for one run: Parley's values `p` beside the baseline's `b`. */
export function figure1Rows(p, b, tag) {
	const row = baselineRow(tag);
	const added = p.firstTextMedianMs - b.firstTextMedianMs;
	return [
		row(
			'first text-delta, median (ms)',
			p.firstTextMedianMs,
			b.firstTextMedianMs,
			2,
			`Parley adds ≤ ${ADDED_BUDGET_MS} ms`,
			`${yesNo(added <= ADDED_BUDGET_MS)} (${added >= 0 ? '+' : ''}${fmt(added, 2)} ms)`
		),
		row('first text-delta, p90 (ms)', p.firstTextP90Ms, b.firstTextP90Ms, 2, '—', '—'),
		row('first byte, median (ms)', p.firstByteMedianMs, b.firstByteMedianMs, 2, '—', '—'),
		row('GET /health, median (ms)', p.healthMedianMs, b.healthMedianMs, 2, '—', '—'),
		row('server CPU per request (ms)', p.serverCpuMsPerRequest, b.serverCpuMsPerRequest, 2, '—', '—'),
		...loopDelayRows(row, p, b),
		row('failed requests', p.errors, b.errors, 0, '0', yesNo(p.errors === 0), { ratio: false }),
		noiseRow(row, p, b)
	];
}
