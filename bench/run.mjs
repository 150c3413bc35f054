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
//   npm run bench -- --runs 1 --only 11       # cold start on a new database, memory at rest
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { chromiumPath } from '../tests/support/chromium.mjs';
import { figure6, figure6Rows } from './lib/chat-page.mjs';
import { concurrentStreams, figure3Rows, figure4Rows } from './lib/concurrent-streams.mjs';
import { figure7, figure7Rows } from './lib/extraction.mjs';
import { figure11, figure11Rows } from './lib/cold-start.mjs';
import { FACES } from './lib/faces.mjs';
import { figure1, figure1Rows } from './lib/first-text.mjs';
import { figure8, figure8Rows } from './lib/knowledge.mjs';
import { figure5, figure5Notes, figure5Rows } from './lib/protocol-faces.mjs';
import { figure10, figure10Rows, parleyEnv, startFakeOpenAI } from './lib/provider-overhead.mjs';
import { liveServers } from './lib/servers.mjs';
import { figure9, figure9Rows } from './lib/sidebar.mjs';
import { openTarget, warmUp } from './lib/targets.mjs';
import { figure2, figure2Rows } from './lib/throughput.mjs';
import { fmt, maxOf, ratioOf, ROOT, signed } from './lib/util.mjs';

// ---------------------------------------------------------------------------------------------
// Settings

const { values: flags } = parseArgs({
	options: {
		runs: { type: 'string', default: '2' },
		only: { type: 'string', default: '1,2,3,4,5,6,7,8,9,10,11' },
		profile: { type: 'boolean', default: false },
		help: { type: 'boolean', short: 'h', default: false }
	}
});
if (flags.help) {
	console.log('usage: npm run bench [-- --runs N] [--only 1,2,3,4,5,6,7,8,9,10,11] [--profile]');
	process.exit(0);
}

const RUNS = Math.min(5, Math.max(1, Number(flags.runs) || 2));
const ONLY = new Set(flags.only.split(',').map((value) => Number(value.trim())));
const SETTINGS = {
	fig1Requests: 100,
	fig2Streams: 300,
	fig3Streams: 200,
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
	fig10RateLimitPerMinute: 100_000,
	/** Figure 11: `GET /health` is polled this often while a server starts (the resolution of its times)… */
	fig11HealthPollMs: 10,
	/** …the server left alone this long before its RSS is read (at rest, and after the warm-up)… */
	fig11SettleMs: 1000,
	/** …the short chat requests of the warm-up, on the second start… */
	fig11WarmUpRequests: 20,
	/**
	 * …how long after the warm-up's last request the RSS is read again, the server left idle: long
	 * enough for V8's memory reducer (it starts 8 s after a burst of work) to give back the young
	 * generation grown for the requests…
	 */
	fig11IdleMs: 15_000,
	/** …and a sign-up or a chat request that takes longer than this stops the bench (a start has 30 s). */
	fig11TimeoutMs: 30_000,
	/** Figure 11 budgets: a new database answers /health within this long of the spawn… */
	fig11HealthBudgetMs: 1000,
	/** …the first chat answer (sign-up included) is complete this long after that… */
	fig11FirstAnswerBudgetMs: 1000,
	/** …and the RSS the server idles at after the warm-up, in MB of 1,000,000 bytes. */
	fig11RssBudgetMB: 120
};
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
// Running everything

const KINDS = ['parley', 'baseline'];
/** results[figure][run][kind] */
const results = { 1: [], 2: [], 3: [], 4: [], 5: [], 6: [], 7: [], 8: [], 9: [], 10: [], 11: [] };
const elapsed = () => `${((Date.now() - benchStarted) / 1000).toFixed(0)} s`;

async function session(kind, delayMs, work, options) {
	const target = await openTarget(kind, delayMs, { ...options, profileDir: PROFILE_DIR, requestsPerUser: SETTINGS.requestsPerUser });
	try {
		return await work(target);
	} finally {
		await target.close();
	}
}

