// Figures 1 and 2 send their requests one at a time to Parley and to the baseline in turn, both
// servers running side by side, so that the machine's changes of speed (other work on shared
// cores, a virtual machine's stolen time) fall on both alike instead of on whichever ran second.
import { chatBody, streamChat, taskId } from './client.mjs';
import { loopDelaySnapshot } from './servers.mjs';
import { mainThreadCpuMs, startNoiseMeter } from './util.mjs';

/**
 * Sends `count` requests to each target of `targets` (by kind), one at a time, alternating which
 * kind goes first. `send(target, kind, index)` makes one request and resolves with its result.
 * Returns, by kind, every result with the server's main-thread CPU from its start to its end
 * (`/proc/<pid>/schedstat`), the server's event-loop delay over the whole, and the CPU other
 * processes used meanwhile (the same for every kind).
 */
async function alternate(targets, count, send, ticks) {
	const kinds = Object.keys(targets);
	for (const kind of kinds) await loopDelaySnapshot(targets[kind].server); // a fresh start for the probe
	const noise = startNoiseMeter(
		kinds.map((kind) => targets[kind].server.pid),
		ticks
	);
	const samples = Object.fromEntries(kinds.map((kind) => [kind, []]));
	for (let index = 0; index < count; index++) {
		for (const kind of index % 2 === 0 ? kinds : [...kinds].reverse()) {
			const pid = targets[kind].server.pid;
			const cpu0 = mainThreadCpuMs(pid);
			const result = await send(targets[kind], kind, index);
			samples[kind].push({ result, cpuMs: mainThreadCpuMs(pid) - cpu0 });
		}
	}
	const cpu = noise.stop();
	const out = {};
	for (const kind of kinds) out[kind] = { samples: samples[kind], cpu, loopDelay: await loopDelaySnapshot(targets[kind].server) };
	return out;
}

/**
 * {@link alternate} with `count` chat requests of `prompt` to each target, from the target's
 * signed-up users (`headersFor`), each on a new task (ids numbered after `prefix`).
 */
export async function alternateChats(targets, { prefix, count, prompt, ticks }) {
	const headers = {};
	for (const [kind, target] of Object.entries(targets)) headers[kind] = await target.headersFor(count);
	return alternate(
		targets,
		count,
		(target, kind, index) =>
			streamChat({ url: target.url, headers: headers[kind][index], body: chatBody(taskId(prefix, index), prompt), agent: target.agent }),
		ticks
	);
}
