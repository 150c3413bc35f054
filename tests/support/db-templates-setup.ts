import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeTemplates, TEMPLATES_ENV } from './db-templates';

/** The run's templates, shared by the projects (each runs this setup, in the one main process). */
const run = globalThis as { parleyDbTemplates?: { root: Promise<string>; users: number } };

/**
 * vitest's global setup: the template databases, made once before any test file runs, for every
 * worker to copy (tests/support/db-templates.ts); removed after the run.
 */
export default async function setup(): Promise<() => void> {
	const templates = (run.parleyDbTemplates ??= {
		root: (async () => {
			const root = mkdtempSync(join(tmpdir(), 'parley-db-templates-'));
			await makeTemplates(root);
			return root;
		})(),
		users: 0
	});
	templates.users++;
	const root = await templates.root;
	process.env[TEMPLATES_ENV] = root;
	return () => {
		if (--templates.users > 0) return;
		run.parleyDbTemplates = undefined;
		rmSync(root, { recursive: true, force: true });
	};
}
