import { writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';

/**
 * Prints the plain closing line `N passed, N failed, N skipped` that any CI log reader counts, and
 * writes the counts to `VITEST_SUMMARY_FILE` when set, for `npm test` to add up; the line starts
 * with `VITEST_SUMMARY_LABEL` (the project's name).
 */
export default class SummaryReporter implements Reporter {
	onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
		const counts = { passed: 0, failed: 0, skipped: 0 };
		for (const module of testModules) {
			if (module.state() === 'failed' && [...module.children.allTests()].length === 0) counts.failed++;
			for (const test of module.children.allTests()) {
				const state = test.result().state;
				if (state === 'passed') counts.passed++;
				else if (state === 'failed') counts.failed++;
				else counts.skipped++;
			}
		}
		const file = process.env.VITEST_SUMMARY_FILE;
		if (file) {
			mkdirSync(dirname(file), { recursive: true });
			writeFileSync(file, JSON.stringify(counts));
		}
		console.log(
			`${process.env.VITEST_SUMMARY_LABEL ?? 'vitest'}: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped`
		);
	}
}
