// Figure 10: first-token overhead over a real wire format. A fake OpenAI server (the tests' own,
// tests/support/fake-providers, loaded into this process through tsx) answers every call at once
// with a short text in a few deltas. Parley is started against it (OPENAI_BASE_URL) with an agent
// on `openai:fake-model`, and the time from a request's start to its first text delta is taken
// four ways, one request at a time, round-robin (the starting way rotated every round):
//   - Parley: `POST /api/chat` (the UI message stream), as figure 1;
//   - direct: the very request Parley sent the fake (captured during the warm-up), replayed with
//     node:http and read as OpenAI's SSE — what calling the provider costs without Parley;
//   - AI SDK: `streamText` over `createOpenAI({ baseURL })` in this process, with the agent's
//     system prompt and the same question — what a bare AI SDK app on the same provider sees;
//   - offline: `POST /api/chat` to the same server's seeded `assistant` on the offline model
//     (MOCK_TOKEN_DELAY_MS=0) — Parley's own floor, so that what the provider path adds shows.
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { createClient } from '@libsql/client';
import { streamChat } from './client.mjs';
import { fmt, mainThreadCpuMs, median, percentile, ratioOf, signed, startNoiseMeter } from './util.mjs';

export const FAKE_MODEL = 'fake-model';
const AGENT_SLUG = 'bench-openai';
const SYSTEM_PROMPT = 'You are Parley, a helpful assistant. Answer clearly and concisely.';
const PROMPT = 'Hello there, how quickly does the first word arrive?';

/** The ways a request is sent, in the order of the first round. */
export const WAYS = ['parley', 'direct', 'sdk', 'offline'];

/** OpenAI API modes as Parley's OPENAI_API_MODE names them, with the fake that speaks each. */
export const MODES = {
	responses: { fake: 'openai-responses', label: 'Responses API' },
	chat: { fake: 'openai-chat', label: 'Chat Completions' }
};

/** Starts the fake OpenAI server for a mode, in this process (TypeScript, through tsx). */
export async function startFakeOpenAI(mode) {
	const { tsImport } = await import('tsx/esm/api');
	const { startFakeProvider } = await tsImport('../../tests/support/fake-providers/index.ts', import.meta.url);
	return startFakeProvider(MODES[mode].fake, { models: [FAKE_MODEL], apiKey: 'bench' });
}

/** What a Parley server needs to call the fake for `openai:` models. */
export function parleyEnv(mode, fake) {
	return { OPENAI_API_KEY: 'bench', OPENAI_BASE_URL: fake.baseURL, OPENAI_API_MODE: mode };
}

/** Adds the agent the figure chats with, straight into the server's SQLite file. */
async function insertAgent(dbPath) {
	const client = createClient({ url: `file:${dbPath}` });
	try {
		const now = Date.now();
		await client.execute({
			sql: 'INSERT INTO agents (slug, name, system_prompt, model, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
			args: [AGENT_SLUG, 'Bench OpenAI', SYSTEM_PROMPT, `openai:${FAKE_MODEL}`, now, now]
		});
	} finally {
		client.close();
	}
}

/** True when an SSE block of this mode carries answer text. */
function isTextDelta(mode, block) {
	if (mode === 'responses') return block.startsWith('event: response.output_text.delta\n');
	// Chat Completions: the first chunk has `"content":""` (the role); text chunks a non-empty string.
	const at = block.indexOf('"delta":{"content":"');
	return at !== -1 && block[at + 20] !== '"';
}

/**
 * POSTs one request straight to the fake and reads OpenAI's SSE to its end; times are taken when
 * a chunk of bytes arrives (as `streamChat` does for Parley).
 */
