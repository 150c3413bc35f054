#!/usr/bin/env node
// Parley streaming bench: measures Parley's `POST /api/chat` against a bare AI SDK server on the
// same offline model and prints the figures with their ratio to the baseline. It is not a test:
// it never fails on a figure, only when it cannot run at all. See bench/README.md.
//
//   npm run build && npm run bench            # everything, each figure twice
//   npm run bench -- --runs 1 --only 1,2      # a quick look
//   npm run bench -- --profile                # also CPU-profile both servers during figure 3, run 1
import { execFileSync } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { createClient } from '@libsql/client';
import { chatBody, newAgent, signUp, streamChat, taskId } from './lib/client.mjs';
import { liveServers, startServer } from './lib/servers.mjs';
import { fmt, idleRssKiB, maxOf, median, percentile, ROOT, sleep, startNoiseMeter, startRssSampler, sum } from './lib/util.mjs';

// ---------------------------------------------------------------------------------------------
// Settings

const { values: flags } = parseArgs({
	options: {
		runs: { type: 'string', default: '2' },
		only: { type: 'string', default: '1,2,3,4' },
		profile: { type: 'boolean', default: false },
		help: { type: 'boolean', short: 'h', default: false }
	}
});
if (flags.help) {
	console.log('usage: npm run bench [-- --runs N] [--only 1,2,3,4] [--profile]');
	process.exit(0);
}

const RUNS = Math.min(5, Math.max(1, Number(flags.runs) || 2));
const ONLY = new Set(flags.only.split(',').map((value) => Number(value.trim())));
const SETTINGS = {
	fig1Requests: 30,
	fig2Streams: 20,
	fig3Streams: 100,
	fig4Streams: 500,
	concurrentDelayMs: 20,
	/** Streams still running this long after the burst started are cut (a safety net for figure 3). */
	fig3DeadlineMs: 60_000,
	/** Figure 4 overloads a small machine; what has not finished by then is cut and counted as such. */
	fig4DeadlineMs: 40_000,
	/** Streaming requests per signed-in user, under a 60-a-minute rate limit should Parley add one. */
	requestsPerUser: 50
};
const SHORT_PROMPT = 'Hello there, how quickly does the first word arrive?';
const LONG_PROMPT = 'Please write a long answer about streaming';
const TICKS = (() => {
	try {
		return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
	} catch {
		return 100;
	}
})();
const RESULTS_FILE = join(ROOT, 'test-results', 'bench.json');
const PROFILE_DIR = join(ROOT, 'test-results', 'bench-profile');
const benchStarted = Date.now();

// ---------------------------------------------------------------------------------------------
// Stopping servers on Ctrl-C and on exit

let stopping = false;
async function stopAll(code) {
	if (stopping) return;
	stopping = true;
	console.error(`\nStopping ${liveServers.size} server(s)…`);
	await Promise.allSettled([...liveServers].map((server) => server.stop()));
	process.exit(code);
}
process.on('SIGINT', () => void stopAll(130));
process.on('SIGTERM', () => void stopAll(143));
process.on('exit', () => {
	for (const server of liveServers) server.killNow();
});

// ---------------------------------------------------------------------------------------------
// Pre-flight

