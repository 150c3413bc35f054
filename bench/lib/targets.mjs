// Targets for the figures that compare Parley with the bare AI SDK server: a started server plus
// how to send it chat requests, and the warm-up before measuring.
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chatBody, newAgent, signUp, streamChat, taskId } from './client.mjs';
import { startServer } from './servers.mjs';
import { sleep } from './util.mjs';

/** The short question of figures 1, 3–5 and of the warm-ups. */
export const SHORT_PROMPT = 'Hello there, how quickly does the first word arrive?';
/** The request for a long answer (several paragraphs) of figures 2–5. */
export const LONG_PROMPT = 'Please write a long answer about streaming';

/**
 * Starts a `kind` server (`parley` or `baseline`) with the offline model at `delayMs` a token.
 * With `profile`, each thread writes a CPU profile to `profileDir/<kind>/`. A Parley target signs
 * up a fresh user for every `requestsPerUser` requests. With `loopDelay`, the server loads the
 * event-loop delay probe (see `loopDelaySnapshot` in servers.mjs).
 */
export async function openTarget(kind, delayMs, { profile = false, profileDir, env, requestsPerUser, loopDelay = false }) {
	const nodeArgs = [];
	if (profile) {
		// One file per thread (the baseline's tsx loader has its own); the main thread's is the largest.
		const folder = join(profileDir, kind);
		rmSync(folder, { recursive: true, force: true });
		mkdirSync(folder, { recursive: true });
		nodeArgs.push('--cpu-prof', `--cpu-prof-dir=${folder}`);
	}
	let server;
	try {
		server = await startServer(kind, { delayMs, nodeArgs, env, loopDelay });
	} catch (error) {
		// A concurrent `npm run build` rewrites build/ for a few seconds: try once more before giving up.
		console.error(`(${error.message.split('\n')[0]} — retrying once in 5 s)`);
		await sleep(5000);
		server = await startServer(kind, { delayMs, nodeArgs, env, loopDelay });
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
			for (let index = 0; index < Math.ceil(count / requestsPerUser); index++) {
				const email = `bench-${++users}-${Math.random().toString(36).slice(2, 8)}@example.com`;
				sessions.push(await signUp(server.baseURL, email));
			}
			return Array.from({ length: count }, (_, index) => {
				const session = sessions[Math.floor(index / requestsPerUser)];
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
export async function warmUp(target, prefix, { concurrent }) {
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
