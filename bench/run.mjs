#!/usr/bin/env node
// Parley streaming bench: measures Parley's `POST /api/chat` against a bare AI SDK server on the
// same offline model and prints the figures with their ratio to the baseline. It is not a test:
// it never fails on a figure, only when it cannot run at all. See bench/README.md.
//
//   npm run build && npm run bench            # everything, each figure twice
//   npm run bench -- --runs 1 --only 1,2      # a quick look
//   npm run bench -- --profile                # also CPU-profile both servers during figure 3, run 1
//   npm run bench -- --runs 1 --only 5        # the public protocol faces against the app's UI stream
//   npm run bench -- --runs 1 --only 6        # the chat page in Chromium: its JavaScript, a 500-message task
//   npm run bench -- --runs 1 --only 7        # reading a 100-page PDF while /health keeps answering
//   npm run bench -- --runs 1 --only 8        # hybrid knowledge search over 100,000 chunks
//   npm run bench -- --runs 1 --only 10       # first-token overhead over a fake OpenAI server
import { execFileSync } from 'node:child_process';
import { setMaxListeners } from 'node:events';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { createClient } from '@libsql/client';
import { chatBody, newAgent, signUp, streamChat, taskId } from './lib/client.mjs';
import { createKey, FACES, streamFace } from './lib/faces.mjs';
import { chromiumPath } from '../tests/support/chromium.mjs';
import { figure6 } from './lib/chat-page.mjs';
import { figure7 } from './lib/extraction.mjs';
import { figure8 } from './lib/knowledge.mjs';
import { figure9 } from './lib/sidebar.mjs';
import { figure10, MODES, parleyEnv, startFakeOpenAI } from './lib/provider-overhead.mjs';
import { liveServers, startServer } from './lib/servers.mjs';
import {
	fmt,
	idleRssKiB,
	mainThreadCpuMs,
	maxOf,
	median,
	percentile,
	ROOT,
	sleep,
	startNoiseMeter,
	startRssSampler,
	sum
} from './lib/util.mjs';

// ---------------------------------------------------------------------------------------------
// Settings