function newestMtime(folder) {
	let newest = 0;
	const stack = [folder];
	while (stack.length > 0) {
		const current = stack.pop();
		for (const entry of readdirSync(current, { withFileTypes: true })) {
			const path = join(current, entry.name);
			if (entry.isDirectory()) stack.push(path);
			else if (!/\.(test|spec)\.ts$/.test(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs);
		}
	}
	return newest;
}

const buildEntry = join(ROOT, 'build', 'index.js');
if (!existsSync(buildEntry)) {
	console.error('No build found (build/index.js). Run `npm run build` first, then `npm run bench`.');
	process.exit(1);
}
if (!existsSync(join(ROOT, 'node_modules', 'tsx'))) {
	console.error('tsx is not installed (node_modules/tsx); the baseline server needs it.');
	process.exit(1);
}
const buildAge = statSync(buildEntry).mtimeMs;
const staleBy = newestMtime(join(ROOT, 'src')) - buildAge;
let gitHead = 'unknown';
try {
	gitHead = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
} catch {
	// not a git checkout
}

console.log('Parley streaming bench');
console.log(
	`node ${process.version} · ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}) · load ${os
		.loadavg()
		.map((value) => value.toFixed(2))
		.join(' ')} · git ${gitHead} · runs ${RUNS} · figures ${[...ONLY].sort().join(',')}`
);
if (staleBy > 0) {
	console.log(
		`WARNING: src/ has changed since the build (newest source is ${Math.round(staleBy / 1000)} s newer than build/); ` +
			'run `npm run build` to measure the current code.'
	);
}
console.log('');

// ---------------------------------------------------------------------------------------------
// Targets: a started server plus how to send it chat requests

async function openTarget(kind, delayMs, { profile = false } = {}) {
	const nodeArgs = [];
	if (profile) {
		// One file per thread (the baseline's tsx loader has its own); the main thread's is the largest.
		const folder = join(PROFILE_DIR, kind);
		rmSync(folder, { recursive: true, force: true });
		mkdirSync(folder, { recursive: true });
		nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${folder}`);
	}
	let server;
	try {
		server = await startServer(kind, { delayMs, nodeArgs });
	} catch (error) {
		// A concurrent `npm run build` rewrites build/ for a few seconds: try once more before giving up.
		console.error(`(${error.message.split('\n')[0]} — retrying once in 5 s)`);
		await sleep(5000);
		server = await startServer(kind, { delayMs, nodeArgs });
	}
	const agent = newAgent();
	let users = 0;
	return {
		kind,
		server,
		agent,
		url: kind === 'parley' ? `${server.baseURL}/api/chat` : `${server.baseURL}/`,
		/** Request headers for `count` requests, signing up fresh users first (not timed). */
		async headersFor(count) {
			if (kind !== 'parley') return Array.from({ length: count }, () => ({}));
			const sessions = [];
			for (let index = 0; index < Math.ceil(count / SETTINGS.requestsPerUser); index++) {
				const email = `bench-${++users}-${Math.random().toString(36).slice(2, 8)}@example.com`;
				sessions.push(await signUp(server.baseURL, email));
			}
			return Array.from({ length: count }, (_, index) => {
				const session = sessions[Math.floor(index / SETTINGS.requestsPerUser)];
				return { cookie: session.cookie, origin: session.origin };
			});
		},
		async close() {
			agent.destroy();
			await server.stop();
		}
	};
}

/** A few requests so that both servers are past start-up and JIT warm-up before measuring. */
async function warmUp(target, prefix, { concurrent }) {
	const count = 10;
	const headers = await target.headersFor(count + 2);
	const send = (index, text) =>
		streamChat({ url: target.url, headers: headers[index], body: chatBody(taskId(prefix, index), text), agent: target.agent });
	if (concurrent) {
		await Promise.all(Array.from({ length: count }, (_, index) => send(index, SHORT_PROMPT)));
	} else {
		for (let index = 0; index < count; index++) await send(index, SHORT_PROMPT);
		await send(count, LONG_PROMPT);
		await send(count + 1, LONG_PROMPT);
	}
}

// ---------------------------------------------------------------------------------------------
// Figures

/** Figure 1: request start → first text-delta chunk, sequential requests, zero token delay. */
async function figure1(target, prefix) {
	const headers = await target.headersFor(SETTINGS.fig1Requests);
	const firstText = [];
	const firstByte = [];
	let errors = 0;
	const noise = startNoiseMeter(target.server.pid, TICKS);
	for (let index = 0; index < SETTINGS.fig1Requests; index++) {
		const result = await streamChat({
			url: target.url,
			headers: headers[index],
			body: chatBody(taskId(prefix, index), SHORT_PROMPT),
			agent: target.agent
		});
		if (result.error || !Number.isFinite(result.tFirstText)) {
			errors++;
			continue;
		}
		firstText.push(result.tFirstText - result.tStart);
		firstByte.push(result.tFirstByte - result.tStart);
	}
	return {
		requests: SETTINGS.fig1Requests,
		errors,
		cpu: noise.stop(),
		firstTextMedianMs: median(firstText),
		firstTextP90Ms: percentile(firstText, 90),
		firstByteMedianMs: median(firstByte),
		healthMedianMs: median(await timeHealth(target, 30)),
		firstTextMs: firstText.map((value) => Math.round(value * 100) / 100)
	};
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

/** Figure 2: text deltas per second within sequential long-answer streams, zero token delay. */
async function figure2(target, prefix) {
	const headers = await target.headersFor(SETTINGS.fig2Streams);
	const deltas = [];
	const windows = [];
	const toLast = [];
	let errors = 0;
	const noise = startNoiseMeter(target.server.pid, TICKS);
	for (let index = 0; index < SETTINGS.fig2Streams; index++) {
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
		streams: SETTINGS.fig2Streams,
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
async function concurrentStreams(target, prefix, count, deadlineMs) {
	const headers = await target.headersFor(count);
	const bodies = Array.from({ length: count }, (_, index) => chatBody(taskId(prefix, index), LONG_PROMPT));
	await sleep(1000); // let the sign-ups' work settle before the idle reading
	const pid = target.server.pid;
	const idleKiB = await idleRssKiB(pid);
	const noise = startNoiseMeter(pid, TICKS);
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
		cpu
	};
}

// ---------------------------------------------------------------------------------------------
// Running everything

const KINDS = ['parley', 'baseline'];
/** results[figure][run][kind] */
const results = { 1: [], 2: [], 3: [], 4: [] };
const elapsed = () => `${((Date.now() - benchStarted) / 1000).toFixed(0)} s`;

async function session(kind, delayMs, work, options) {
	const target = await openTarget(kind, delayMs, options);
	try {
		return await work(target);
	} finally {
		await target.close();
	}
}

try {
	if (ONLY.has(1) || ONLY.has(2)) {
		for (let run = 1; run <= RUNS; run++) {
			for (const kind of KINDS) {
				const figures = await session(kind, 0, async (target) => {
					await warmUp(target, `w12-r${run}`, { concurrent: false });
					const out = {};
					if (ONLY.has(1)) out[1] = await figure1(target, `f1-r${run}`);
					if (ONLY.has(2)) out[2] = await figure2(target, `f2-r${run}`);
					return out;
				});
				for (const figure of [1, 2]) {
					if (!figures[figure]) continue;
					(results[figure][run - 1] ??= {})[kind] = figures[figure];
				}
				console.log(
					`[${elapsed()}] run ${run} ${kind}: ` +
						(figures[1] ? `first text-delta median ${fmt(figures[1].firstTextMedianMs, 2)} ms; ` : '') +
						(figures[2] ? `${fmt(figures[2].deltasPerSecond, 0)} text deltas/s; ` : '') +
						`other processes used ${fmt((figures[1] ?? figures[2]).cpu.otherCores, 2)} cores`
				);
			}
		}
	}
	for (const figure of [3, 4]) {
		if (!ONLY.has(figure)) continue;
		const count = figure === 3 ? SETTINGS.fig3Streams : SETTINGS.fig4Streams;
		const deadlineMs = figure === 3 ? SETTINGS.fig3DeadlineMs : SETTINGS.fig4DeadlineMs;
		for (let run = 1; run <= RUNS; run++) {
			for (const kind of KINDS) {
				const profile = flags.profile && figure === 3 && run === 1;
				const out = await session(
					kind,
					SETTINGS.concurrentDelayMs,
					async (target) => {
						await warmUp(target, `w${figure}-r${run}`, { concurrent: true });
						return concurrentStreams(target, `f${figure}-r${run}`, count, deadlineMs);
					},
					{ profile }
				);
				(results[figure][run - 1] ??= {})[kind] = out;
				console.log(
					`[${elapsed()}] figure ${figure} run ${run} ${kind}: ${out.completed}/${count} completed` +
						(out.cutAtDeadline ? ` (${out.cutAtDeadline} cut at ${out.deadlineMs / 1000} s)` : '') +
						(out.errors ? `, ${out.errors} errors` : '') +
						`, ` +
						`p99 gap ${fmt(out.gapP99Ms)} ms, ${fmt(out.rssPerStreamKiB, 0)} KiB/stream, wall ${fmt(out.wallMs / 1000)} s; ` +
						`other processes used ${fmt(out.cpu.otherCores, 2)} cores`
				);
			}
		}
	}
} catch (error) {
	console.error(`\nThe bench could not run: ${error?.stack ?? error}`);
	await Promise.allSettled([...liveServers].map((server) => server.stop()));
	process.exit(1);
}

// ---------------------------------------------------------------------------------------------
// Report

const ratioOf = (parley, baseline) =>
	Number.isFinite(parley) && Number.isFinite(baseline) && baseline > 0 ? parley / baseline : NaN;
const yesNo = (ok) => (ok === undefined ? '—' : ok ? 'yes' : 'NO');

/** Rows: [figure, parley, baseline, ratio, budget, within]. */
function rowsFor(figure, run, { parley: p, baseline: b }) {
	const tag = RUNS > 1 ? ` (run ${run})` : '';
	const row = (name, pv, bv, digits, budget, within, { ratio = true, unit = '' } = {}) => [
		name + tag,
		`${fmt(pv, digits)}${unit}`,
		`${fmt(bv, digits)}${unit}`,
		ratio ? `${fmt(ratioOf(pv, bv), 2)}×` : '—',
		budget,
		within
	];
	const noiseRow = () =>
		row('other processes\' CPU meanwhile (cores)', p.cpu?.otherCores, b.cpu?.otherCores, 2, 'noise, not Parley', '—', { ratio: false });
	switch (figure) {
		case 1: {
			const added = p.firstTextMedianMs - b.firstTextMedianMs;
			return [
				row('first text-delta, median (ms)', p.firstTextMedianMs, b.firstTextMedianMs, 2, 'Parley adds < 10 ms', `${yesNo(added < 10)} (${added >= 0 ? '+' : ''}${fmt(added, 2)} ms)`),
				row('first text-delta, p90 (ms)', p.firstTextP90Ms, b.firstTextP90Ms, 2, '—', '—'),
				row('first byte, median (ms)', p.firstByteMedianMs, b.firstByteMedianMs, 2, '—', '—'),
				row('GET /health, median (ms)', p.healthMedianMs, b.healthMedianMs, 2, '—', '—'),
				row('failed requests', p.errors, b.errors, 0, '0', yesNo(p.errors === 0), { ratio: false }),
				noiseRow()
			];
		}
		case 2: {
			const ratio = ratioOf(p.deltasPerSecond, b.deltasPerSecond);
			return [
				row('text deltas/s, first→last delta', p.deltasPerSecond, b.deltasPerSecond, 0, '≥ 0.80× baseline', yesNo(ratio >= 0.8)),
				row('text deltas/s, request start→last delta', p.deltasPerSecondFromStart, b.deltasPerSecondFromStart, 0, '—', '—'),
				row('text deltas per stream', p.textDeltasPerStream, b.textDeltasPerStream, 0, '—', '—', { ratio: false }),
				noiseRow()
			];
		}
		case 3: {
			const n = p.streams;
			return [
				row(`streams ending in [DONE] (of ${n})`, p.done, b.done, 0, `all ${n}`, yesNo(p.done === n), { ratio: false }),
				row(`streams complete, all deltas (of ${n})`, p.completed, b.completed, 0, `all ${n}`, yesNo(p.completed === n), { ratio: false }),
				row('streams with errors or cut', p.errors + p.cutAtDeadline, b.errors + b.cutAtDeadline, 0, '0', yesNo(p.errors + p.cutAtDeadline === 0), { ratio: false }),
				row('answers stored complete (SQLite)', p.storedComplete, 'n/a', 0, `all ${n}`, yesNo(p.storedComplete === n), { ratio: false }),
				row('p99 gap between deltas (ms)', p.gapP99Ms, b.gapP99Ms, 1, '≤ 1.5× baseline', yesNo(ratioOf(p.gapP99Ms, b.gapP99Ms) <= 1.5)),
				row('p50 gap between deltas (ms)', p.gapP50Ms, b.gapP50Ms, 1, '—', '—'),
				row('server RSS per stream (KiB)', p.rssPerStreamKiB, b.rssPerStreamKiB, 0, '≤ 1.2× baseline', yesNo(ratioOf(p.rssPerStreamKiB, b.rssPerStreamKiB) <= 1.2)),
				row('server peak RSS over idle (MiB)', (p.peakRssKiB - p.idleRssKiB) / 1024, (b.peakRssKiB - b.idleRssKiB) / 1024, 1, '—', '—'),
				row('server CPU per stream (ms)', p.serverCpuMsPerStream, b.serverCpuMsPerStream, 1, '—', '—'),
				row('server text deltas/s, all streams', p.deliveredPerSecond, b.deliveredPerSecond, 0, '—', '—'),
				row('first text-delta p99 (ms)', p.firstTextP99Ms, b.firstTextP99Ms, 0, '—', '—'),
				row('wall time (s)', p.wallMs / 1000, b.wallMs / 1000, 1, '—', '—'),
				noiseRow()
			];
		}
		case 4: {
			const n = p.streams;
			const within = `${fmt(p.deadlineMs / 1000, 0)} s`;
			return [
				row(`streams complete within ${within} (of ${n})`, p.completed, b.completed, 0, 'figure only', '—', { ratio: false }),
				row(`streams cut at ${within}`, p.cutAtDeadline, b.cutAtDeadline, 0, 'figure only', '—', { ratio: false }),
				row('streams with errors', p.errors, b.errors, 0, 'figure only', '—', { ratio: false }),
				row(`answers stored complete by ${within}`, p.storedComplete, 'n/a', 0, 'figure only', '—', { ratio: false }),
				row('p99 gap between deltas (ms)', p.gapP99Ms, b.gapP99Ms, 1, 'figure only', '—'),
				row('server RSS per stream (KiB)', p.rssPerStreamKiB, b.rssPerStreamKiB, 0, 'figure only', '—'),
				row('server CPU per stream (ms)', p.serverCpuMsPerStream, b.serverCpuMsPerStream, 1, 'figure only', '—'),
				row('server text deltas/s, all streams', p.deliveredPerSecond, b.deliveredPerSecond, 0, 'figure only', '—'),
				row('first text-delta p99 (ms)', p.firstTextP99Ms, b.firstTextP99Ms, 0, 'figure only', '—'),
				row('wall time (s)', p.wallMs / 1000, b.wallMs / 1000, 1, 'figure only', '—'),
				noiseRow()
			];
		}
	}
	return [];
}

function printTable(title, rows) {
	const header = ['figure', 'parley', 'baseline', 'ratio', 'budget', 'within budget?'];
	const all = [header, ...rows];
	const widths = header.map((_, column) => Math.max(...all.map((row) => String(row[column]).length)));
	const line = (row) =>
		row.map((cell, column) => (column === 0 || column >= 4 ? String(cell).padEnd(widths[column]) : String(cell).padStart(widths[column]))).join(' | ');
	console.log(`\n${title}`);
	console.log(line(header));
	console.log(widths.map((width) => '-'.repeat(width)).join('-|-'));
	for (const row of rows) console.log(line(row));
}

const TITLES = {
	1: `1. First text-delta latency — ${SETTINGS.fig1Requests} sequential requests, MOCK_TOKEN_DELAY_MS=0`,
	2: `2. Throughput — ${SETTINGS.fig2Streams} sequential long-answer streams, MOCK_TOKEN_DELAY_MS=0`,
	3: `3. ${SETTINGS.fig3Streams} concurrent long-answer streams, MOCK_TOKEN_DELAY_MS=${SETTINGS.concurrentDelayMs}`,
	4: `4. ${SETTINGS.fig4Streams} concurrent long-answer streams, MOCK_TOKEN_DELAY_MS=${SETTINGS.concurrentDelayMs} (figures only)`
};
const tables = {};
for (const figure of [1, 2, 3, 4]) {
	const rows = [];
	results[figure].forEach((pair, index) => {
		if (pair?.parley && pair?.baseline) rows.push(...rowsFor(figure, index + 1, pair));
	});
	if (rows.length === 0) continue;
	tables[figure] = rows;
	printTable(TITLES[figure], rows);
	if (figure >= 3) {
		for (const [index, pair] of results[figure].entries()) {
			for (const kind of KINDS) {
				const kinds = Object.entries(pair?.[kind]?.errorKinds ?? {});
				if (kinds.length > 0) console.log(`  run ${index + 1} ${kind} errors: ${kinds.map(([k, n]) => `${n}× ${k}`).join('; ')}`);
				const byStatus = pair?.[kind]?.storedByStatus;
				if (byStatus && Object.keys(byStatus).some((status) => status !== 'complete')) {
					console.log(`  run ${index + 1} ${kind} stored by status: ${JSON.stringify(byStatus)}`);
				}
			}
		}
	}
}

const budgetCells = Object.values(tables)
	.flat()
	.map((row) => row[5])
	.filter((cell) => cell !== '—');
const met = budgetCells.filter((cell) => cell.startsWith('yes')).length;
console.log(`\nBudgets met: ${met} of ${budgetCells.length} checks · total time ${elapsed()}`);
const noisiest = Math.max(
	...Object.values(results)
		.flat()
		.flatMap((pair) => KINDS.map((kind) => pair?.[kind]?.cpu?.otherCores ?? 0))
);
if (noisiest > 0.25) {
	console.log(
		`Note: other processes on this machine used up to ${fmt(noisiest, 2)} of ${os.cpus().length} cores during a measurement; ` +
			'compare runs, or re-run on a quiet machine.'
	);
}

mkdirSync(join(ROOT, 'test-results'), { recursive: true });
writeFileSync(
	RESULTS_FILE,
	JSON.stringify(
		{
			generatedAt: new Date().toISOString(),
			node: process.version,
			cpus: os.cpus().length,
			cpuModel: os.cpus()[0]?.model,
			loadavg: os.loadavg(),
			git: gitHead,
			buildStale: staleBy > 0,
			runs: RUNS,
			settings: SETTINGS,
			results,
			tables: Object.fromEntries(
				Object.entries(tables).map(([figure, rows]) => [
					figure,
					rows.map(([name, parley, baseline, ratio, budget, within]) => ({ name, parley, baseline, ratio, budget, within }))
				])
			),
			durationSeconds: (Date.now() - benchStarted) / 1000
		},
		null,
		'\t'
	) + '\n'
);
console.log(`Results written to ${relative(process.cwd(), RESULTS_FILE) || RESULTS_FILE}`);
if (flags.profile) {
	console.log(
		`CPU profiles of figure 3, run 1 in ${relative(process.cwd(), PROFILE_DIR)}/{parley,baseline}/ ` +
			'(summarise: node bench/profile-summary.mjs <folder or file>)'
	);
}
process.exit(0);
