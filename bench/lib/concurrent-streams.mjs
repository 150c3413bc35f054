// Figures 3 and 4: many concurrent long-answer streams (200, then 500) at MOCK_TOKEN_DELAY_MS=20,
// on Parley and on the baseline: gaps between deltas, memory and CPU per stream, what completed.
import { setMaxListeners } from 'node:events';
import { createClient } from '@libsql/client';
import { baselineRow, loopDelayRows, noiseRow } from './baseline-rows.mjs';
import { chatBody, streamChat, taskId } from './client.mjs';
import { loopDelaySnapshot } from './servers.mjs';
import { LONG_PROMPT } from './targets.mjs';
import { fmt, idleRssKiB, maxOf, median, percentile, ratioOf, sleep, startNoiseMeter, startRssSampler, sum, yesNo } from './util.mjs';

/** Counts the assistant messages a Parley run stored, by status, for tasks with this prefix. */
async function storedByStatus(dbPath, prefix) {
	const client = createClient({ url: `file:${dbPath}` });
	try {
		const { rows } = await client.execute({
			sql: `SELECT status, count(*) AS n FROM messages WHERE role = 'assistant' AND task_id LIKE ? GROUP BY status`,
			args: [`${prefix}-%`]
		});
		return Object.fromEntries(rows.map((row) => [String(row.status), Number(row.n)]));
	} finally {
		client.close();
	}
}

/** Figures 3 and 4: `count` concurrent long-answer streams at MOCK_TOKEN_DELAY_MS=20. */
export async function concurrentStreams(target, prefix, count, deadlineMs, { ticks }) {
	const headers = await target.headersFor(count);
	const bodies = Array.from({ length: count }, (_, index) => chatBody(taskId(prefix, index), LONG_PROMPT));
	await sleep(1000); // let the sign-ups' work settle before the idle reading
	const pid = target.server.pid;
	const idleKiB = await idleRssKiB(pid);
	await loopDelaySnapshot(target.server); // a fresh start for the probe
	const noise = startNoiseMeter(pid, ticks);
	const sampler = startRssSampler(pid, 100);
	const deadline = new AbortController();
	setMaxListeners(count + 10, deadline.signal); // one listener per stream
	const deadlineTimer = setTimeout(() => deadline.abort(), deadlineMs);
	const started = performance.now();
	const results = await Promise.all(
		bodies.map((body, index) =>
			streamChat({
				url: target.url,
				headers: headers[index],
				body,
				agent: target.agent,
				timeoutMs: deadlineMs + 5000,
				keepTimes: true,
				signal: deadline.signal
			})
		)
	);
	clearTimeout(deadlineTimer);
	const wallMs = performance.now() - started;
	const memory = sampler.stop();
	const cpu = noise.stop();
	const loopDelay = await loopDelaySnapshot(target.server);

	const gaps = [];
	for (const result of results) {
		const times = result.textTimes;
		for (let index = 1; index < times.length; index++) gaps.push(times[index] - times[index - 1]);
	}
	const errorKinds = {};
	for (const result of results) {
		if (result.cut) continue;
		const kind = result.errorChunk ? `error chunk: ${result.errorChunk}` : result.error;
		if (kind) errorKinds[kind.slice(0, 120)] = (errorKinds[kind.slice(0, 120)] ?? 0) + 1;
	}
	const expectedDeltas = maxOf(results.map((result) => result.textDeltas));
	const done = results.filter((result) => result.done).length;
	const completed = results.filter(
		(result) => result.done && !result.error && !result.errorChunk && result.textDeltas === expectedDeltas
	).length;
	const stored = target.kind === 'parley' ? await storedByStatus(target.server.dbPath, prefix) : undefined;
	return {
		streams: count,
		done,
		completed,
		errors: results.filter((result) => !result.cut && (result.error || result.errorChunk)).length,
		cutAtDeadline: results.filter((result) => result.cut).length,
		deadlineMs,
		errorKinds,
		storedComplete: stored ? (stored.complete ?? 0) : undefined,
		storedByStatus: stored,
		textDeltasPerStream: expectedDeltas,
		gapP50Ms: percentile(gaps, 50),
		gapP99Ms: percentile(gaps, 99),
		gapMaxMs: maxOf(gaps),
		firstTextMedianMs: median(results.filter((r) => Number.isFinite(r.tFirstText)).map((r) => r.tFirstText - r.tStart)),
		firstTextP99Ms: percentile(
			results.filter((r) => Number.isFinite(r.tFirstText)).map((r) => r.tFirstText - r.tStart),
			99
		),
		streamMedianMs: median(results.map((result) => result.tEnd - result.tStart)),
		wallMs,
		idleRssKiB: idleKiB,
		peakRssKiB: memory.peakKiB,
		rssSamples: memory.samples,
		rssPerStreamKiB: (memory.peakKiB - idleKiB) / count,
		serverCpuMsPerStream: cpu.serverCpuMs / count,
		/** Text deltas received over all streams per second of the burst: the server's delivered rate. */
		deliveredPerSecond: (sum(results.map((result) => result.textDeltas)) / wallMs) * 1000,
		cpu,
		loopDelay
	};
}

