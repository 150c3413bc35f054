// Figure 11: cold start and memory at rest. A server is started on a brand-new database file (for
// Parley, migrations and the demo seeding run before it listens) and timed from the spawn to its
// first `GET /health` 200, then through a sign-up and a first short chat answer. Then it is
// started again in the same folder (Parley on the now-seeded database), left to settle, and its
// RSS read before and after a warm-up of short chat requests, and once more when it has been idle
// for a while. The baseline goes through the same two starts, without sign-up and database.
import { performance } from 'node:perf_hooks';
import { rmSync } from 'node:fs';
import { baselineRow, noiseRow } from './baseline-rows.mjs';
import { chatBody, newAgent, signUp, streamChat, taskId } from './client.mjs';
import { startServer } from './servers.mjs';
import { SHORT_PROMPT } from './targets.mjs';
import { cpuMs, fmt, idleRssKiB, machineBusyMs, ratioOf, sleep, statusKiB, yesNo } from './util.mjs';

/** VmRSS is in KiB; the figure's MB are 1,000,000 bytes. */
const mbOf = (kib) => (kib * 1024) / 1e6;

/**
 * Watches the machine from just before a spawn: `stop(pid)` returns how many cores other
 * processes kept busy meanwhile (the machine's busy time less the server's, whole life, and this
 * client's), as `startNoiseMeter` does for a running server.
 */
function spawnNoiseMeter(ticks) {
	const started = performance.now();
	const machine0 = machineBusyMs(ticks);
	const client0 = process.cpuUsage();
	return {
		stop(pid) {
			const wallMs = performance.now() - started;
			const server = cpuMs(pid, ticks);
			const clientUsage = process.cpuUsage(client0);
			const client = (clientUsage.user + clientUsage.system) / 1000;
			const other = Math.max(0, machineBusyMs(ticks) - machine0 - server - client);
			return { wallMs, serverCpuMs: server, clientCpuMs: client, otherCpuMs: other, otherCores: other / wallMs };
		}
	};
}

/**
 * Figure 11 on one kind of server ('parley' or 'baseline'): a cold start with its first answer,
 * then a second start in the same folder with its memory at rest and after `warmUpRequests`
 * short chat requests. Each server is stopped before the next step; the folder is removed at the
 * end. Throws when a server does not start or answer within `timeoutMs`.
 */
export async function figure11(kind, prefix, { warmUpRequests, settleMs, idleMs, healthPollMs, timeoutMs, ticks }) {
	const start = (folder) => startServer(kind, { delayMs: 0, folder, pollMs: healthPollMs, ticks });
	const signUpOn = (server, user) =>
		signUp(server.baseURL, `${prefix}-${user}-${Math.random().toString(36).slice(2, 8)}@example.com`, undefined, { timeoutMs });
	const ask = (server, agent, headers, index) =>
		streamChat({
			url: kind === 'parley' ? `${server.baseURL}/api/chat` : `${server.baseURL}/`,
			headers,
			body: chatBody(taskId(prefix, index), SHORT_PROMPT),
			agent,
			timeoutMs
		});
	const failed = (result) => result.error ?? result.errorChunk ?? (result.textDeltas > 0 ? undefined : 'no text');
	let folder;
	try {
		// 1. Cold: spawn → /health → (Parley: sign-up) → the first answer, one step straight after the other.
		const coldNoise = spawnNoiseMeter(ticks);
		const first = await start(undefined);
		folder = first.folder;
		let cold;
		{
			const agent = newAgent();
			try {
				const signUpStarted = performance.now();
				const headers = kind === 'parley' ? await signUpOn(first, 'cold') : {};
				const signUpMs = kind === 'parley' ? performance.now() - signUpStarted : NaN;
				const answer = await ask(first, agent, headers, 0);
				const error = failed(answer);
				if (error) throw new Error(`The ${kind} server's first chat answer failed: ${error}\n${first.output()}`);
				const { spawnedAt, healthAt, healthMs, cpuAtHealthMs } = first.startup;
				cold = {
					healthMs,
					cpuAtHealthMs,
					signUpMs,
					answerMs: answer.tEnd - answer.tStart,
					healthToAnswerMs: answer.tEnd - healthAt,
					totalMs: answer.tEnd - spawnedAt,
					cpuAtAnswerMs: cpuMs(first.pid, ticks),
					cpu: coldNoise.stop(first.pid)
				};
			} finally {
				agent.destroy();
				await first.stop({ keepFolder: true });
			}
		}

		// 2. Again in the same folder (Parley: the database is migrated and seeded): memory at rest.
		const restNoise = spawnNoiseMeter(ticks);
		const second = await start(folder);
		let rest;
		{
			const agent = newAgent();
			try {
				const { healthMs, cpuAtHealthMs } = second.startup;
				await sleep(settleMs);
				const atRestKiB = await idleRssKiB(second.pid);
				const headers = kind === 'parley' ? await signUpOn(second, 'rest') : {};
				const errors = [];
				for (let index = 1; index <= warmUpRequests; index++) {
					const error = failed(await ask(second, agent, headers, index));
					if (error) errors.push(error);
				}
				const lastRequestAt = performance.now();
				await sleep(settleMs);
				const afterWarmUpKiB = await idleRssKiB(second.pid);
				await sleep(Math.max(0, idleMs - (performance.now() - lastRequestAt)));
				const idleKiB = await idleRssKiB(second.pid);
				// File-backed pages (the node binary, shared libraries): shared with other node processes.
				const fileKiB = statusKiB(second.pid, 'RssFile');
				rest = {
					healthMs,
					cpuAtHealthMs,
					atRestKiB,
					afterWarmUpKiB,
					idleKiB,
					fileKiB,
					requests: warmUpRequests,
					errors: errors.length,
					firstError: errors[0],
					cpuAfterWarmUpMs: cpuMs(second.pid, ticks),
					cpu: restNoise.stop(second.pid)
				};
			} finally {
				agent.destroy();
				await second.stop();
			}
		}
		// The noisier of the two steps stands for the run.
		return { cold, rest, cpu: cold.cpu.otherCores >= rest.cpu.otherCores ? cold.cpu : rest.cpu };
	} finally {
		if (folder) rmSync(folder, { recursive: true, force: true });
	}
}

