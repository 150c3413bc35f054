import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { resolve } from 'node:path';

/** The project's root, where the CLI runs from. */
const root = resolve(import.meta.dirname, '../..');

/** What the CLI exited with and printed. */
export interface CliResult {
	status: number | null;
	stdout: string;
	stderr: string;
}

/**
 * What `npm run cli -- …` runs (package.json's `cli` script: `tsx src/lib/server/cli/main.ts`),
 * started as Node with tsx's loader: without npm and tsx's launcher, two Node processes fewer
 * (about a second of CPU a run). `tests/api/cli.test.ts` checks that `npm run cli` itself
 * runs this. Only `PATH`, `HOME` and `env` reach it.
 */
function cliCommand(args: string[], env: Record<string, string>) {
	return {
		command: process.execPath,
		args: ['--import', 'tsx', 'src/lib/server/cli/main.ts', ...args],
		options: { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env } }
	};
}

/** Starts the CLI with `args`; its output is the caller's to read. */
export function spawnCli(args: string[], env: Record<string, string> = {}): ChildProcessWithoutNullStreams {
	const { command, args: argv, options } = cliCommand(args, env);
	return spawn(command, argv, { ...options, timeout: 60_000 });
}

/** Runs the CLI to its end without blocking this process (servers the CLI talks to may run in it). */
export function runCli(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
	return new Promise((done, fail) => {
		const child = spawnCli(args, env);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk) => (stdout += chunk));
		child.stderr.on('data', (chunk) => (stderr += chunk));
		child.on('error', fail);
		child.on('close', (status) => done({ status, stdout, stderr }));
	});
}

/** Runs the CLI to its end, blocking. */
export function runCliSync(args: string[], env: Record<string, string> = {}): CliResult {
	const { command, args: argv, options } = cliCommand(args, env);
	const result = spawnSync(command, argv, { ...options, encoding: 'utf8', timeout: 60_000 });
	return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
