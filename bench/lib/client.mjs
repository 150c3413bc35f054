// The bench's HTTP client: one chat stream over node:http, timed at the moment each chunk of
// bytes arrives, and (for Parley) signed-in users to send the requests as.
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { randomBytes } from 'node:crypto';

/** A keep-alive agent with no cap on sockets: 500 concurrent streams get 500 connections. */
export function newAgent() {
	return new http.Agent({ keepAlive: true, maxSockets: Infinity, maxFreeSockets: 1024 });
}

/** A task id Parley accepts for a new task: 8–64 of [A-Za-z0-9_-]; `prefix` must avoid `_` and `%`. */
export function taskId(prefix, index) {
	return `${prefix}-${String(index).padStart(4, '0')}-${randomBytes(6).toString('hex')}`;
}

/** The `POST /api/chat` body for a new task with one user message (the baseline reads the same). */
export function chatBody(id, text) {
	return JSON.stringify({ id, messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text }] }] });
}

const TEXT_DELTA = 'data: {"type":"text-delta"';
const REASONING_DELTA = 'data: {"type":"reasoning-delta"';
const ERROR_CHUNK = 'data: {"type":"error"';

/**
 * POSTs one chat request and reads its SSE stream to the end. Times (ms, performance.now) are
 * taken when a chunk of bytes arrives; every event in that chunk shares its time.
 * `keepTimes` keeps the arrival time of each text delta (for gap statistics).
 */
export function streamChat({ url, headers = {}, body, agent, timeoutMs = 60_000, keepTimes = false, signal }) {
	return new Promise((resolveResult) => {
		const result = {
			status: 0,
			tStart: performance.now(),
			tHeaders: NaN,
			tFirstByte: NaN,
			tFirstText: NaN,
			tLastText: NaN,
			tEnd: NaN,
			textDeltas: 0,
			reasoningDeltas: 0,
			events: 0,
			bytes: 0,
			done: false,
			/** Cut by the caller's deadline (`signal`) before it ended. */
			cut: false,
			errorChunk: undefined,
			error: undefined,
			textTimes: keepTimes ? [] : undefined
		};
		let settled = false;
		const finish = (error) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			signal?.removeEventListener('abort', onAbort);
			result.tEnd = performance.now();
			if (error && !result.error) result.error = error;
			resolveResult(result);
		};
		const request = http.request(url, {
			method: 'POST',
			agent,
			headers: {
				'content-type': 'application/json',
				accept: 'text/event-stream',
				'content-length': Buffer.byteLength(body),
				...headers
			}
		});
		const timer = setTimeout(() => {
			request.destroy(new Error(`timeout after ${timeoutMs} ms`));
		}, timeoutMs);
		const onAbort = () => {
			result.cut = true;
			request.destroy(new Error('cut at the deadline'));
		};
		if (signal?.aborted) queueMicrotask(onAbort);
		else signal?.addEventListener('abort', onAbort, { once: true });
		request.on('error', (error) => finish(error.message));
		request.on('response', (response) => {
			result.status = response.statusCode;
			result.tHeaders = performance.now();
			if (response.statusCode !== 200) {
				let text = '';
				response.setEncoding('utf8');
				response.on('data', (chunk) => (text += chunk));
				response.on('end', () => finish(`HTTP ${response.statusCode}: ${text.slice(0, 200)}`));
				response.on('error', (error) => finish(error.message));
				return;
			}
			let pending = '';
			response.setEncoding('utf8');
			response.on('data', (chunk) => {
				const now = performance.now();
				if (result.bytes === 0) result.tFirstByte = now;
				result.bytes += chunk.length;
				pending += chunk;
				let end;
				while ((end = pending.indexOf('\n\n')) !== -1) {
					const block = pending.slice(0, end);
					pending = pending.slice(end + 2);
					if (!block.startsWith('data: ')) continue; // comments (keep-alive), other fields
					result.events++;
					if (block.startsWith(TEXT_DELTA)) {
						if (result.textDeltas === 0) result.tFirstText = now;
						result.textDeltas++;
						result.tLastText = now;
						if (result.textTimes) result.textTimes.push(now);
					} else if (block.startsWith(REASONING_DELTA)) {
						result.reasoningDeltas++;
					} else if (block === 'data: [DONE]') {
						result.done = true;
					} else if (block.startsWith(ERROR_CHUNK)) {
						try {
							result.errorChunk = JSON.parse(block.slice(6)).errorText ?? 'error';
						} catch {
							result.errorChunk = block.slice(6, 200);
						}
					}
				}
			});
			response.on('end', () => finish(result.done ? undefined : result.errorChunk ? undefined : 'stream ended without [DONE]'));
			response.on('error', (error) => finish(error.message));
			response.on('aborted', () => finish('response aborted'));
		});
		request.end(body);
	});
}

/**
 * Signs up a fresh user on a Parley server through the real form and returns request headers
 * (session cookie and same-site Origin) for `POST /api/chat`. With `timeoutMs`, a server that
 * has not answered by then fails the sign-up.
 */
export async function signUp(baseURL, email, password = 'correct horse battery staple', { timeoutMs } = {}) {
	const response = await fetch(`${baseURL}/signup`, {
		method: 'POST',
		headers: { origin: baseURL, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
		body: new URLSearchParams({ email, password }),
		redirect: 'manual',
		signal: timeoutMs ? AbortSignal.timeout(timeoutMs) : undefined
	});
	if (response.status !== 303) {
		throw new Error(`Sign-up failed with ${response.status}: ${(await response.text()).slice(0, 300)}`);
	}
	const cookie = response.headers
		.getSetCookie()
		.map((header) => header.split(';')[0])
		.find((pair) => pair.startsWith('parley_session='));
	if (!cookie) throw new Error('Sign-up set no parley_session cookie');
	return { cookie, origin: baseURL };
}
