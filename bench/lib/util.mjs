// Small helpers shared by the bench: paths, statistics, /proc readings.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

export const sleep = (ms) => new Promise((wake) => setTimeout(wake, ms));

/** Nearest-rank percentile (p in 0..100) of an unsorted list; NaN when empty. */
export function percentile(values, p) {
	if (values.length === 0) return NaN;
	const sorted = Float64Array.from(values).sort();
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export const median = (values) => percentile(values, 50);

/** The largest value of a list of any length (no spreading into arguments); NaN when empty. */
export function maxOf(values) {
	let max = NaN;
	for (const value of values) if (!(value <= max)) max = value;
	return max;
}
export const sum = (values) => values.reduce((total, value) => total + value, 0);

/** Resident set size of a process in KiB (VmRSS), or NaN when it cannot be read. */
export function rssKiB(pid) {
	try {
		const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) : NaN;
	} catch {
		return NaN;
	}
}

/** A `kB` field of /proc/<pid>/status (`VmRSS`, `RssFile`, …) in KiB, or NaN when it cannot be read. */
export function statusKiB(pid, field) {
	try {
		const match = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
		return match ? Number(match[1]) : NaN;
	} catch {
		return NaN;
	}
}

/** User + system CPU time of a process in milliseconds (from /proc/<pid>/stat), or NaN. */
export function cpuMs(pid, ticksPerSecond = 100) {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		// Fields after the command name, which is in parentheses and may contain spaces.
		const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		const utime = Number(fields[11]);
		const stime = Number(fields[12]);
		return ((utime + stime) * 1000) / ticksPerSecond;
	} catch {
		return NaN;
	}
}

/** Samples a process's RSS every `everyMs` until stopped; returns the samples and the peak. */
export function startRssSampler(pid, everyMs = 100) {
	const samples = [];
	const take = () => {
		const value = rssKiB(pid);
		if (Number.isFinite(value)) samples.push(value);
	};
	take();
	const timer = setInterval(take, everyMs);
	return {
		stop() {
			clearInterval(timer);
			take();
			return { samples: samples.length, peakKiB: maxOf(samples), lastKiB: samples.at(-1) };
		}
	};
}

/** RSS of an idle process: the median of a few samples a little apart. */
export async function idleRssKiB(pid, count = 5, everyMs = 100) {
	const values = [];
	for (let index = 0; index < count; index++) {
		values.push(rssKiB(pid));
		await sleep(everyMs);
	}
	return median(values.filter(Number.isFinite));
}

/** Rounds for printing. */
export function fmt(value, digits = 1) {
	if (value === undefined || value === null) return 'n/a';
	if (typeof value === 'string') return value;
	if (!Number.isFinite(value)) return 'n/a';
	return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** CPU time (ms) all cores spent busy since boot, from /proc/stat; NaN when unreadable. */
export function machineBusyMs(ticksPerSecond = 100) {
	try {
		const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
		const total = fields.slice(0, 8).reduce((a, b) => a + b, 0); // user..steal (guest is inside user)
		const idle = fields[3] + (fields[4] ?? 0);
		return ((total - idle) * 1000) / ticksPerSecond;
	} catch {
		return NaN;
	}
}

/**
 * Watches how busy the machine is while something is measured: the server's CPU (of one pid, or
 * the sum of several), this client's CPU, and the rest (other processes — noise). `stop()`
 * returns milliseconds and cores.
 */
export function startNoiseMeter(serverPid, ticksPerSecond = 100) {
	const pids = [serverPid].flat();
	const serversMs = () => pids.reduce((total, pid) => total + cpuMs(pid, ticksPerSecond), 0);
	const started = performance.now();
	const machine0 = machineBusyMs(ticksPerSecond);
	const server0 = serversMs();
	const client0 = process.cpuUsage();
	return {
		stop() {
			const wallMs = performance.now() - started;
			const machine = machineBusyMs(ticksPerSecond) - machine0;
			const server = serversMs() - server0;
			const clientUsage = process.cpuUsage(client0);
			const client = (clientUsage.user + clientUsage.system) / 1000;
			const other = Math.max(0, machine - server - client);
			return {
				wallMs,
				serverCpuMs: server,
				clientCpuMs: client,
				otherCpuMs: other,
				/** Average cores used by other processes during the measurement. */
				otherCores: other / wallMs
			};
		}
	};
}

/**
 * CPU time (ms, ns-precise) of a process's main thread — the JS event loop — from
 * /proc/<pid>/schedstat; NaN when unreadable. Precise enough to attribute per request.
 */
export function mainThreadCpuMs(pid) {
	try {
		return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
	} catch {
		return NaN;
	}
}

/** A budget check as a table cell: `yes`, `NO`, or `—` when there is nothing to check. */
export const yesNo = (ok) => (ok === undefined ? '—' : ok ? 'yes' : 'NO');

/** Parley's value over the baseline's; NaN when either is missing or the baseline is 0. */
export const ratioOf = (parley, baseline) =>
	Number.isFinite(parley) && Number.isFinite(baseline) && baseline > 0 ? parley / baseline : NaN;

/** A difference with its sign, `+1.23` / `-0.50`, or `n/a`. */
export const signed = (value, digits = 2) => (Number.isFinite(value) ? `${value >= 0 ? '+' : ''}${fmt(value, digits)}` : 'n/a');