function streamDirect({ url, headers, body, agent, mode, timeoutMs = 15_000 }) {
	return new Promise((resolveResult) => {
		const result = { tStart: performance.now(), tFirstByte: NaN, tFirstText: NaN, tEnd: NaN, textDeltas: 0, error: undefined };
		let settled = false;
		const finish = (error) => {
			if (settled) return;
			settled = true;
			clearTimeout(timer);
			result.tEnd = performance.now();
			if (error && !result.error) result.error = error;
			resolveResult(result);
		};
		const request = http.request(url, {
			method: 'POST',
			agent,
			headers: { ...headers, 'content-length': Buffer.byteLength(body) }
		});
		const timer = setTimeout(() => request.destroy(new Error(`timeout after ${timeoutMs} ms`)), timeoutMs);
		request.on('error', (error) => finish(error.message));
		request.on('response', (response) => {
			response.setEncoding('utf8');
			if (response.statusCode !== 200) {
				let text = '';
				response.on('data', (chunk) => (text += chunk));
				response.on('end', () => finish(`HTTP ${response.statusCode}: ${text.slice(0, 200)}`));
				return;
			}
			let pending = '';
			response.on('data', (chunk) => {
				const now = performance.now();
				if (Number.isNaN(result.tFirstByte)) result.tFirstByte = now;
				pending += chunk;
				let end;
				while ((end = pending.indexOf('\n\n')) !== -1) {
					const block = pending.slice(0, end);
					pending = pending.slice(end + 2);
					if (isTextDelta(mode, block)) {
						if (result.textDeltas === 0) result.tFirstText = now;
						result.textDeltas++;
					}
				}
			});
			response.on('end', () => finish(result.textDeltas === 0 ? 'no text delta' : undefined));
			response.on('error', (error) => finish(error.message));
		});
		request.end(body);
	});
}

/** One `streamText` call over the fake in this process, timed at its first text-delta part. */
async function streamSdk({ streamText, model }) {
	const result = { tStart: performance.now(), tFirstByte: NaN, tFirstText: NaN, tEnd: NaN, textDeltas: 0, error: undefined };
	try {
		const stream = streamText({ model, system: SYSTEM_PROMPT, prompt: PROMPT, maxRetries: 0 });
		for await (const part of stream.fullStream) {
			if (part.type === 'text-delta' && part.text) {
				if (result.textDeltas === 0) result.tFirstText = performance.now();
				result.textDeltas++;
			} else if (part.type === 'error') {
				result.error = String(part.error?.message ?? part.error).slice(0, 200);
			}
		}
	} catch (error) {
		result.error = String(error?.message ?? error).slice(0, 200);
	}
	result.tEnd = performance.now();
	if (!result.error && result.textDeltas === 0) result.error = 'no text delta';
	return result;
}

const chatBody = (index, agentId) =>
	JSON.stringify({
		id: `f10-${String(index).padStart(4, '0')}-${randomBytes(6).toString('hex')}`,
		agentId,
		messages: [{ id: 'm1', role: 'user', parts: [{ type: 'text', text: PROMPT }] }]
	});

/**
 * Figure 10 for one API mode, on a started Parley `target` (see targets.mjs `openTarget`) whose
 * OPENAI_BASE_URL is `fake`. `warmUp` untimed rounds, then `requests` timed rounds; each round
 * sends one request each way.
 */
