// Plain JavaScript, so that vite.config.ts can load it whichever way Vite loads its config.
import { BaseSequencer } from 'vitest/node';

/**
 * The API test files that take longest, longest first: each starts several servers or runs the
 * command line (tsx) a few times, and takes 15–50 s on a busy machine. Without durations from an
 * earlier run (a fresh clone) vitest starts larger files first, which put most of these near the
 * end, so the run ended waiting for one of them while the other workers had nothing left to do.
 * Measured with `npx vitest --run --project api --reporter=json`; a file missing here only starts
 * later.
 */
const SLOWEST_FIRST = [
	'startup.test.ts',
	'mcp-client-cli.test.ts',
	'providers-faces.test.ts',
	'cli-check-providers.test.ts',
	'providers-chat.test.ts',
	'provider-usage.test.ts',
	'anonymous-limits.test.ts',
	'live-tasks.test.ts',
	'crash-recovery.test.ts',
	'cli.test.ts',
	'ws-chat.test.ts',
	'files-ocr.test.ts',
	'ws-hostile.test.ts'
];

/** vitest's order (durations of the last run, else size), with the files above moved to the front. */
export class SlowestFirst extends BaseSequencer {
	/**
	 * @param {import('vitest/node').TestSpecification[]} files
	 * @returns {Promise<import('vitest/node').TestSpecification[]>}
	 */
	async sort(files) {
		const sorted = await super.sort(files);
		/** @param {import('vitest/node').TestSpecification} file */
		const rank = (file) => {
			const index = SLOWEST_FIRST.findIndex((name) => file.moduleId.endsWith(`/tests/api/${name}`));
			return index < 0 ? SLOWEST_FIRST.length : index;
		};
		// Array.prototype.sort is stable: the other files keep vitest's order.
		return sorted.sort((a, b) => rank(a) - rank(b));
	}
}