const { values: flags } = parseArgs({
	options: {
		runs: { type: 'string', default: '2' },
		only: { type: 'string', default: '1,2,3,4,5,6,7,8,9,10' },
		profile: { type: 'boolean', default: false },
		help: { type: 'boolean', short: 'h', default: false }
	}
});
if (flags.help) {
	console.log('usage: npm run bench [-- --runs N] [--only 1,2,3,4,5,6,7,8,9,10] [--profile]');
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
	requestsPerUser: 50,
	/** Figure 5: rounds of short requests, one per face in each round (order rotated every round). */
	fig5Rounds: 30,
	/** Figure 5: rounds of long-answer streams, one per face in each round. */
	fig5LongRounds: 20,
	/** Figure 5 budgets: a face's first byte at most this much later than the UI stream's (median)… */
	fig5FirstByteBudgetMs: 5,
	/** …and /v1/chat/completions' throughput at least this share of the UI stream's. */
	fig5ThroughputRatio: 0.9,
	/** Figure 5: a phase (short requests, long answers) stops after the round that passes this. */
	fig5PhaseCapMs: 20_000,
	/** Figure 5: one request may take this long (a long answer at delay 0 takes well under 1 s). */
	fig5TimeoutMs: 15_000,
	/** Figure 5 sends a few hundred requests with one key in well under a minute. */
	fig5RateLimitPerMinute: 100_000,
	/** Figure 6: counted loads of the 500-message task (each in a fresh browser context). */
	fig6Loads: 5,
	/** Figure 6: question/answer pairs of the long task. */
	fig6Pairs: 250,
	/** Figure 6: scrolling back to the first message, this many px a frame, at most this many frames. */
	fig6ScrollStep: 400,
	fig6ScrollFrames: 400,
	/** Figure 6 budgets: the chat page's JavaScript, gzipped, without code highlighting (KB = 1,000 bytes)… */
	fig6JsBudgetKB: 150,
	/** …the first paint with the newest message in view (median)… */
	fig6NewestPaintBudgetMs: 1000,
	/** …and the page's elements once loaded. */
	fig6ElementsBudget: 3000,
	/** Figure 7: pages of the PDF whose text is read, and PDFs read per run (each one different). */
	fig7Pages: 100,
	fig7Rounds: 3,
	/** Figure 7: `GET /health` is sampled this often while the text is read… */
	fig7HealthEveryMs: 25,
	/** …and the file's meta polled this often until it is read (at most this long). */
	fig7PollMs: 20,
	fig7TimeoutMs: 60_000,
	/** Figure 7 budgets: the text read within this long after the upload starts… */
	fig7ReadBudgetMs: 5000,
	/** …while every `/health` answers within this long. */
	fig7HealthBudgetMs: 100,
	/** Figure 8: chunks searched (one agent, offline embedding) and timed searches per run. */
	fig8Chunks: 100_000,
	fig8Queries: 300,
	/** Figure 8 budget: one hybrid search, p95. */
	fig8P95BudgetMs: 50,
	/** Figure 9: the user's tasks, counted loads of `/`, and pages scrolled in on the first load. */
	fig9Tasks: 2000,
	fig9Loads: 5,
	fig9Scrolls: 5,
	/** Figure 9 budgets: the sidebar's first chat painted (median)… */
	fig9FirstRowBudgetMs: 1000,
	/** …and the page's elements once loaded. */
	fig9ElementsBudget: 3000,
	/** Figure 10: OpenAI API modes measured (Parley's OPENAI_API_MODE), each on its own server and fake. */
	fig10Modes: ['responses', 'chat'],
	/** Figure 10: untimed rounds, then timed rounds; a round sends one request each way (Parley, direct, AI SDK, Parley offline). */
	fig10WarmUp: 10,
	fig10Requests: 100,
	/** Figure 10 sends a few hundred requests within a minute. */
	fig10RateLimitPerMinute: 100_000
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
if (ONLY.has(9) && !ONLY.has(6) && !chromiumPath()) {
	console.error('Figure 9 needs Chromium: apt-get install -y chromium, or set CHROMIUM_PATH (or leave it out with --only).');
	process.exit(1);
}
if (ONLY.has(6) && !chromiumPath()) {
	console.error('Figure 6 needs Chromium: apt-get install -y chromium, or set CHROMIUM_PATH (or leave it out with --only).');
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
		.join(' ')} · git ${gitHead} · runs ${RUNS} · figures ${[...ONLY].sort((a, b) => a - b).join(',')}`
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

async function openTarget(kind, delayMs, { profile = false, env } = {}) {
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
		server = await startServer(kind, { delayMs, nodeArgs, env });
	} catch (error) {
		// A concurrent `npm run build` rewrites build/ for a few seconds: try once more before giving up.
		console.error(`(${error.message.split('\n')[0]} — retrying once in 5 s)`);
		await sleep(5000);
		server = await startServer(kind, { delayMs, nodeArgs, env });
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

/**
 * Figure 5: the public protocol faces against the app's own UI stream, all on ONE Parley server
 * (same runtime, MOCK_TOKEN_DELAY_MS=0), all with one API key. Short requests go round-robin over
 * the faces (the starting face rotates every round) so that noise hits all faces alike; then
 * long-answer streams, round-robin likewise. Per request the server's main-thread CPU is read from
 * /proc/<pid>/schedstat (ns-precise), so each face's cost shows beside its times.
 */
async function figure5(target) {
	const { baseURL, pid } = target.server;
	const phaseStarted = performance.now();
	const phases = {};
	const phaseDone = (name) => (phases[name] = Math.round(performance.now() - phaseStarted - sum(Object.values(phases))));
	const email = `bench-faces-${Math.random().toString(36).slice(2, 8)}@example.com`;
	await signUp(baseURL, email);
	const key = await createKey({ databaseURL: `file:${target.server.dbPath}`, email });
	phaseDone('signUpAndKeyMs');
	let sent = 0;
	// A face that hangs is given up on after one timeout, so that the figure stays bounded.
	const hung = new Set();
	const measure = async (face, text) => {
		if (hung.has(face.id)) return { face: face.id, error: 'not sent: this face timed out before' };
		const cpu0 = mainThreadCpuMs(pid);
		const client0 = process.cpuUsage();
		const result = await streamFace({
			face,
			baseURL,
			key,
			text,
			index: sent++,
			agent: target.agent,
			timeoutMs: SETTINGS.fig5TimeoutMs,
			// The server's CPU until the stream's first byte reached us: work done before streaming.
			onFirstByte: (partial) => (partial.serverCpuToFirstByteMs = mainThreadCpuMs(pid) - cpu0)
		});
		const client = process.cpuUsage(client0);
		result.serverCpuMs = mainThreadCpuMs(pid) - cpu0;
		if (result.error?.startsWith('timeout')) hung.add(face.id);
		result.clientCpuMs = (client.user + client.system) / 1000;
		return result;
	};
	const failed = (result) => result.error || !Number.isFinite(result.tFirstText);
	const rotated = (round) => FACES.map((_, k) => FACES[(round + k) % FACES.length]);
	const tally = () =>
		Object.fromEntries(FACES.map((face) => [face.id, { results: [], errors: 0, errorKinds: {} }]));
	const record = (bucket, result) => {
		if (failed(result)) {
			bucket.errors++;
			const kind = String(result.error ?? 'no text').slice(0, 160);
			bucket.errorKinds[kind] = (bucket.errorKinds[kind] ?? 0) + 1;
		} else {
			bucket.results.push(result);
		}
	};

	// Warm-up: every face's code path and the JIT, short and long (not measured).
	const warmUpErrors = {};
	for (let round = 0; round < 3; round++) {
		for (const face of rotated(round)) {
			const result = await measure(face, round < 2 ? SHORT_PROMPT : LONG_PROMPT);
			if (failed(result)) warmUpErrors[face.id] = String(result.error ?? 'no text').slice(0, 160);
		}
	}

	phaseDone('warmUpMs');

	// Short requests: time to first byte and to first text.
	// On a busy machine a phase is cut after a whole round once it has taken fig5PhaseCapMs.
	const short = tally();
	const shortNoise = startNoiseMeter(pid, TICKS);
	let shortRounds = 0;
	for (let started = performance.now(); shortRounds < SETTINGS.fig5Rounds; ) {
		for (const face of rotated(shortRounds)) record(short[face.id], await measure(face, SHORT_PROMPT));
		shortRounds++;
		if (performance.now() - started > SETTINGS.fig5PhaseCapMs) break;
	}
	const shortCpu = shortNoise.stop();
	phaseDone('shortMs');

	// Long answers: text deltas per second within each stream (as figure 2).
	// Each stream's rate is also paired with the UI stream's of the same round: the median of those
	// ratios shrugs off a stream slowed by other processes better than the pooled figure does.
	const long = tally();
	const rates = FACES.map(() => []); // rates[face][round], NaN when that stream failed
	const longNoise = startNoiseMeter(pid, TICKS);
	let longRounds = 0;
	for (let started = performance.now(); longRounds < SETTINGS.fig5LongRounds; ) {
		const round = longRounds++;
		for (const face of rotated(round)) {
			let result = await measure(face, LONG_PROMPT);
			if (result.textDeltas < 2 && !result.error) result = { ...result, error: 'fewer than 2 text deltas' };
			record(long[face.id], result);
			rates[FACES.indexOf(face)][round] = failed(result)
				? NaN
				: (result.textDeltas / (result.tLastText - result.tFirstText)) * 1000;
		}
		if (performance.now() - started > SETTINGS.fig5PhaseCapMs) break;
	}
	const longCpu = longNoise.stop();
	phaseDone('longMs');
	const uiRates = rates[FACES.findIndex((face) => face.id === 'ui')];
	const pairedRatio = (faceIndex) =>
		median(rates[faceIndex].map((rate, round) => rate / uiRates[round]).filter(Number.isFinite));

	const faces = {};
	for (const face of FACES) {
		const s = short[face.id];
		const l = long[face.id];
		const since = (results, field) => results.map((result) => result[field] - result.tStart);
		const deltas = l.results.map((result) => result.textDeltas);
		faces[face.id] = {
			label: face.label,
			warmUpError: warmUpErrors[face.id],
			requests: shortRounds,
			errors: s.errors,
			errorKinds: s.errorKinds,
			firstByteMedianMs: median(since(s.results, 'tFirstByte')),
			firstByteP90Ms: percentile(since(s.results, 'tFirstByte'), 90),
			firstTextMedianMs: median(since(s.results, 'tFirstText')),
			firstTextP90Ms: percentile(since(s.results, 'tFirstText'), 90),
			headersMedianMs: median(since(s.results, 'tHeaders')),
			/** Request start → end of the stream (the whole short answer). */
			shortStreamMedianMs: median(since(s.results, 'tEnd')),
			serverCpuMsPerShort: median(s.results.map((result) => result.serverCpuMs)),
			serverCpuMsToFirstByte: median(s.results.map((result) => result.serverCpuToFirstByteMs)),
			bytesPerShort: median(s.results.map((result) => result.bytes)),
			/** How much of a short answer came in the first chunk (at delay 0, often most of it). */
			firstChunkBytesPerShort: median(s.results.map((result) => result.firstChunkBytes)),
			firstChunkTextDeltasPerShort: median(s.results.map((result) => result.firstChunkTextDeltas)),
			textDeltasPerShort: median(s.results.map((result) => result.textDeltas)),
			streams: longRounds,
			longErrors: l.errors,
			longErrorKinds: l.errorKinds,
			textDeltasPerStream: median(deltas),
			deltasPerSecond: (sum(deltas) / sum(l.results.map((result) => result.tLastText - result.tFirstText))) * 1000,
			deltasPerSecondFromStart: (sum(deltas) / sum(l.results.map((result) => result.tLastText - result.tStart))) * 1000,
			/** Median over rounds of (this face's rate ÷ the UI stream's rate in the same round). */
			pairedRatioMedian: pairedRatio(FACES.indexOf(face)),
			medianStreamMs: median(since(l.results, 'tEnd')),
			bytesPerStream: median(l.results.map((result) => result.bytes)),
			eventsPerStream: median(l.results.map((result) => result.events)),
			serverCpuMsPerStream: median(l.results.map((result) => result.serverCpuMs)),
			clientCpuMsPerStream: median(l.results.map((result) => result.clientCpuMs)),
			firstTextMs: since(s.results, 'tFirstText').map((value) => Math.round(value * 100) / 100)
		};
	}
	return {
		faces,
		shortRounds,
		longRounds,
		/** Wall time of each phase (ms), to keep the figure bounded. */
		phases,
		shortCpu,
		longCpu,
		/** For the noise note: the busier of the two phases. */
		cpu: shortCpu.otherCores >= longCpu.otherCores ? shortCpu : longCpu
	};
}

// ---------------------------------------------------------------------------------------------
// Running everything

const ratioOf = (parley, baseline) =>
	Number.isFinite(parley) && Number.isFinite(baseline) && baseline > 0 ? parley / baseline : NaN;

const signed = (value, digits = 2) => (Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${fmt(value, digits)}` : 'n/a');
const KINDS = ['parley', 'baseline'];
/** results[figure][run][kind] */
const results = { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [], 8: [], 9: [], 10: [] };
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
	if (ONLY.has(5)) {
		for (let run = 1; run <= RUNS; run++) {
			const started = Date.now();
			const out = await session('parley', 0, figure5, {
				env: { RATE_LIMIT_PER_MINUTE: String(SETTINGS.fig5RateLimitPerMinute) }
			});
			// Stored as Parley's result (there is no baseline: the UI stream is the reference).
			results[5][run - 1] = { parley: out };
			const ui = out.faces.ui;
			const worst = FACES.filter((face) => face.id !== 'ui')
				.map((face) => [face.id, out.faces[face.id].firstByteMedianMs - ui.firstByteMedianMs])
				.sort((a, b) => b[1] - a[1])[0];
			console.log(
				`[${elapsed()}] figure 5 run ${run}: UI stream first byte median ${fmt(ui.firstByteMedianMs, 2)} ms; ` +
					`largest Δ ${worst[0]} ${worst[1] >= 0 ? '+' : ''}${fmt(worst[1], 2)} ms; ` +
					`/v1 ${fmt(ratioOf(out.faces.openai.deltasPerSecond, ui.deltasPerSecond), 2)}× UI throughput; ` +
					`${fmt((Date.now() - started) / 1000)} s; other processes used ${fmt(out.cpu.otherCores, 2)} cores`
			);
		}
	}
	if (ONLY.has(6)) {
		for (let run = 1; run <= RUNS; run++) {
			const out = await session('parley', 0, (target) =>
				figure6({
					server: target.server,
					pairs: SETTINGS.fig6Pairs,
					loads: SETTINGS.fig6Loads,
					scrollFrames: SETTINGS.fig6ScrollFrames,
					scrollStep: SETTINGS.fig6ScrollStep
				})
			);
			results[6][run - 1] = { parley: out };
			console.log(
				`[${elapsed()}] figure 6 run ${run}: chat page JS ${fmt(out.jsGzipBytes / 1000, 1)} KB gzipped ` +
					`(+${fmt(out.onDemandGzipBytes / 1000, 1)} KB highlighting on demand); ` +
					`newest message painted at ${fmt(out.newestPaintMedianMs, 0)} ms (median); ${out.elementsMax} elements`
			);
		}
	}
	if (ONLY.has(7)) {
		for (let run = 1; run <= RUNS; run++) {
			const out = await session('parley', 0, (target) =>
				figure7({
					server: target.server,
					pages: SETTINGS.fig7Pages,
					rounds: SETTINGS.fig7Rounds,
					healthEveryMs: SETTINGS.fig7HealthEveryMs,
					pollMs: SETTINGS.fig7PollMs,
					timeoutMs: SETTINGS.fig7TimeoutMs,
					ticks: TICKS
				})
			);
			results[7][run - 1] = { parley: out };
			console.log(
				`[${elapsed()}] figure 7 run ${run}: ${out.pages}-page PDF read in ` +
					out.rounds.map((round) => `${fmt(round.readMs / 1000, 2)} s`).join(', ') +
					`; /health max ${fmt(maxOf(out.rounds.map((round) => round.healthMaxMs)), 1)} ms meanwhile`
			);
		}
	}
	if (ONLY.has(10)) {
		for (let run = 1; run <= RUNS; run++) {
			const modes = {};
			for (const mode of SETTINGS.fig10Modes) {
				const fake = await startFakeOpenAI(mode);
				try {
					modes[mode] = await session(
						'parley',
						0,
						(target) =>
							figure10(target, fake, { mode, warmUp: SETTINGS.fig10WarmUp, requests: SETTINGS.fig10Requests, ticks: TICKS }),
						{ env: { ...parleyEnv(mode, fake), RATE_LIMIT_PER_MINUTE: String(SETTINGS.fig10RateLimitPerMinute) } }
					);
				} finally {
					await fake.close();
				}
				const { ways, overheadP50Ms } = modes[mode];
				console.log(
					`[${elapsed()}] figure 10 run ${run} ${mode}: first text-delta p50 Parley ${fmt(ways.parley.firstTextP50Ms, 2)} ms, ` +
						`direct ${fmt(ways.direct.firstTextP50Ms, 2)} ms (${signed(overheadP50Ms)} ms), AI SDK in-process ${fmt(ways.sdk.firstTextP50Ms, 2)} ms, ` +
						`Parley offline agent ${fmt(ways.offline.firstTextP50Ms, 2)} ms; ` +
						`other processes used ${fmt(modes[mode].cpu.otherCores, 2)} cores`
				);
			}
			// The busier mode's noise stands for the run (as figure 5's phases do).
			const cpu = Object.values(modes)
				.map((out) => out.cpu)
				.sort((a, b) => b.otherCores - a.otherCores)[0];
			results[10][run - 1] = { parley: { modes, cpu } };
		}
	}
	if (ONLY.has(9)) {
		for (let run = 1; run <= RUNS; run++) {
			const out = await session('parley', 0, (target) =>
				figure9({ server: target.server, tasks: SETTINGS.fig9Tasks, loads: SETTINGS.fig9Loads, scrolls: SETTINGS.fig9Scrolls })
			);
			results[9][run - 1] = { parley: out };
			console.log(
				`[${elapsed()}] figure 9 run ${run}: sidebar of ${out.tasks} tasks, first chat painted at ${fmt(out.firstRowMedianMs, 0)} ms (median); ` +
					`${out.elementsMax} elements, ${out.rowsOnLoad} chats; after ${out.scrolls} pages scrolled in ${out.rowsAfterScrolls} chats, ${out.elementsAfterScrolls} elements`
			);
		}
	}
	if (ONLY.has(8)) {
		for (let run = 1; run <= RUNS; run++) {
			const out = await figure8({ chunks: SETTINGS.fig8Chunks, queries: SETTINGS.fig8Queries });
			results[8][run - 1] = { parley: out };
			console.log(
				`[${elapsed()}] figure 8 run ${run}: hybrid search over ${out.chunks} chunks p50 ${fmt(out.p50Ms, 1)} ms, ` +
					`p95 ${fmt(out.p95Ms, 1)} ms` +
					(out.builtNow ? ` (database built now in ${fmt(out.buildMs / 1000, 0)} s)` : ' (database reused)')
			);
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

const FIGURE_HEADER = ['figure', 'parley', 'baseline', 'ratio', 'budget', 'within budget?'];
const FIGURE_KEYS = ['name', 'parley', 'baseline', 'ratio', 'budget', 'within'];

/** Prints a table; the first column and those from `leftFrom` on are left-aligned, numbers right. */
function printTable({ title, header, rows, leftFrom }) {
	const all = [header, ...rows];
	const widths = header.map((_, column) => Math.max(...all.map((row) => String(row[column]).length)));
	const line = (row) =>
		row
			.map((cell, column) => (column === 0 || column >= leftFrom ? String(cell).padEnd(widths[column]) : String(cell).padStart(widths[column])))
			.join(' | ');
	console.log(`\n${title}`);
	console.log(line(header));
	console.log(widths.map((width) => '-'.repeat(width)).join('-|-'));
	for (const row of rows) console.log(line(row));
}

const withP90 = (medianMs, p90Ms) => `${fmt(medianMs, 2)} (${fmt(p90Ms, 2)})`;

/** Figure 5, one run: the latency table's rows and the throughput table's rows. */
function figure5Rows(run, { faces }) {
	const tag = RUNS > 1 ? ` (run ${run})` : '';
	const ui = faces.ui;
	const budgetMs = SETTINGS.fig5FirstByteBudgetMs;
	const latency = FACES.map((face) => {
		const f = faces[face.id];
		const reference = face.id === 'ui';
		const byteDelta = f.firstByteMedianMs - ui.firstByteMedianMs;
		const textDelta = f.firstTextMedianMs - ui.firstTextMedianMs;
		return [
			face.label + tag,
			withP90(f.firstByteMedianMs, f.firstByteP90Ms),
			withP90(f.firstTextMedianMs, f.firstTextP90Ms),
			reference ? '—' : `${signed(byteDelta)} ms`,
			reference ? '—' : `${signed(textDelta)} ms`,
			`${f.errors}/${f.requests}`,
			`${fmt(f.serverCpuMsToFirstByte, 2)} / ${fmt(f.serverCpuMsPerShort, 2)}`,
			reference ? 'reference' : `≤ +${budgetMs} ms first byte`,
			reference ? '—' : `${yesNo(byteDelta <= budgetMs && f.errors === 0)} (${signed(byteDelta)} ms)`
		];
	});
	const throughput = FACES.map((face) => {
		const f = faces[face.id];
		const ratio = ratioOf(f.deltasPerSecond, ui.deltasPerSecond);
		const budgeted = face.id === 'openai';
		return [
			face.label + tag,
			fmt(f.deltasPerSecond, 0),
			fmt(f.deltasPerSecondFromStart, 0),
			face.id === 'ui' ? '—' : `${fmt(ratio, 2)}×`,
			face.id === 'ui' ? '—' : `${fmt(f.pairedRatioMedian, 2)}×`,
			`${fmt(f.textDeltasPerStream, 0)}${f.longErrors ? ` (${f.longErrors} failed)` : ''}`,
			fmt(f.bytesPerStream / 1024, 1),
			fmt(f.serverCpuMsPerStream, 1),
			fmt(f.clientCpuMsPerStream, 1),
			face.id === 'ui' ? 'reference' : budgeted ? `≥ ${fmt(SETTINGS.fig5ThroughputRatio, 2)}× UI stream` : 'figure only',
			budgeted ? `${yesNo(ratio >= SETTINGS.fig5ThroughputRatio && f.longErrors === 0)} (${fmt(ratio, 2)}×)` : '—'
		];
	});
	return { latency, throughput };
}

const TITLES = {
	1: `1. First text-delta latency — ${SETTINGS.fig1Requests} sequential requests, MOCK_TOKEN_DELAY_MS=0`,
	2: `2. Throughput — ${SETTINGS.fig2Streams} sequential long-answer streams, MOCK_TOKEN_DELAY_MS=0`,
	3: `3. ${SETTINGS.fig3Streams} concurrent long-answer streams, MOCK_TOKEN_DELAY_MS=${SETTINGS.concurrentDelayMs}`,
	4: `4. ${SETTINGS.fig4Streams} concurrent long-answer streams, MOCK_TOKEN_DELAY_MS=${SETTINGS.concurrentDelayMs} (figures only)`,
	5: `5. Public protocol faces vs the app's UI stream — one Parley server, one API key, ${SETTINGS.fig5Rounds} short requests per face (round-robin), MOCK_TOKEN_DELAY_MS=0`,
	'5-throughput': `5. (cont.) Throughput — ${SETTINGS.fig5LongRounds} sequential long-answer streams per face (round-robin), MOCK_TOKEN_DELAY_MS=0`
};
/** tables[id] = {title, header, keys (for the JSON), rows, within (column), leftFrom}. */
const tables = {};
for (const figure of [1, 2, 3, 4]) {
	const rows = [];
	results[figure].forEach((pair, index) => {
		if (pair?.parley && pair?.baseline) rows.push(...rowsFor(figure, index + 1, pair));
	});
	if (rows.length === 0) continue;
	tables[figure] = { title: TITLES[figure], header: FIGURE_HEADER, keys: FIGURE_KEYS, rows, within: 5, leftFrom: 4 };
	printTable(tables[figure]);
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
if (results[5].some((pair) => pair?.parley)) {
	const latency = [];
	const throughput = [];
	const notes = [];
	results[5].forEach((pair, index) => {
		if (!pair?.parley) return;
		const rows = figure5Rows(index + 1, pair.parley);
		latency.push(...rows.latency);
		throughput.push(...rows.throughput);
		const run = RUNS > 1 ? `run ${index + 1} ` : '';
		const { shortCpu, longCpu, faces, shortRounds, longRounds } = pair.parley;
		if (shortRounds < SETTINGS.fig5Rounds || longRounds < SETTINGS.fig5LongRounds) {
			notes.push(
				`  ${run}cut at ${SETTINGS.fig5PhaseCapMs / 1000} s a phase (busy machine): ${shortRounds} of ${SETTINGS.fig5Rounds} short rounds, ` +
					`${longRounds} of ${SETTINGS.fig5LongRounds} long rounds`
			);
		}
		notes.push(
			`  ${run}other processes' CPU meanwhile: ${fmt(shortCpu.otherCores, 2)} cores (short requests), ${fmt(longCpu.otherCores, 2)} cores (long streams)`
		);
		for (const face of FACES) {
			const f = faces[face.id];
			const kinds = Object.entries({ ...f.errorKinds, ...f.longErrorKinds });
			if (f.warmUpError) notes.push(`  ${run}${face.id} failed during warm-up: ${f.warmUpError}`);
			if (kinds.length > 0) notes.push(`  ${run}${face.id} errors: ${kinds.map(([k, n]) => `${n}× ${k}`).join('; ')}`);
		}
	});
	tables[5] = {
		title: TITLES[5],
		header: [
			'face',
			'first byte ms, median (p90)',
			'first text ms, median (p90)',
			'Δ first byte vs UI',
			'Δ first text vs UI',
			'failed',
			'server CPU ms: to first byte / whole',
			'budget',
			'within budget?'
		],
		keys: ['face', 'firstByteMs', 'firstTextMs', 'deltaFirstByte', 'deltaFirstText', 'failed', 'serverCpuMs', 'budget', 'within'],
		rows: latency,
		within: 8,
		leftFrom: 7
	};
	tables['5-throughput'] = {
		title: TITLES['5-throughput'],
		header: [
			'face',
			'text deltas/s, first→last delta',
			'from request start',
			'ratio vs UI',
			'per-round ratio, median',
			'deltas/stream',
			'KiB/stream',
			'server CPU/stream (ms)',
			'client CPU/stream (ms)',
			'budget',
			'within budget?'
		],
		keys: ['face', 'deltasPerSecond', 'deltasPerSecondFromStart', 'ratio', 'pairedRatioMedian', 'deltasPerStream', 'kibPerStream', 'serverCpuMsPerStream', 'clientCpuMsPerStream', 'budget', 'within'],
		rows: throughput,
		within: 10,
		leftFrom: 9
	};
	printTable(tables[5]);
	printTable(tables['5-throughput']);
	console.log(
		"  (server CPU = the server's main thread, from /proc/<pid>/schedstat, median per request; " +
			"'to first byte' is read when the stream's first bytes reach the client)"
	);
	for (const note of notes) console.log(note);
}

/** Figure 6, one run: [figure, value, budget, within]. */
function figure6Rows(run, f) {
	const tag = RUNS > 1 ? ` (run ${run})` : '';
	const kb = (bytes) => fmt(bytes / 1000, 1);
	const ms = (value) => fmt(value, 0);
	const jsWithin = f.jsGzipBytes < SETTINGS.fig6JsBudgetKB * 1000;
	const paintWithin = f.newestPaintMedianMs < SETTINGS.fig6NewestPaintBudgetMs;
	const elementsWithin = f.elementsMax < SETTINGS.fig6ElementsBudget;
	const rows = [
		[`chat page JS, gzipped (KB)${tag}`, kb(f.jsGzipBytes), `< ${SETTINGS.fig6JsBudgetKB} KB`, `${yesNo(jsWithin)} (${kb(f.jsGzipBytes)} KB)`],
		[`  scripts counted · their raw size (KB)${tag}`, `${f.jsFiles} · ${kb(f.jsBytes)}`, '—', '—'],
		[`  code highlighting on demand, gzipped (KB)${tag}`, `${kb(f.onDemandGzipBytes)} (${f.onDemandFiles} files)`, 'excluded', '—'],
		[`${f.taskMessages}-message task: newest message painted in view, median (ms)${tag}`, ms(f.newestPaintMedianMs), `< ${fmt(SETTINGS.fig6NewestPaintBudgetMs, 0)} ms`, `${yesNo(paintWithin)} (${ms(f.newestPaintMedianMs)} ms)`],
		[`  slowest of ${f.loads} loads (ms)${tag}`, ms(f.newestPaintMaxMs), '—', '—'],
		[`  first contentful paint, median (ms)${tag}`, ms(f.firstContentfulPaintMedianMs), '—', '—'],
		[`  load event end, median (ms)${tag}`, ms(f.loadMedianMs), '—', '—'],
		[`  frames with the newest message out of view after it showed (worst load)${tag}`, String(f.framesOutOfViewMax), '—', '—'],
		[`elements in the page after load (worst load)${tag}`, String(f.elementsMax), `< ${fmt(SETTINGS.fig6ElementsBudget, 0)}`, `${yesNo(elementsWithin)} (${f.elementsMax})`],
		[`  messages in the page${tag}`, `${f.messagesInPage} of ${f.taskMessages}`, '—', '—'],
		[`  page HTML, raw · gzipped (KB)${tag}`, `${kb(f.htmlBytes)} · ${kb(f.htmlGzipBytes)}`, '—', '—']
	];
	if (f.scroll) {
		rows.push(
			[`scroll to the first message, ${f.scroll.step} px a frame: frames · reached it${tag}`, `${f.scroll.frames} · ${f.scroll.reachedTop ? 'yes' : 'no'}`, '—', '—'],
			[`  frame time, median · longest (ms)${tag}`, `${fmt(f.scroll.medianFrameMs, 1)} · ${fmt(f.scroll.longestFrameMs, 1)}`, '—', '—'],
			[`  frames over 50 ms${tag}`, String(f.scroll.framesOver50Ms), '—', '—'],
			[`  elements in the page while scrolling (max)${tag}`, String(f.scroll.maxElements), `< ${fmt(SETTINGS.fig6ElementsBudget, 0)}`, `${yesNo(f.scroll.maxElements < SETTINGS.fig6ElementsBudget)} (${f.scroll.maxElements})`]
		);
	}
	return rows;
}

/**
 * Prints the table of a figure measured on Parley alone (no baseline): the rows of every run,
 * from `rowsOf(run, figure)`. Returns false when the figure was not run.
 */
function printParleyTable(figure, title, rowsOf) {
	if (!results[figure].some((pair) => pair?.parley)) return false;
	const rows = results[figure].flatMap((pair, index) => (pair?.parley ? rowsOf(index + 1, pair.parley) : []));
	tables[figure] = { title, header: ['figure', 'value', 'budget', 'within budget?'], keys: ['name', 'value', 'budget', 'within'], rows, within: 3, leftFrom: 2 };
	printTable(tables[figure]);
	return true;
}

if (
	printParleyTable(
		6,
		`6. The chat page in Chromium — a ${2 * SETTINGS.fig6Pairs}-message task, ${SETTINGS.fig6Loads} loads in fresh browser contexts (after one not counted)`,
		figure6Rows
	)
) {
	const first = results[6].find((pair) => pair?.parley)?.parley;
	tables['6-scripts'] = {
		title: `6. (cont.) The scripts the chat page loaded (first counted load), gzip level ${first.gzipLevel}`,
		header: ['script', 'gzipped (KB)', 'raw (KB)', 'counted'],
		keys: ['script', 'gzipKB', 'rawKB', 'counted'],
		rows: first.scripts.map((script) => [
			script.name === script.path ? script.path : `${script.name} (${script.path.split('/').pop()})`,
			fmt(script.gzipBytes / 1000, 1),
			fmt(script.bytes / 1000, 1),
			script.onDemand ? 'no: highlighting, on demand' : 'yes'
		]),
		// A list, not a budget: its last column is not a check.
		within: undefined,
		leftFrom: 3
	};
	printTable(tables['6-scripts']);
	if (!first.manifestFound) {
		console.log('  (no .svelte-kit/output/client/.vite/manifest.json: highlighting chunks could not be told apart and are counted)');
	}
}

/** Figure 7, one run: [figure, value, budget, within]. */
function figure7Rows(run, f) {
	const tag = RUNS > 1 ? ` (run ${run})` : '';
	const ms = (value, digits = 1) => fmt(value, digits);
	const rows = [];
	for (const round of f.rounds) {
		const name = `PDF ${round.round}${round.round === 1 ? ' (worker code cold)' : ''}`;
		const read = round.status === 'ready' && round.readMs < SETTINGS.fig7ReadBudgetMs;
		const health = round.healthFailures === 0 && round.healthMaxMs < SETTINGS.fig7HealthBudgetMs;
		rows.push(
			[
				`${name}: upload → text read (s), ${fmt(round.pdfBytes / 1000, 0)} KB, ${fmt(round.textLength, 0)} characters${tag}`,
				`${fmt(round.readMs / 1000, 2)} (${round.status})`,
				`< ${fmt(SETTINGS.fig7ReadBudgetMs / 1000, 0)} s`,
				`${yesNo(read)} (${fmt(round.readMs / 1000, 2)} s)`
			],
			[`  of which the upload itself (ms)${tag}`, ms(round.uploadMs, 0), '—', '—'],
			[
				`  GET /health meanwhile: max (ms), every ${SETTINGS.fig7HealthEveryMs} ms${tag}`,
				ms(round.healthMaxMs),
				`< ${SETTINGS.fig7HealthBudgetMs} ms`,
				`${yesNo(health)} (${ms(round.healthMaxMs)} ms)`
			],
			[`  GET /health: p95 · median (ms)${tag}`, `${ms(round.healthP95Ms)} · ${ms(round.healthMedianMs)}`, '—', '—'],
			[`  GET /health: samples · over ${SETTINGS.fig7HealthBudgetMs} ms · failed${tag}`, `${round.healthSamples} · ${round.healthOver100Ms} · ${round.healthFailures}`, '—', '—'],
			[`  server CPU meanwhile: main thread · whole process (ms)${tag}`, `${ms(round.serverMainThreadCpuMs, 0)} · ${ms(round.serverProcessCpuMs, 0)}`, '—', '—'],
			[`  other processes' CPU meanwhile (cores)${tag}`, fmt(round.otherCores, 2), 'noise, not Parley', '—']
		);
	}
	rows.push([`GET /health with nothing to read: median · max (ms)${tag}`, `${ms(f.idleHealthMedianMs)} · ${ms(f.idleHealthMaxMs)}`, '—', '—']);
	return rows;
}

if (
	printParleyTable(
		7,
		`7. Reading the text of a ${SETTINGS.fig7Pages}-page PDF (POST /api/files, then its meta polled every ${SETTINGS.fig7PollMs} ms until ready), ${SETTINGS.fig7Rounds} different PDFs`,
		figure7Rows
	)
) {
	console.log('  (the text is read in a worker thread; the main thread\'s CPU is what the event loop spent meanwhile, from /proc/<pid>/schedstat)');
}

/** Figure 8, one run: [figure, value, budget, within]. */
function figure8Rows(run, f) {
	const tag = RUNS > 1 ? ` (run ${run})` : '';
	const within = f.p95Ms < SETTINGS.fig8P95BudgetMs;
	const rows = [
		[`one search, p95 (ms), ${f.queries} queries${tag}`, fmt(f.p95Ms, 1), `< ${SETTINGS.fig8P95BudgetMs} ms`, `${yesNo(within)} (${fmt(f.p95Ms, 1)} ms)`],
		[`  p50 / max (ms)${tag}`, `${fmt(f.p50Ms, 1)} / ${fmt(f.maxMs, 1)}`, '—', '—'],
		[`  results a search, and the share the vector side found${tag}`, `${fmt(f.meanHits, 1)}, ${fmt(f.vectorShareOfHits * 100, 0)} %`, '—', '—']
	];
	if (f.builtNow) rows.push([`  building the ${f.chunks} chunks with their vectors (s)${tag}`, fmt(f.buildMs / 1000, 0), '—', '—']);
	return rows;
}

if (
	printParleyTable(
		8,
		`8. Hybrid knowledge search (FTS5 BM25 + vector index, fused) over ${SETTINGS.fig8Chunks} chunks of one agent, offline embedding, in process`,
		figure8Rows
	)
) {
	console.log('  (the database is kept in the system\'s temporary folder and reused while its shape is unchanged; building it takes minutes)');
}

/** Figure 9, one run: [figure, value, budget, within]. */
function figure9Rows(run, f) {
	const tag = RUNS > 1 ? ` (run ${run})` : '';
	const paintWithin = f.firstRowMedianMs < SETTINGS.fig9FirstRowBudgetMs;
	const elementsWithin = f.elementsMax < SETTINGS.fig9ElementsBudget;
	return [
		[`first sidebar chat painted, median (ms)${tag}`, fmt(f.firstRowMedianMs, 0), `< ${fmt(SETTINGS.fig9FirstRowBudgetMs, 0)} ms`, `${yesNo(paintWithin)} (${fmt(f.firstRowMedianMs, 0)} ms)`],
		[`  slowest of ${f.loads} loads (ms)${tag}`, fmt(f.firstRowMaxMs, 0), '—', '—'],
		[`elements in the page after load (worst load)${tag}`, String(f.elementsMax), `< ${fmt(SETTINGS.fig9ElementsBudget, 0)}`, `${yesNo(elementsWithin)} (${f.elementsMax})`],
		[`  chats in the sidebar after load${tag}`, `${f.rowsOnLoad} of ${f.tasks}`, '—', '—'],
		[`  after ${f.scrolls} pages scrolled in: chats · elements${tag}`, `${f.rowsAfterScrolls} · ${f.elementsAfterScrolls}`, '—', '—']
	];
}

printParleyTable(
	9,
	`9. The chat sidebar in Chromium — a user with ${SETTINGS.fig9Tasks} tasks opens /, ${SETTINGS.fig9Loads} loads in fresh browser contexts (after one not counted)`,
	figure9Rows
);

/** Figure 10, one run: [figure, Parley, direct, AI SDK in-process, Parley − direct, ratio, budget, within]. */
function figure10Rows(run, { modes }) {
	const tag = RUNS > 1 ? ` (run ${run})` : '';
	const rows = [];
	for (const [mode, out] of Object.entries(modes)) {
		const { parley: p, direct: d, sdk: s, offline: o } = out.ways;
		const compare = (name, field) => [
			name + tag,
			fmt(p[field], 2),
			fmt(d[field], 2),
			fmt(s[field], 2),
			`${signed(p[field] - d[field])} ms`,
			`${fmt(ratioOf(p[field], d[field]), 2)}×`,
			'figure only',
			'—'
		];
		const only = (name, pv, dv = '—', sv = '—') => [name + tag, pv, dv, sv, '—', '—', '—', '—'];
		rows.push(
			compare(`${MODES[mode].label}: first text-delta p50 (ms)`, 'firstTextP50Ms'),
			compare('  first text-delta p95 (ms)', 'firstTextP95Ms'),
			compare('  first byte p50 (ms)', 'firstByteP50Ms'),
			only('  text deltas per answer', fmt(p.textDeltasPerRequest, 0), fmt(d.textDeltasPerRequest, 0), fmt(s.textDeltasPerRequest, 0)),
			only('  Parley main-thread CPU per request, median (ms)', fmt(p.serverCpuMsPerRequest, 2)),
			only('  failed requests', `${p.errors}/${p.requests}`, `${d.errors}/${d.requests}`, `${s.errors}/${s.requests}`),
			only('  same server, offline agent: first text-delta p50 · p95 (ms)', `${fmt(o.firstTextP50Ms, 2)} · ${fmt(o.firstTextP95Ms, 2)}`),
			only('  same server, offline agent: main-thread CPU per request (ms)', fmt(o.serverCpuMsPerRequest, 2)),
			only('  same server, offline agent: failed requests', `${o.errors}/${o.requests}`),
			only(
				'  the provider path over the offline agent: first text-delta p50 · CPU (ms)',
				`${signed(p.firstTextP50Ms - o.firstTextP50Ms)} · ${signed(p.serverCpuMsPerRequest - o.serverCpuMsPerRequest)}`
			),
			only("  other processes' CPU meanwhile (cores)", fmt(out.cpu.otherCores, 2))
		);
	}
	return rows;
}

if (results[10].some((pair) => pair?.parley)) {
	const rows = results[10].flatMap((pair, index) => (pair?.parley ? figure10Rows(index + 1, pair.parley) : []));
	tables[10] = {
		title:
			`10. First text-delta over a fake OpenAI server that answers at once — ${SETTINGS.fig10Requests} sequential requests each way ` +
			`(round-robin, after ${SETTINGS.fig10WarmUp} untimed rounds), agent on openai:fake-model`,
		header: ['figure', 'Parley /api/chat', 'direct', 'AI SDK in-process', 'Parley − direct', 'ratio vs direct', 'budget', 'within budget?'],
		keys: ['name', 'parley', 'direct', 'sdk', 'overhead', 'ratio', 'budget', 'within'],
		rows,
		within: 7,
		leftFrom: 6
	};
	printTable(tables[10]);
	console.log(
		"  (direct = Parley's own request to the fake, replayed with node:http; AI SDK = streamText over createOpenAI({ baseURL }) in the bench process; " +
			'the fake runs in the bench process too; the offline agent is the seeded assistant on the offline model, MOCK_TOKEN_DELAY_MS=0)'
	);
	for (const [index, pair] of results[10].entries()) {
		for (const [mode, out] of Object.entries(pair?.parley?.modes ?? {})) {
			for (const [way, w] of Object.entries(out.ways)) {
				const run = RUNS > 1 ? `run ${index + 1} ` : '';
				if (w.warmUpError) console.log(`  ${run}${mode} ${way} failed during warm-up: ${w.warmUpError}`);
				const kinds = Object.entries(w.errorKinds);
				if (kinds.length > 0) console.log(`  ${run}${mode} ${way} errors: ${kinds.map(([k, n]) => `${n}× ${k}`).join('; ')}`);
			}
		}
	}
}

const budgetCells = Object.values(tables)
	.filter((table) => table.within !== undefined)
	.flatMap((table) => table.rows.map((row) => row[table.within]))
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
				Object.entries(tables).map(([id, table]) => [
					id,
					table.rows.map((row) => Object.fromEntries(table.keys.map((key, column) => [key, row[column]])))
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
