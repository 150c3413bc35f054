// `npm test`: builds the app, runs the vitest suite (unit and API tests against the built
// server) and the Playwright suite in Chromium, then prints one closing line with the totals.
import { spawnSync } from 'node:child_process';
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

const unitCode = run(bin('vitest'), ['--run', '--reporter=default', '--reporter=./tests/support/summary-reporter.ts'], {
	VITEST_SUMMARY_FILE: unitSummary
});
if (existsSync(unitSummary)) {
	const counts = JSON.parse(readFileSync(unitSummary, 'utf8'));
	for (const key of Object.keys(totals)) totals[key] += counts[key];
}
if (unitCode !== 0 && totals.failed === 0) broken = true;

const e2eCode = run(bin('playwright'), ['test', '--config', 'tests/playwright.config.ts']);
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