/** Figure 3's rows for one run (200 streams). */
export function figure3Rows(p, b, tag) {
	const row = baselineRow(tag);
	const n = p.streams;
	return [
		row(`streams ending in [DONE] (of ${n})`, p.done, b.done, 0, `all ${n}`, yesNo(p.done === n), { ratio: false }),
		row(`streams complete, all deltas (of ${n})`, p.completed, b.completed, 0, `all ${n}`, yesNo(p.completed === n), { ratio: false }),
		row(
			'streams with errors or cut',
			p.errors + p.cutAtDeadline,
			b.errors + b.cutAtDeadline,
			0,
			'0',
			yesNo(p.errors + p.cutAtDeadline === 0),
			{ ratio: false }
		),
		row('answers stored complete (SQLite)', p.storedComplete, 'n/a', 0, `all ${n}`, yesNo(p.storedComplete === n), { ratio: false }),
		row('p99 gap between deltas (ms)', p.gapP99Ms, b.gapP99Ms, 1, '≤ 1.5× baseline', yesNo(ratioOf(p.gapP99Ms, b.gapP99Ms) <= 1.5)),
		row('p50 gap between deltas (ms)', p.gapP50Ms, b.gapP50Ms, 1, '—', '—'),
		row(
			'server RSS per stream (KiB)',
			p.rssPerStreamKiB,
			b.rssPerStreamKiB,
			0,
			'≤ 1.3× baseline',
			yesNo(ratioOf(p.rssPerStreamKiB, b.rssPerStreamKiB) <= 1.3)
		),
		row('server peak RSS over idle (MiB)', (p.peakRssKiB - p.idleRssKiB) / 1024, (b.peakRssKiB - b.idleRssKiB) / 1024, 1, '—', '—'),
		row(
			'server CPU per stream (ms)',
			p.serverCpuMsPerStream,
			b.serverCpuMsPerStream,
			1,
			'≤ 1.15× baseline',
			yesNo(ratioOf(p.serverCpuMsPerStream, b.serverCpuMsPerStream) <= 1.15)
		),
		row('server text deltas/s, all streams', p.deliveredPerSecond, b.deliveredPerSecond, 0, '—', '—'),
		row('first text-delta p99 (ms)', p.firstTextP99Ms, b.firstTextP99Ms, 0, '—', '—'),
		row('wall time (s)', p.wallMs / 1000, b.wallMs / 1000, 1, '—', '—'),
		...loopDelayRows(row, p, b),
		noiseRow(row, p, b)
	];
}

/** Figure 4's rows for one run (500 streams, an overload: what is not done by the deadline is cut). */
export function figure4Rows(p, b, tag) {
	const row = baselineRow(tag);
	const n = p.streams;
	const within = `${fmt(p.deadlineMs / 1000, 0)} s`;
	return [
		row(`streams complete within ${within} (of ${n})`, p.completed, b.completed, 0, `all ${n}`, yesNo(p.completed === n), { ratio: false }),
		row(`streams cut at ${within}`, p.cutAtDeadline, b.cutAtDeadline, 0, '—', '—', { ratio: false }),
		row('streams with errors', p.errors, b.errors, 0, '—', '—', { ratio: false }),
		row(`answers stored complete by ${within}`, p.storedComplete, 'n/a', 0, `all ${n}`, yesNo(p.storedComplete === n), { ratio: false }),
		row('p99 gap between deltas (ms)', p.gapP99Ms, b.gapP99Ms, 1, '≤ 1.3× baseline', yesNo(ratioOf(p.gapP99Ms, b.gapP99Ms) <= 1.3)),
		row('server RSS per stream (KiB)', p.rssPerStreamKiB, b.rssPerStreamKiB, 0, '—', '—'),
		row('server CPU per stream (ms)', p.serverCpuMsPerStream, b.serverCpuMsPerStream, 1, '—', '—'),
		row('server text deltas/s, all streams', p.deliveredPerSecond, b.deliveredPerSecond, 0, '—', '—'),
		row(
			'first text-delta p99 (ms)',
			p.firstTextP99Ms,
			b.firstTextP99Ms,
			0,
			'≤ 2× baseline',
			yesNo(ratioOf(p.firstTextP99Ms, b.firstTextP99Ms) <= 2)
		),
		row('wall time (s)', p.wallMs / 1000, b.wallMs / 1000, 1, '—', '—'),
		...loopDelayRows(row, p, b),
		noiseRow(row, p, b)
	];
}
