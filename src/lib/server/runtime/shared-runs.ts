import type { ResumableStreamContext } from 'resumable-stream/redis';
import { lazyModule } from '../modules/lazy-module';
import { createRedisClient } from '../modules/redis';
import type { RunEvent } from './events';
import type { ActiveRun, RunRegistry } from './run-registry';

/** Key prefix of everything Parley keeps in Redis. */
const PREFIX = 'parley';
/** How long Redis remembers a run that never reported its end (a crashed process). */
const ACTIVE_TTL_SECONDS = 24 * 60 * 60;

/**
 * Runs shared between server processes through Redis: each run's events are published with the
 * `resumable-stream` package, so that a process other than the one running it can replay it, and
 * a stop asked of any process reaches the one that runs the task.
 */
export interface SharedRuns {
	/** Publishes a run's events as it goes; resolves once it is published. */
	publish(run: ActiveRun): Promise<void>;
	/** The events of the run in progress on a task in any process, from its start; null when none. */
	resume(taskId: string): Promise<{ messageId: string; events: ReadableStream<RunEvent> } | null>;
	/** Whether some process runs the task now. */
	isActive(taskId: string): Promise<boolean>;
	/** Asks the process that runs a task to stop it; the id of the answer it stops, or null. */
	requestStop(taskId: string): Promise<string | null>;
	close(): Promise<void>;
}

/** Turns run events into newline-delimited JSON, and back. */
export function encodeEvents(): TransformStream<RunEvent, string> {
	return new TransformStream({ transform: (event, controller) => controller.enqueue(`${JSON.stringify(event)}\n`) });
}

/** Parses newline-delimited JSON run events, whatever the chunking. */
export function decodeEvents(): TransformStream<string, RunEvent> {
	let buffer = '';
	return new TransformStream({
		transform(chunk, controller) {
			buffer += chunk;
			let newline = buffer.indexOf('\n');
			while (newline >= 0) {
				const line = buffer.slice(0, newline);
				buffer = buffer.slice(newline + 1);
				if (line.trim() !== '') controller.enqueue(JSON.parse(line) as RunEvent);
				newline = buffer.indexOf('\n');
			}
		}
	});
}

/** Resumable streams over Redis: loaded by a process that shares its runs. */
const loadResumableStreams = lazyModule('Sharing runs through Redis', () => import('resumable-stream/redis'));

/** Connects to Redis and shares the runs of a registry. */
export async function connectSharedRuns(redisUrl: string, registry: RunRegistry): Promise<SharedRuns> {
	const publisher = await createRedisClient(redisUrl);
	const subscriber = publisher.duplicate();
	const stopListener = publisher.duplicate();
	for (const client of [publisher, subscriber, stopListener]) {
		client.on('error', (error) => console.error('[parley] Redis error', error));
	}
	await Promise.all([publisher.connect(), subscriber.connect(), stopListener.connect()]);
	await stopListener.subscribe(`${PREFIX}:stop`, (taskId) => registry.get(taskId)?.stop());

	const { createResumableStreamContext } = await loadResumableStreams();
	const streams: ResumableStreamContext = createResumableStreamContext({
		keyPrefix: `${PREFIX}:stream`,
		waitUntil: null,
		publisher,
		subscriber
	});
	const activeKey = (taskId: string) => `${PREFIX}:active:${taskId}`;

	return {
		async publish(run) {
			const streamId = `${run.taskId}:${run.messageId}:${crypto.randomUUID()}`;
			const stream = await streams.createNewResumableStream(streamId, () => run.subscribe().pipeThrough(encodeEvents()));
			// Only other processes read it; this process's readers use the run itself.
			await stream?.cancel();
			const active = JSON.stringify({ streamId, messageId: run.messageId });
			await publisher.set(activeKey(run.taskId), active, { EX: ACTIVE_TTL_SECONDS });
			void run.finished.then(async () => {
				// Only clear the pointer if a newer run has not replaced it.
				if ((await publisher.get(activeKey(run.taskId))) === active) await publisher.del(activeKey(run.taskId));
			});
		},

		async resume(taskId) {
			const active = await publisher.get(activeKey(taskId));
			if (!active) return null;
			const { streamId, messageId } = JSON.parse(active) as { streamId: string; messageId: string };
			const stream = await streams.resumeExistingStream(streamId);
			return stream ? { messageId, events: stream.pipeThrough(decodeEvents()) } : null;
		},

		async isActive(taskId) {
			return (await publisher.exists(activeKey(taskId))) > 0;
		},

		async requestStop(taskId) {
			const active = await publisher.get(activeKey(taskId));
			if (!active) return null;
			await publisher.publish(`${PREFIX}:stop`, taskId);
			return (JSON.parse(active) as { messageId: string }).messageId;
		},

		async close() {
			await Promise.allSettled([publisher.quit(), subscriber.quit(), stopListener.quit()]);
		}
	};
}
