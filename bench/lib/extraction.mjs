// Figure 7: reading the text of a 100-page PDF in the background, while the server keeps
// answering. The PDF is written here (tests/support/minimal-pdf.ts), uploaded through
// `POST /api/files` with a session cookie, and `GET /api/files/{id}/meta` is polled until its
// text is read; meanwhile `GET /health` is sampled on a separate connection.
import http from 'node:http';
import { tsImport } from 'tsx/esm/api';
import { signUp } from './client.mjs';
import { cpuMs, fmt, mainThreadCpuMs, maxOf, median, percentile, sleep, startNoiseMeter, yesNo } from './util.mjs';

/** Lines of text on every page: about 3,000 characters, a dense page of a report. */
const LINES_PER_PAGE = 45;

/**
 * A PDF of `pages` pages of text, different for every `seed` (uploads of the same bytes would
 * reuse the text already read instead of reading it again).
 */
async function benchPdf(pages, seed) {
	const { textPdf } = await tsImport('../../tests/support/minimal-pdf.ts', import.meta.url);
	const words = ['revenue', 'quarter', 'region', 'forecast', 'margin', 'customer', 'supply', 'contract', 'audit', 'growth'];
	const line = (page, index) =>
		`Bench ${seed} page ${page + 1} line ${index + 1}: ` +
		Array.from({ length: 9 }, (_, word) => words[(page * 7 + index * 3 + word + seed) % words.length]).join(' ') +
		'.';
	return textPdf(Array.from({ length: pages }, (_, page) => Array.from({ length: LINES_PER_PAGE }, (_, index) => line(page, index))));
}

/** One `GET` on a keep-alive agent; resolves with the status and the milliseconds it took. */
function timedGet(url, agent, headers = {}) {
	return new Promise((resolveGet) => {
		const started = performance.now();
		const request = http.get(url, { agent, headers }, (response) => {
			let body = '';
			response.setEncoding('utf8');
			response.on('data', (chunk) => (body += chunk));
			response.on('end', () => resolveGet({ status: response.statusCode, ms: performance.now() - started, body }));
			response.on('error', () => resolveGet({ status: 0, ms: performance.now() - started, body }));
		});
		request.on('error', () => resolveGet({ status: 0, ms: performance.now() - started, body: '' }));
	});
}

/**
 * Samples `GET /health` until `stop()`: one request at a time, a new one `everyMs` after the
 * previous one started (or at once when it took longer). `stop()` resolves with the latencies.
 */
function startHealthSampler(baseURL, everyMs) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	const latencies = [];
	let failures = 0;
	let running = true;
	const loop = (async () => {
		while (running) {
			const started = performance.now();
			const { status, ms } = await timedGet(`${baseURL}/health`, agent);
			if (status === 200) latencies.push(ms);
			else failures++;
			await sleep(Math.max(0, everyMs - (performance.now() - started)));
		}
	})();
	return {
		async stop() {
			running = false;
			await loop;
			agent.destroy();
			return { latencies, failures };
		}
	};
}

/** Uploads a PDF with a session; resolves with the stored file's id and the upload's milliseconds. */
async function uploadPdf(baseURL, session, bytes, name) {
	const form = new FormData();
	form.append('file', new File([bytes], name, { type: 'application/pdf' }));
	const started = performance.now();
	const response = await fetch(`${baseURL}/api/files`, {
		method: 'POST',
		headers: { cookie: session.cookie, origin: session.origin },
		body: form
	});
	if (response.status !== 201) throw new Error(`Upload failed with ${response.status}: ${(await response.text()).slice(0, 300)}`);
	const { files } = await response.json();
	return { id: files[0].id, uploadMs: performance.now() - started };
}

/** Polls a file's meta every `everyMs` until its extraction ends or `timeoutMs` passes. */
async function waitForText(baseURL, session, id, everyMs, timeoutMs) {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
	const deadline = performance.now() + timeoutMs;
	try {
		while (performance.now() < deadline) {
			const { status, body } = await timedGet(`${baseURL}/api/files/${id}/meta`, agent, { cookie: session.cookie });
			const meta = status === 200 ? JSON.parse(body) : {};
			if (meta.extraction_status && meta.extraction_status !== 'pending' && meta.extraction_status !== 'extracting') return meta;
			await sleep(everyMs);
		}
		return { extraction_status: 'timed out' };
	} finally {
		agent.destroy();
	}
}

/**
 * Figure 7, on a started Parley server: `rounds` times, a fresh `pages`-page PDF is uploaded and
 * its text waited for (polling its meta every `pollMs`), while `/health` is sampled every
 * `healthEveryMs`. The first round includes starting the extraction worker's code cold.
 */
