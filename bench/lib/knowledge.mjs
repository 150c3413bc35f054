// Figure 8: hybrid knowledge search over 100,000 chunks (see bench/knowledge-search.ts, which
// does the work in a process of its own, from the TypeScript sources through tsx).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fmt, ROOT, yesNo } from './util.mjs';

/**
 * Runs the knowledge search figure and returns its JSON: chunks, queries, whether the database
 * was built now (and how long that took), p50/p95/max of one search in ms, mean hits, and the
 * share of hits the vector side found. Building output goes to stderr as it happens.
 */
export function figure8({ chunks = 100_000, queries = 300 } = {}) {
	return new Promise((resolve, reject) => {
		const child = spawn(
			process.execPath,
			['--import', 'tsx', join(ROOT, 'bench', 'knowledge-search.ts'), '--chunks', String(chunks), '--queries', String(queries)],
			{ cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] }
		);
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.on('error', reject);
		child.on('exit', (code) => {
			const last = output.trim().split('\n').at(-1) ?? '';
			try {
				if (code !== 0) throw new Error(`exit code ${code}`);
				resolve(JSON.parse(last));
			} catch (error) {
				reject(new Error(`The knowledge search figure failed (${error instanceof Error ? error.message : error}): ${output}`));
			}
		});
	});
}

/** Figure 8's rows for one run (`tag` follows every name): [figure, value, budget, within]. */
export function figure8Rows(f, tag, settings) {
	const within = f.p95Ms < settings.fig8P95BudgetMs;
	const rows = [
		[
			`one search, p95 (ms), ${f.queries} queries${tag}`,
			fmt(f.p95Ms, 1),
			`< ${settings.fig8P95BudgetMs} ms`,
			`${yesNo(within)} (${fmt(f.p95Ms, 1)} ms)`
		],
		[`  p50 / max (ms)${tag}`, `${fmt(f.p50Ms, 1)} / ${fmt(f.maxMs, 1)}`, '—', '—'],
		[
			`  results a search, and the share the vector side found${tag}`,
			`${fmt(f.meanHits, 1)}, ${fmt(f.vectorShareOfHits * 100, 0)} %`,
			'—',
			'—'
		]
	];
	if (f.builtNow) rows.push([`  building the ${f.chunks} chunks with their vectors (s)${tag}`, fmt(f.buildMs / 1000, 0), '—', '—']);
	return rows;
}