try {
	if (ONLY.has(1) || ONLY.has(2)) {
		for (let run = 1; run <= RUNS; run++) {
			// Both servers run side by side and take the requests in turn (see lib/alternate.mjs).
			const targets = {};
			try {
				for (const kind of KINDS) {
					targets[kind] = await openTarget(kind, 0, {
						profileDir: PROFILE_DIR,
						requestsPerUser: SETTINGS.requestsPerUser,
						loopDelay: true
					});
				}
				for (const kind of KINDS) await warmUp(targets[kind], `w12-r${run}`, { concurrent: false });
				const figures = {};
				if (ONLY.has(1)) figures[1] = await figure1(targets, `f1-r${run}`, { requests: SETTINGS.fig1Requests, ticks: TICKS });
				if (ONLY.has(2)) figures[2] = await figure2(targets, `f2-r${run}`, { streams: SETTINGS.fig2Streams, ticks: TICKS });
				for (const kind of KINDS) {
					for (const figure of [1, 2]) {
						if (figures[figure]) (results[figure][run - 1] ??= {})[kind] = figures[figure][kind];
					}
					const own = { 1: figures[1]?.[kind], 2: figures[2]?.[kind] };
					console.log(
						`[${elapsed()}] run ${run} ${kind}: ` +
							(own[1] ? `first text-delta median ${fmt(own[1].firstTextMedianMs, 2)} ms; ` : '') +
							(own[2] ? `${fmt(own[2].deltasPerSecond, 0)} text deltas/s; ` : '') +
							`other processes used ${fmt((own[1] ?? own[2]).cpu.otherCores, 2)} cores`
					);
				}
			} finally {
				for (const target of Object.values(targets)) await target.close();
			}
		}
	}
	if (ONLY.has(5)) {
		for (let run = 1; run <= RUNS; run++) {
			const started = Date.now();
			const out = await session('parley', 0, (target) => figure5(target, { settings: SETTINGS, ticks: TICKS }), {
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
						(target) => figure10(target, fake, { mode, warmUp: SETTINGS.fig10WarmUp, requests: SETTINGS.fig10Requests, ticks: TICKS }),
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
	if (ONLY.has(11)) {
		for (let run = 1; run <= RUNS; run++) {
			for (const kind of KINDS) {
				const out = await figure11(kind, `bench-f11-r${run}`, {
					warmUpRequests: SETTINGS.fig11WarmUpRequests,
					settleMs: SETTINGS.fig11SettleMs,
					idleMs: SETTINGS.fig11IdleMs,
					healthPollMs: SETTINGS.fig11HealthPollMs,
					timeoutMs: SETTINGS.fig11TimeoutMs,
					ticks: TICKS
				});
				(results[11][run - 1] ??= {})[kind] = out;
				console.log(
					`[${elapsed()}] figure 11 run ${run} ${kind}: new database /health at ${fmt(out.cold.healthMs, 0)} ms, ` +
						`first answer at ${fmt(out.cold.totalMs, 0)} ms; seeded /health at ${fmt(out.rest.healthMs, 0)} ms; ` +
						`RSS ${fmt(out.rest.atRestKiB / 1024, 0)} MiB at rest, ${fmt(out.rest.afterWarmUpKiB / 1024, 0)} MiB after the warm-up, ` +
						`${fmt(out.rest.idleKiB / 1024, 0)} MiB idle; ` +
						`other processes used ${fmt(out.cpu.otherCores, 2)} cores`
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
						return concurrentStreams(target, `f${figure}-r${run}`, count, deadlineMs, { ticks: TICKS });
					},
					{ profile, loopDelay: true }
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

/** ` (run 2)` after every row's name when there are several runs, else nothing. */
const tagOf = (run) => (RUNS > 1 ? ` (run ${run})` : '');
/** The rows of the figures measured on Parley and on the baseline. */
const FIGURE_ROWS = { 1: figure1Rows, 2: figure2Rows, 3: figure3Rows, 4: figure4Rows };
const FIGURE_HEADER = ['figure', 'parley', 'baseline', 'ratio', 'budget', 'within budget?'];
const FIGURE_KEYS = ['name', 'parley', 'baseline', 'ratio', 'budget', 'within'];

/** Prints a table; the first column and those from `leftFrom` on are left-aligned, numbers right. */
function printTable({ title, header, rows, leftFrom }) {
	const all = [header, ...rows];
	const widths = header.map((_, column) => Math.max(...all.map((row) => String(row[column]).length)));
	const line = (row) =>
		row
			.map((cell, column) =>
				column === 0 || column >= leftFrom ? String(cell).padEnd(widths[column]) : String(cell).padStart(widths[column])
			)
			.join(' | ');
	console.log(`\n${title}`);
	console.log(line(header));
	console.log(widths.map((width) => '-'.repeat(width)).join('-|-'));
	for (const row of rows) console.log(line(row));
}

const TITLES = {
	1: `1. First text-delta latency — ${SETTINGS.fig1Requests} sequential requests, MOCK_TOKEN_DELAY_MS=0`,
	2: `2. Throughput — ${SETTINGS.fig2Streams} sequential long-answer streams, MOCK_TOKEN_DELAY_MS=0`,
	3: `3. ${SETTINGS.fig3Streams} concurrent long-answer streams, MOCK_TOKEN_DELAY_MS=${SETTINGS.concurrentDelayMs}`,
	4: `4. ${SETTINGS.fig4Streams} concurrent long-answer streams, MOCK_TOKEN_DELAY_MS=${SETTINGS.concurrentDelayMs}`,
	5: `5. Public protocol faces vs the app's UI stream — one Parley server, one API key, ${SETTINGS.fig5Rounds} short requests per face (round-robin), MOCK_TOKEN_DELAY_MS=0`,
	'5-throughput': `5. (cont.) Throughput — ${SETTINGS.fig5LongRounds} sequential long-answer streams per face (round-robin), MOCK_TOKEN_DELAY_MS=0`
};
const LOOP_DELAY_NOTE =
	"event-loop delay = each server's main thread over the measured phase, monitorEventLoopDelay at 10 ms resolution, the lateness of its timer";
/** What the CPU and event-loop rows of figures 1–4 are, printed under their tables. */
const NOTES = {
	1: `  (server CPU = the main thread, /proc/<pid>/schedstat, from a request's start to the end of its stream, median; ${LOOP_DELAY_NOTE})`,
	2: `  (server CPU = the main thread, /proc/<pid>/schedstat, from a stream's start to its end, median; ${LOOP_DELAY_NOTE})`,
	3: `  (server CPU = the whole process over the burst, utime + stime from /proc/<pid>/stat, ÷ streams; ${LOOP_DELAY_NOTE})`
};
NOTES[4] = NOTES[3];
/** tables[id] = {title, header, keys (for the JSON), rows, within (column), leftFrom}. */
const tables = {};
for (const figure of [1, 2, 3, 4]) {
	const rows = [];
	results[figure].forEach((pair, index) => {
		if (pair?.parley && pair?.baseline) rows.push(...FIGURE_ROWS[figure](pair.parley, pair.baseline, tagOf(index + 1)));
	});
	if (rows.length === 0) continue;
	tables[figure] = { title: TITLES[figure], header: FIGURE_HEADER, keys: FIGURE_KEYS, rows, within: 5, leftFrom: 4 };
	printTable(tables[figure]);
	console.log(NOTES[figure]);
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
		const rows = figure5Rows(pair.parley, tagOf(index + 1), SETTINGS);
		latency.push(...rows.latency);
		throughput.push(...rows.throughput);
		notes.push(...figure5Notes(pair.parley, RUNS > 1 ? `run ${index + 1} ` : '', SETTINGS));
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
		keys: [
			'face',
			'deltasPerSecond',
			'deltasPerSecondFromStart',
			'ratio',
			'pairedRatioMedian',
			'deltasPerStream',
			'kibPerStream',
			'serverCpuMsPerStream',
			'clientCpuMsPerStream',
			'budget',
			'within'
		],
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

/**
 * Prints the table of a figure measured on Parley alone (no baseline): the rows of every run,
 * from `rowsOf(figure, tag, SETTINGS)`. Returns false when the figure was not run.
 */
function printParleyTable(figure, title, rowsOf) {
	if (!results[figure].some((pair) => pair?.parley)) return false;
	const rows = results[figure].flatMap((pair, index) => (pair?.parley ? rowsOf(pair.parley, tagOf(index + 1), SETTINGS) : []));
	tables[figure] = {
		title,
		header: ['figure', 'value', 'budget', 'within budget?'],
		keys: ['name', 'value', 'budget', 'within'],
		rows,
		within: 3,
		leftFrom: 2
	};
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

if (
	printParleyTable(
		7,
		`7. Reading the text of a ${SETTINGS.fig7Pages}-page PDF (POST /api/files, then its meta polled every ${SETTINGS.fig7PollMs} ms until ready), ${SETTINGS.fig7Rounds} different PDFs`,
		figure7Rows
	)
) {
	console.log(
		"  (the text is read in a worker thread; the main thread's CPU is what the event loop spent meanwhile, from /proc/<pid>/schedstat)"
	);
}

if (
	printParleyTable(
		8,
		`8. Hybrid knowledge search (FTS5 BM25 + vector index, fused) over ${SETTINGS.fig8Chunks} chunks of one agent, offline embedding, in process`,
		figure8Rows
	)
) {
	console.log(
		"  (the database is kept in the system's temporary folder and reused while its shape is unchanged; building it takes minutes)"
	);
}

printParleyTable(
	9,
	`9. The chat sidebar in Chromium — a user with ${SETTINGS.fig9Tasks} tasks opens /, ${SETTINGS.fig9Loads} loads in fresh browser contexts (after one not counted)`,
	figure9Rows
);

if (results[10].some((pair) => pair?.parley)) {
	const rows = results[10].flatMap((pair, index) => (pair?.parley ? figure10Rows(pair.parley, tagOf(index + 1)) : []));
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

if (results[11].some((pair) => pair?.parley && pair?.baseline)) {
	const rows = results[11].flatMap((pair, index) =>
		pair?.parley && pair?.baseline ? figure11Rows(pair.parley, pair.baseline, tagOf(index + 1), SETTINGS) : []
	);
	tables[11] = {
		title:
			`11. Cold start and memory at rest — a new database: spawn → /health → sign-up → first short answer; ` +
			`then a second start on it, RSS at rest, after ${SETTINGS.fig11WarmUpRequests} short chat requests and idle, MOCK_TOKEN_DELAY_MS=0`,
		header: FIGURE_HEADER,
		keys: FIGURE_KEYS,
		rows,
		within: 5,
		leftFrom: 4
	};
	printTable(tables[11]);
	console.log(
		`  (/health polled every ${SETTINGS.fig11HealthPollMs} ms from the spawn; server CPU = utime + stime of the whole process from /proc/<pid>/stat, ` +
			`in ${fmt(1000 / TICKS, 0)} ms ticks; RSS = VmRSS, median of 5 readings 100 ms apart; MB = 1,000,000 bytes; ` +
			'the baseline has no sign-up and no database, and its second start is like its first)'
	);
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