export async function figure10(target, fake, { mode, warmUp = 10, requests = 100, ticks = 100 }) {
	const { pid, baseURL, dbPath } = target.server;
	await insertAgent(dbPath);
	const headers = await target.headersFor(2 * (warmUp + requests));
	const [{ streamText }, { createOpenAI }] = await Promise.all([import('ai'), import('@ai-sdk/openai')]);
	const provider = createOpenAI({ apiKey: 'bench', baseURL: fake.baseURL });
	const model = mode === 'chat' ? provider.chat(FAKE_MODEL) : provider.responses(FAKE_MODEL);

	let sent = 0;
	let upstream; // Parley's request to the fake, replayed by `direct`
	const viaParley = async (agentId) => {
		const index = sent++;
		const cpu0 = mainThreadCpuMs(pid);
		const before = fake.modelRequests().length;
		const result = await streamChat({
			url: `${baseURL}/api/chat`,
			headers: headers[index],
			body: chatBody(index, agentId),
			agent: target.agent,
			timeoutMs: 15_000
		});
		result.serverCpuMs = mainThreadCpuMs(pid) - cpu0;
		if (result.errorChunk && !result.error) result.error = `error chunk: ${result.errorChunk}`;
		if (!result.error && result.textDeltas === 0) result.error = 'no text delta';
		upstream ??= fake
			.modelRequests()
			.slice(before)
			.find((request) => JSON.stringify(request.body ?? '').includes(PROMPT));
		return result;
	};
	const send = {
		parley: () => viaParley(AGENT_SLUG),
		offline: () => viaParley('assistant'),
		direct() {
			if (!upstream) return { error: "not sent: Parley's request to the fake was not seen" };
			return streamDirect({
				url: new URL(upstream.path, fake.baseURL).href,
				headers: { 'content-type': 'application/json', authorization: upstream.headers.authorization ?? '' },
				body: JSON.stringify(upstream.body),
				agent: target.agent,
				mode
			});
		},
		sdk: () => streamSdk({ streamText, model })
	};
	const rotated = (round) => WAYS.map((_, k) => WAYS[(round + k) % WAYS.length]);
	const failed = (result) => Boolean(result.error) || !Number.isFinite(result.tFirstText);

	const warmUpErrors = {};
	for (let round = 0; round < warmUp; round++) {
		for (const way of rotated(round)) {
			const result = await send[way]();
			if (failed(result)) warmUpErrors[way] = String(result.error ?? 'no text delta');
		}
	}

	const measured = Object.fromEntries(WAYS.map((way) => [way, { results: [], errors: 0, errorKinds: {} }]));
	const noise = startNoiseMeter(pid, ticks);
	for (let round = 0; round < requests; round++) {
		for (const way of rotated(round)) {
			const result = await send[way]();
			const bucket = measured[way];
			if (failed(result)) {
				bucket.errors++;
				const kind = String(result.error ?? 'no text delta').slice(0, 160);
				bucket.errorKinds[kind] = (bucket.errorKinds[kind] ?? 0) + 1;
			} else {
				bucket.results.push(result);
			}
		}
	}
	const cpu = noise.stop();

	const ways = {};
	for (const way of WAYS) {
		const { results, errors, errorKinds } = measured[way];
		const firstText = results.map((result) => result.tFirstText - result.tStart);
		const firstByte = results.map((result) => result.tFirstByte - result.tStart).filter(Number.isFinite);
		ways[way] = {
			requests,
			errors,
			errorKinds,
			warmUpError: warmUpErrors[way],
			firstTextP50Ms: median(firstText),
			firstTextP95Ms: percentile(firstText, 95),
			firstByteP50Ms: median(firstByte),
			textDeltasPerRequest: median(results.map((result) => result.textDeltas)),
			serverCpuMsPerRequest: results[0]?.serverCpuMs !== undefined ? median(results.map((result) => result.serverCpuMs)) : undefined,
			firstTextMs: firstText.map((value) => Math.round(value * 100) / 100)
		};
	}
	return {
		mode,
		fake: MODES[mode].fake,
		model: `openai:${FAKE_MODEL}`,
		warmUp,
		requests,
		/** Parley's request to the fake, as replayed by `direct` (its body, without the answer). */
		upstreamPath: upstream?.path,
		upstreamBody: upstream?.body,
		ways,
		overheadP50Ms: ways.parley.firstTextP50Ms - ways.direct.firstTextP50Ms,
		overheadP95Ms: ways.parley.firstTextP95Ms - ways.direct.firstTextP95Ms,
		cpu
	};
}

/** Figure 10's rows for one run (`tag` follows every name): [figure, Parley, direct, AI SDK in-process, Parley − direct, ratio, budget, within]. */
export function figure10Rows({ modes }, tag) {
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
