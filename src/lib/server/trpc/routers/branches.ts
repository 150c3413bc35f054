import { z } from 'zod';
import { getFeedStore } from '../../live/live-tasks';
import { messageOrder, toLiveMessages } from '../../live/stored-messages';
import { AppError } from '../../errors';
import { isRunning } from '../../runtime/runs';
import { chooseVersion, listMessages } from '../../services/messages';
import { getOwnTask } from '../../services/tasks';
import { protectedProcedure, router } from '../trpc';

const idSchema = z.string().min(1).max(128);

/** The versions of a task's messages (see `messages.parentId`). */
export const branchesRouter = router({
	/**
	 * Makes a version of a message the one the task reads: the history becomes the newest branch
	 * below it, here and on every face. Returns the new history; the task's viewers are told.
	 */
	choose: protectedProcedure.input(z.object({ taskId: idSchema, messageId: idSchema })).mutation(async ({ ctx, input }) => {
		const task = await getOwnTask(ctx.db, ctx.viewer, input.taskId, { field: 'taskId' });
		if (await isRunning(task.id)) {
			throw new AppError('conflict', 'This task is answering. Stop it or wait for the answer.', { field: 'taskId' });
		}
		const before = new Set((await messageOrder(ctx.db, task.id)).map((message) => message.id));
		if (!(await chooseVersion(ctx.db, task.id, input.messageId))) {
			throw new AppError('not_found', 'No such message in this task.', { field: 'messageId' });
		}
		const messages = await toLiveMessages(ctx.db, task.id, await listMessages(ctx.db, task.id));
		try {
			// Viewers are sent the messages they did not have: those of the chosen branch below where it parts.
			const added = messages.filter((message) => !before.has(message.id));
			const order = messages.map((message) => message.id);
			await (await getFeedStore()).append(task.id, { type: 'messages', messages: added, order });
		} catch (error) {
			console.error(`[parley] could not tell the viewers of task ${task.id} about a chosen version`, error);
		}
		return { messages };
	})
});