/** Figure 11's rows for one run: Parley's values `p` beside the baseline's `b`. */
export function figure11Rows(p, b, tag, settings) {
	const row = baselineRow(tag);
	/** A row with Parley's value only. */
	const only = (name, value, digits, budget = '—', within = '—') => [name + tag, fmt(value, digits), '—', '—', budget, within];
	const healthBudget = settings.fig11HealthBudgetMs;
	const answerBudget = settings.fig11FirstAnswerBudgetMs;
	const rssBudget = settings.fig11RssBudgetMB;
	const parleyRss = mbOf(p.rest.idleKiB);
	return [
		row(
			'new database: spawn → first /health 200 (ms), migrations + seeding',
			p.cold.healthMs,
			b.cold.healthMs,
			0,
			`< ${fmt(healthBudget / 1000, 0)} s`,
			`${yesNo(p.cold.healthMs < healthBudget)} (${fmt(p.cold.healthMs, 0)} ms)`
		),
		only('  then sign-up through /signup (ms)', p.cold.signUpMs, 0),
		row('  then first chat answer, request → end of stream (ms)', p.cold.answerMs, b.cold.answerMs, 0, '—', '—'),
		row(
			'  /health 200 → first chat answer complete (ms)',
			p.cold.healthToAnswerMs,
			b.cold.healthToAnswerMs,
			0,
			`< ${fmt(answerBudget / 1000, 0)} s`,
			`${yesNo(p.cold.healthToAnswerMs < answerBudget)} (${fmt(p.cold.healthToAnswerMs, 0)} ms)`
		),
		row('  spawn → first chat answer complete, total (ms)', p.cold.totalMs, b.cold.totalMs, 0, 'figure only', '—'),
		row('  server CPU at the first /health 200 (ms)', p.cold.cpuAtHealthMs, b.cold.cpuAtHealthMs, 0, 'figure only', '—'),
		row('  server CPU at the first answer (ms)', p.cold.cpuAtAnswerMs, b.cold.cpuAtAnswerMs, 0, '—', '—'),
		row('second start, seeded database: spawn → /health 200 (ms)', p.rest.healthMs, b.rest.healthMs, 0, 'figure only', '—'),
		row('  server CPU at the first /health 200 (ms)', p.rest.cpuAtHealthMs, b.rest.cpuAtHealthMs, 0, 'figure only', '—'),
		row(
			`  RSS at rest, ${fmt(settings.fig11SettleMs / 1000, 0)} s after /health (MB)`,
			mbOf(p.rest.atRestKiB),
			mbOf(b.rest.atRestKiB),
			1,
			'figure only',
			'—'
		),
		row(
			`  RSS after ${p.rest.requests} short chat requests, then ${fmt(settings.fig11SettleMs / 1000, 0)} s (MB)`,
			mbOf(p.rest.afterWarmUpKiB),
			mbOf(b.rest.afterWarmUpKiB),
			1,
			'figure only',
			'—'
		),
		row(
			`  RSS idle, ${fmt(settings.fig11IdleMs / 1000, 0)} s after the last of them (MB)`,
			parleyRss,
			mbOf(b.rest.idleKiB),
			1,
			`≤ ${rssBudget} MB (ratio: figure only)`,
			`${yesNo(parleyRss <= rssBudget)} (${fmt(parleyRss, 1)} MB, ${fmt(ratioOf(parleyRss, mbOf(b.rest.idleKiB)), 2)}×)`
		),
		row('    of which file-backed, RssFile (MB)', mbOf(p.rest.fileKiB), mbOf(b.rest.fileKiB), 1, '—', '—'),
		row('  server CPU after them, whole life (ms)', p.rest.cpuAfterWarmUpMs, b.rest.cpuAfterWarmUpMs, 0, '—', '—'),
		row('  failed chat requests', p.rest.errors, b.rest.errors, 0, '0', yesNo(p.rest.errors === 0), { ratio: false }),
		noiseRow(row, p, b)
	];
}
