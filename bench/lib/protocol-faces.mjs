// Figure 5: the public protocol faces (agent API, /v1/chat/completions, assistant transport…)
// against the app's own UI stream, all on one Parley server with one API key.
import { signUp } from './client.mjs';
import { createKey, FACES, streamFace } from './faces.mjs';
import { SHORT_PROMPT, LONG_PROMPT } from './targets.mjs';
import { fmt, mainThreadCpuMs, median, percentile, ratioOf, signed, startNoiseMeter, sum, yesNo } from './util.mjs';

/**
 * Figure 5: the public protocol faces against the app's own UI stream, all on ONE Parley server
 * (same runtime, MOCK_TOKEN_DELAY_MS=0), all with one API key. Short requests go round-robin over
 * the faces (the starting face rotates every round) so that noise hits all faces alike; then
 * long-answer streams, round-robin likewise. Per request the server's main-thread CPU is read from
 * /proc/<pid>/schedstat (ns-precise), so each face's cost shows beside its times.
 */
export async function figure5(target, { settings, ticks }) {
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
			timeoutMs: settings.fig5TimeoutMs,
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
	const tally = () => Object.fromEntries(FACES.map((face) => [face.id, { results: [], errors: 0, errorKinds: {} }]));
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
	const shortNoise = startNoiseMeter(pid, ticks);
	let shortRounds = 0;
	for (let started = performance.now(); shortRounds < settings.fig5Rounds;) {
		for (const face of rotated(shortRounds)) record(short[face.id], await measure(face, SHORT_PROMPT));
		shortRounds++;
		if (performance.now() - started > settings.fig5PhaseCapMs) break;
	}
	const shortCpu = shortNoise.stop();
	phaseDone('shortMs');

	// Long answers: text deltas per second within each stream (as figure 2).
	// Each stream's rate is also paired with the UI stream's of the same round: the median of those
	// ratios shrugs off a stream slowed by other processes better than the pooled figure does.
	const long = tally();
	const rates = FACES.map(() => []); // rates[face][round], NaN when that stream failed
	const longNoise = startNoiseMeter(pid, ticks);
	let longRounds = 0;
	for (let started = performance.now(); longRounds < settings.fig5LongRounds;) {
		const round = longRounds++;
		for (const face of rotated(round)) {
			let result = await measure(face, LONG_PROMPT);
			if (result.textDeltas < 2 && !result.error) result = { ...result, error: 'fewer than 2 text deltas' };
			record(long[face.id], result);
			rates[FACES.indexOf(face)][round] = failed(result) ? NaN : (result.textDeltas / (result.tLastText - result.tFirstText)) * 1000;
		}
		if (performance.now() - started > settings.fig5PhaseCapMs) break;
	}
	const longCpu = longNoise.stop();
	phaseDone('longMs');
	const uiRates = rates[FACES.findIndex((face) => face.id === 'ui')];
	const pairedRatio = (faceIndex) => median(rates[faceIndex].map((rate, round) => rate / uiRates[round]).filter(Number.isFinite));

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

const withP90 = (medianMs, p90Ms) => `${fmt(medianMs, 2)} (${fmt(p90Ms, 2)})`;

/** Figure 5, one run: the latency table's rows and the throughput table's rows. */
export function figure5Rows({ faces }, tag, settings) {
	const ui = faces.ui;
	const budgetMs = settings.fig5FirstByteBudgetMs;
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
			face.id === 'ui' ? 'reference' : budgeted ? `≥ ${fmt(settings.fig5ThroughputRatio, 2)}× UI stream` : 'figure only',
			budgeted ? `${yesNo(ratio >= settings.fig5ThroughputRatio && f.longErrors === 0)} (${fmt(ratio, 2)}×)` : '—'
		];
	});
	return { latency, throughput };
}

/** Figure 5's notes for one run (`run` is `run 2 ` when there are several, else empty): phases cut short, noise, errors. */
export function figure5Notes(out, run, settings) {
	const notes = [];
	const { shortCpu, longCpu, faces, shortRounds, longRounds } = out;
	if (shortRounds < settings.fig5Rounds || longRounds < settings.fig5LongRounds) {
		notes.push(
			`  ${run}cut at ${settings.fig5PhaseCapMs / 1000} s a phase (busy machine): ${shortRounds} of ${settings.fig5Rounds} short rounds, ` +
				`${longRounds} of ${settings.fig5LongRounds} long rounds`
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
	return notes;
}
