import { tracked, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { AppError } from '../../errors';
import { anonymousIdPattern } from '../../http/viewer';
import { subscribeTask } from '../../live/live-tasks';
import { FeedClosedError, TaskDeletedError } from '../../live/task-feed';
import type { FeedEntry } from '../../live/task-event';
import { getOwnTask } from '../../services/tasks';
import type { Viewer } from '../../services/viewer';
import { publicProcedure, type Context } from '../trpc';

/** Who subscribes: the signed-in user, else the anonymous caller that owns the task. */
function subscriberOf(ctx: Context): Viewer {
	if (ctx.user) return { kind: 'user', id: ctx.user.id, role: ctx.user.role };
	if (ctx.anonymousId) {
		if (!anonymousIdPattern.test(ctx.anonymousId)) {
			throw new AppError('invalid_input', 'An anonymous id must be 8–128 letters, digits or "_.:-".', {
				field: 'anonymousId'
			});
		}
		return { kind: 'anonymous', anonymousId: ctx.anonymousId };
	}
	throw new AppError('unauthorized', 'Log in to continue.');
}

/**
 * Feed entries as tracked events; a feed closing (the server stops) asks the client to reconnect,
 * a deleted task ends the subscription as not found (a final refusal).
 */
async function* trackedEvents(entries: AsyncGenerator<FeedEntry, void, undefined>) {
	try {
		for await (const entry of entries) yield tracked(entry.id, entry.event);
	} catch (error) {
		if (error instanceof FeedClosedError) {
			// A retryable code: the client's EventSource reconnects, to wherever the server now is.
			throw new TRPCError({ code: 'SERVICE_UNAVAILABLE', message: 'The server is restarting.' });
		}
		if (error instanceof TaskDeletedError || (error instanceof AppError && error.code === 'not_found')) {
			throw new TRPCError({ code: 'NOT_FOUND', message: error.message, cause: error });
		}
		throw error;
	}
}

/**
 * Everything that happens on a task, live, for everyone allowed to read it (its owner, or an
 * admin): stored messages appearing or changing, the streaming answer's chunks, the end of runs.
 * Over SSE; every event has an id, and a client reconnecting with `lastEventId` (the
 * `Last-Event-ID` header or the input) gets what it missed, or a `reset` when that is no longer
 * kept. Someone else's task is reported as not found. Deleting the task ends the subscription,
 * in every process, with a NOT_FOUND error; nothing stored under its id afterwards reaches it.
 */
export const taskLiveProcedure = publicProcedure
	.input(z.object({ taskId: z.string().min(1).max(64), lastEventId: z.string().max(100).nullish() }))
	.subscription(async ({ ctx, input, signal }) => {
		const viewer = subscriberOf(ctx);
		const task = await getOwnTask(ctx.db, viewer, input.taskId, { allowAdmin: true });
		// Checked again once listening: a deletion before then is seen here, any later one ends the feed.
		// Ids are never reused and owners never change, so the task found then is the one checked now.
		const stillThere = async () => {
			const found = await getOwnTask(ctx.db, viewer, input.taskId, { allowAdmin: true });
			if (found.userId !== task.userId || found.anonymousId !== task.anonymousId) {
				throw new AppError('not_found', `No task "${input.taskId}" was found.`, { field: 'taskId' });
			}
		};
		return trackedEvents(await subscribeTask(input.taskId, input.lastEventId ?? null, signal, stillThere));
	});