export async function figure7({ server, pages, rounds, healthEveryMs, pollMs, timeoutMs, ticks }) {
	const session = await signUp(server.baseURL, `bench-files-${Date.now().toString(36)}@example.com`);
	const idle = startHealthSampler(server.baseURL, healthEveryMs);
	await sleep(1500);
	const idleHealth = await idle.stop();
	const out = [];
	for (let round = 0; round < rounds; round++) {
		const bytes = await benchPdf(pages, round);
		const mainCpu0 = mainThreadCpuMs(server.pid);
		const processCpu0 = cpuMs(server.pid, ticks);
		const noise = startNoiseMeter(server.pid, ticks);
		const sampler = startHealthSampler(server.baseURL, healthEveryMs);
		const started = performance.now();
		const { id, uploadMs } = await uploadPdf(server.baseURL, session, bytes, `report-${round + 1}.pdf`);
		const meta = await waitForText(server.baseURL, session, id, pollMs, timeoutMs);
		const readMs = performance.now() - started;
		const { latencies, failures } = await sampler.stop();
		const { otherCores } = noise.stop();
		out.push({
			round: round + 1,
			pdfBytes: bytes.byteLength,
			status: meta.extraction_status,
			textLength: meta.text_length ?? 0,
			uploadMs,
			readMs,
			healthSamples: latencies.length,
			healthFailures: failures,
			healthMedianMs: median(latencies),
			healthP95Ms: percentile(latencies, 95),
			healthMaxMs: maxOf(latencies),
			healthOver100Ms: latencies.filter((ms) => ms > 100).length,
			serverMainThreadCpuMs: mainThreadCpuMs(server.pid) - mainCpu0,
			serverProcessCpuMs: cpuMs(server.pid, ticks) - processCpu0,
			/** Cores other processes used meanwhile: noise on a shared machine. */
			otherCores
		});
	}
	return {
		pages,
		idleHealthMedianMs: median(idleHealth.latencies),
		idleHealthMaxMs: maxOf(idleHealth.latencies),
		rounds: out
	};
}

/** Figure 7's rows for one run (`tag` follows every name): [figure, value, budget, within]. */
export function figure7Rows(f, tag, settings) {
	const ms = (value, digits = 1) => fmt(value, digits);
	const rows = [];
	for (const round of f.rounds) {
		const name = `PDF ${round.round}${round.round === 1 ? ' (worker code cold)' : ''}`;
		const read = round.status === 'ready' && round.readMs < settings.fig7ReadBudgetMs;
		const health = round.healthFailures === 0 && round.healthMaxMs < settings.fig7HealthBudgetMs;
		rows.push(
			[
				`${name}: upload → text read (s), ${fmt(round.pdfBytes / 1000, 0)} KB, ${fmt(round.textLength, 0)} characters${tag}`,
				`${fmt(round.readMs / 1000, 2)} (${round.status})`,
				`< ${fmt(settings.fig7ReadBudgetMs / 1000, 0)} s`,
				`${yesNo(read)} (${fmt(round.readMs / 1000, 2)} s)`
			],
			[`  of which the upload itself (ms)${tag}`, ms(round.uploadMs, 0), '—', '—'],
			[
				`  GET /health meanwhile: max (ms), every ${settings.fig7HealthEveryMs} ms${tag}`,
				ms(round.healthMaxMs),
				`< ${settings.fig7HealthBudgetMs} ms`,
				`${yesNo(health)} (${ms(round.healthMaxMs)} ms)`
			],
			[`  GET /health: p95 · median (ms)${tag}`, `${ms(round.healthP95Ms)} · ${ms(round.healthMedianMs)}`, '—', '—'],
			[
				`  GET /health: samples · over ${settings.fig7HealthBudgetMs} ms · failed${tag}`,
				`${round.healthSamples} · ${round.healthOver100Ms} · ${round.healthFailures}`,
				'—',
				'—'
			],
			[
				`  server CPU meanwhile: main thread · whole process (ms)${tag}`,
				`${ms(round.serverMainThreadCpuMs, 0)} · ${ms(round.serverProcessCpuMs, 0)}`,
				'—',
				'—'
			],
			[`  other processes' CPU meanwhile (cores)${tag}`, fmt(round.otherCores, 2), 'noise, not Parley', '—']
		);
	}
	rows.push([
		`GET /health with nothing to read: median · max (ms)${tag}`,
		`${ms(f.idleHealthMedianMs)} · ${ms(f.idleHealthMaxMs)}`,
		'—',
		'—'
	]);
	return rows;
}
