// `npm test`: runs vitest's `unit` project (no build needed) while the app builds, then its `api`
// project (tests against the built server) and the Playwright suite in Chromium at the same time,
// and prints one closing line with the totals. API and browser tests mostly wait (for servers, for
// the browser), so together they keep two cores busy. The API tests' output streams as it comes;
// the unit tests' and Playwright's are printed when they end. `TEST_SEQUENTIAL=1` runs one after
// the other instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { testBrowserPath } from './support/chromium.mjs';

/** When the run began, for the duration printed at its end. */
const startedAt = performance.now();
const root = resolve(import.meta.dirname, '..');
const results = resolve(root, 'test-results');
const summaries = { unit: resolve(results, 'unit-summary.json'), api: resolve(results, 'api-summary.json') };
const e2eReport = resolve(results, 'e2e-report.json');
for (const file of [...Object.values(summaries), e2eReport]) rmSync(file, { force: true });

/** Runs a command in the project root, streaming its output; returns its exit code. */
function run(command, args, env = {}) {
	console.log(`\n$ ${command} ${args.join(' ')}`);
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
	return result.status ?? 1;
}

const bin = (name) => resolve(root, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0, skipped: 0 };
let broken = false;

if (!testBrowserPath()) {
	if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
		console.log("Chromium is missing: installing Debian's chromium-headless-shell for the browser tests.");
		run('apt-get', ['update', '-qq'], { DEBIAN_FRONTEND: 'noninteractive' });
		run('apt-get', ['install', '-y', '-qq', 'chromium-headless-shell'], { DEBIAN_FRONTEND: 'noninteractive' });
	} else {
		console.error('The browser tests need Chromium: install it (apt-get install -y chromium-headless-shell) or set CHROMIUM_PATH.');
	}
}

/**
 * Starts a command in the project root and resolves with its exit code; its output is streamed,
 * or with `quiet` kept and printed in one piece when it ends (so two runs do not interleave).
 */
function start(command, args, env = {}, { quiet = false } = {}) {
	console.log(`\n$ ${command} ${args.join(' ')}${quiet ? ' (its output follows when it ends)' : ''}`);
	const child = spawn(command, args, {
		cwd: root,
		stdio: quiet ? ['ignore', 'pipe', 'pipe'] : 'inherit',
		env: { ...process.env, ...env }
	});
	const output = [];
	child.stdout?.on('data', (chunk) => output.push(chunk));
	child.stderr?.on('data', (chunk) => output.push(chunk));
	return new Promise((resolveCode) => {
		let ended = false;
		const end = (code) => {
			if (ended) return;
			ended = true;
			if (quiet) {
				console.log(`\n$ ${command} ${args.join(' ')} (ended with code ${code}):`);
				process.stdout.write(Buffer.concat(output));
			}
			resolveCode(code ?? 1);
		};
		// A command that cannot start fails the run.
		child.once('error', (error) => {
			output.push(Buffer.from(`${error}\n`));
			if (!quiet) console.error(String(error));
			end(1);
		});
		child.once('close', end);
	});
}

const sequential = process.env.TEST_SEQUENTIAL === '1';
/** Runs one vitest project, its counts written to its summary file. */
const vitest = (project, options) =>
	start(
		bin('vitest'),
		['--run', '--project', project, '--reporter=default', '--reporter=./tests/support/summary-reporter.ts'],
		{ VITEST_SUMMARY_FILE: summaries[project], VITEST_SUMMARY_LABEL: project },
		options
	);
const build = () => (process.env.SKIP_BUILD === '1' ? Promise.resolve(0) : start(bin('vite'), ['build']));
const playwright = () => start(bin('playwright'), ['test', '--config', 'tests/playwright.config.ts'], {}, { quiet: !sequential });

let unitCode;
let apiCode = 0;
let e2eCode = 0;
let buildCode;
if (sequential) {
	buildCode = await build();
	unitCode = await vitest('unit');
	if (buildCode === 0) {
		apiCode = await vitest('api');
		e2eCode = await playwright();
	}
} else {
	const unit = vitest('unit', { quiet: true });
	buildCode = await build();
	const rest = buildCode === 0 ? [vitest('api'), playwright()] : [];
	[unitCode, apiCode = 0, e2eCode = 0] = await Promise.all([unit, ...rest]);
}
if (buildCode !== 0) {
	console.error('The build failed; the API and browser tests were not run.');
	broken = true;
}

for (const [project, file] of Object.entries(summaries)) {
	if (!existsSync(file)) continue;
	const counts = JSON.parse(readFileSync(file, 'utf8'));
	for (const key of Object.keys(totals)) totals[key] += counts[key];
	const code = project === 'unit' ? unitCode : apiCode;
	if (code !== 0 && counts.failed === 0) broken = true;
}
if ((unitCode !== 0 && !existsSync(summaries.unit)) || (apiCode !== 0 && !existsSync(summaries.api))) broken = true;

if (existsSync(e2eReport)) {
	const { stats } = JSON.parse(readFileSync(e2eReport, 'utf8'));
	console.log(`e2e: ${stats.expected + stats.flaky} passed, ${stats.unexpected} failed, ${stats.skipped} skipped`);
	totals.passed += stats.expected + stats.flaky;
	totals.failed += stats.unexpected;
	totals.skipped += stats.skipped;
}
if (e2eCode !== 0 && !existsSync(e2eReport)) broken = true;
if (e2eCode !== 0 && totals.failed === 0) broken = true;

if (broken && totals.failed === 0) totals.failed = 1;
const seconds = Math.round((performance.now() - startedAt) / 1000);
console.log(`\nnpm test took ${Math.floor(seconds / 60)} min ${seconds % 60} s (${seconds} s)`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(totals.failed > 0 || unitCode !== 0 || apiCode !== 0 || e2eCode !== 0 || buildCode !== 0 ? 1 : 0);
