import { TRPCError } from '@trpc/server';
import { getTaskListFeed } from '../../task-list/live-task-list';
import type { TaskListEvent } from '../../task-list/task-list-event';
import { protectedProcedure } from '../trpc';

/**
 * Changes to the signed-in user's task list as they happen, for the chat sidebar: first `ready`
 * (listening), then a task made or changed (`task`, as the sidebar shows it: a new question, its
 * title, a rename, an answer starting or ending), deleted (`task-deleted`), or `reset` when events
 * were dropped (read the list again). Playground tasks are never sent. Nothing is kept for a
 * client that reconnects: it reads its first page again on `ready`. At most
 * `TASK_LIST_FEEDS_PER_USER` at once per user (429 beyond).
 */
export const taskListLiveProcedure = protectedProcedure.subscription(async ({ ctx, signal }) => {
	const events = await getTaskListFeed().subscribe(ctx.viewer.id, signal);
	return (async function* (): AsyncGenerator<TaskListEvent | { type: 'ready' }, void, undefined> {
		yield { type: 'ready' };
		yield* events;
		// The feed closed while the client stays: the server is stopping, so the client reconnects.
		if (!signal?.aborted) throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'The server is restarting.' });
	})();
});
