import { getConfig } from '../config';
import type { RunEvent } from './events';
import { runRegistry } from './run-registry';
import { connectSharedRuns, type SharedRuns } from './shared-runs';

let shared: Promise<SharedRuns> | undefined;

/** The runs shared through Redis when `REDIS_URL` is set; null on a single process. */
export function getSharedRuns(): Promise<SharedRuns> | null {
	const url = getConfig().REDIS_URL;
	if (!url) return null;
	if (!shared) {
		shared = connectSharedRuns(url, runRegistry);
		shared.catch(() => (shared = undefined));
	}
	return shared;
}

/** The events of the run in progress on a task, in this process or (with Redis) another; null when none. */
export async function resumeRun(taskId: string): Promise<ReadableStream<RunEvent> | null> {
	const local = runRegistry.get(taskId);
	if (local) return local.subscribe();
	const resumed = await (await getSharedRuns())?.resume(taskId);
	return resumed?.events ?? null;
}

/** Whether a run is in progress on a task, in this process or (with Redis) another. */
export async function isRunning(taskId: string): Promise<boolean> {
	if (runRegistry.get(taskId)) return true;
	return (await (await getSharedRuns())?.isActive(taskId)) ?? false;
}

/**
 * Stops the run on a task. Here, it waits until the partial answer is stored; in another process
 * (with Redis), it asks that process. The id of the stopped answer, or null when nothing ran.
 */
export async function stopRun(taskId: string): Promise<string | null> {
	const local = runRegistry.get(taskId);
	if (local) {
		local.stop();
		await local.finished;
		return local.messageId;
	}
	return (await (await getSharedRuns())?.requestStop(taskId)) ?? null;
}

/** Stops the runs in progress in this process; they store their partial answers as interrupted. */
export function stopLocalRuns(): Promise<void> {
	return runRegistry.stopAll();
}

/** Ends this process's part in runs: stops what still runs here and closes the Redis connections. */
export async function shutdownRuns(): Promise<void> {
	await stopLocalRuns();
	const connection = shared;
	shared = undefined;
	await (await connection?.catch(() => undefined))?.close();
}
