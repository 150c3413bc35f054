// `npm test`: builds the app, then runs the vitest suite (the `unit` and `api` projects, the API
// tests against the built server) and the Playwright suite in Chromium at the same time, and
// prints one closing line with the totals. Both mostly wait (for servers, for the browser), so
// together they keep two cores busy. Vitest's output streams as it comes; Playwright's is printed
// when it ends. `TEST_SEQUENTIAL=1` runs one after the other instead.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { chromiumPath } from './support/chromium.mjs';

/** When the run began, for the duration printed at its end. */
const startedAt = performance.now();
const root = resolve(import.meta.dirname, '..');
const results = resolve(root, 'test-results');
const unitSummary = resolve(results, 'unit-summary.json');
const e2eReport = resolve(results, 'e2e-report.json');
rmSync(unitSummary, { force: true });
rmSync(e2eReport, { force: true });

/** Runs a command in the project root, streaming its output; returns its exit code. */
function run(command, args, env = {}) {
	console.log(`\n$ ${command} ${args.join(' ')}`);
	const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
	return result.status ?? 1;
}

const bin = (name) => resolve(root, 'node_modules', '.bin', name);
const totals = { passed: 0, failed: 0, skipped: 0 };
let broken = false;

if (!chromiumPath()) {
	if (process.getuid?.() === 0 && existsSync('/usr/bin/apt-get')) {
		console.log("Chromium is missing: installing Debian's chromium for the browser tests.");
		run('apt-get', ['update', '-qq'], { DEBIAN_FRONTEND: 'noninteractive' });
		run('apt-get', ['install', '-y', '-qq', 'chromium'], { DEBIAN_FRONTEND: 'noninteractive' });
	} else {
		console.error('The browser tests need Chromium: install it (apt-get install -y chromium) or set CHROMIUM_PATH.');
	}
}

if (process.env.SKIP_BUILD !== '1') {
	if (run(bin('vite'), ['build']) !== 0) {
		console.error('The build failed; no tests were run.');
		console.log('0 passed, 1 failed, 0 skipped');
		process.exit(1);
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
const vitest = () =>
	start(bin('vitest'), ['--run', '--reporter=default', '--reporter=./tests/support/summary-reporter.ts'], {
		VITEST_SUMMARY_FILE: unitSummary
	});
const playwright = () => start(bin('playwright'), ['test', '--config', 'tests/playwright.config.ts'], {}, { quiet: !sequential });
const [unitCode, e2eCode] = sequential ? [await vitest(), await playwright()] : await Promise.all([vitest(), playwright()]);

if (existsSync(unitSummary)) {
	const counts = JSON.parse(readFileSync(unitSummary, 'utf8'));
	for (const key of Object.keys(totals)) totals[key] += counts[key];
}
if (unitCode !== 0 && totals.failed === 0) broken = true;

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
process.exit(totals.failed > 0 || unitCode !== 0 || e2eCode !== 0 ? 1 : 0);
