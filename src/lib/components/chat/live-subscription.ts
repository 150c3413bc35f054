import { TRPCClientError } from '@trpc/client';
import type { TaskEvent } from '$lib/server/live/task-event';
import { trpc } from '$lib/trpc-client';

/** Refusals that subscribing again would only repeat. */
const FINAL_CODES = new Set(['NOT_FOUND', 'UNAUTHORIZED', 'FORBIDDEN', 'BAD_REQUEST']);

/**
 * Follows a task's live events from `since` (the id read with its messages; null for from now).
 * The EventSource reconnects by itself after a drop; should the subscription end or fail anyway,
 * it is opened again, with growing pauses, from the last event received. Returns a function that
 * stops following.
 */
export function followTask(
	taskId: string,
	since: string | null,
	onEvent: (event: TaskEvent) => void,
	/** Called when the server refuses the subscription for good (the task is gone, the session ended). */
	onRefused?: () => void
): () => void {
	let lastEventId = since;
	let stopped = false;
	let failures = 0;
	let retry: ReturnType<typeof setTimeout> | undefined;
	let subscription: { unsubscribe(): void } | undefined;

	const again = () => {
		subscription?.unsubscribe();
		if (stopped) return;
		retry = setTimeout(open, Math.min(30_000, 1_000 * 2 ** failures++));
	};
	const open = () => {
		subscription = trpc.tasks.live.subscribe(
			{ taskId, lastEventId },
			{
				onData({ id, data }) {
					failures = 0;
					lastEventId = id;
					// The inferred type is the JSON form of the event, whose parts TypeScript cannot match to UIMessage parts.
					onEvent(data as TaskEvent);
				},
				onError(error) {
					const code = error instanceof TRPCClientError ? (error.data as { code?: string } | undefined)?.code : undefined;
					if (code && FINAL_CODES.has(code)) onRefused?.();
					else again();
				},
				onComplete: again
			}
		);
	};
	open();
	return () => {
		stopped = true;
		clearTimeout(retry);
		subscription?.unsubscribe();
	};
}
