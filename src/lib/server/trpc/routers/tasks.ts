import { z } from 'zod';
import { isOfflineModel, modelLabel } from '../../models/catalog';
import { getUsableAgent } from '../../services/agents';
import { listMessages } from '../../services/messages';
import { toLiveMessages } from '../../live/stored-messages';
import { deleteTask, getOwnTask, listTasks, renameTask, setTaskStatus, taskSources } from '../../services/tasks';
import type { SidebarTask } from '../../task-list/task-list-event';
import { taskListLiveProcedure } from './task-list-live';
import { taskStatuses } from '../../db/schema';
import { stopRun } from '../../runtime/runs';
import { isRunning } from '../../runtime/runs';
import { liveCursor } from '../../live/live-tasks';
import { protectedProcedure, router } from '../trpc';
import { taskLiveProcedure } from './task-live';

const cursorSchema = z.object({ updatedAt: z.number().int(), id: z.string().min(1).max(64) });

/** The caller's tasks. */
export const tasksRouter = router({
	list: protectedProcedure
		.input(
			z
				.object({
					limit: z.number().int().min(1).max(100).optional(),
					cursor: cursorSchema.nullish(),
					agentId: z.number().int().optional(),
					status: z.enum(taskStatuses).optional(),
					query: z.string().max(200).optional(),
					/** Every task (the default), those not started from the playground (`chats`), or only those. */
					source: z.enum(taskSources).optional()
				})
				.optional()
		)
		.query(({ ctx, input }) => listTasks(ctx.db, ctx.viewer, input ?? {})),

	/**
	 * A page of the chat sidebar: the caller's tasks, newest first, without playground or archived
	 * ones, each with whether an answer is being written on it now; `query` finds words in titles
	 * and message text.
	 */
	sidebar: protectedProcedure
		.input(
			z.object({
				limit: z.number().int().min(1).max(100).optional(),
				cursor: cursorSchema.nullish(),
				query: z.string().max(200).optional()
			})
		)
		.query(async ({ ctx, input }) => {
			const page = await listTasks(ctx.db, ctx.viewer, { ...input, source: 'chats', hideArchived: true });
			const running = await Promise.all(page.items.map((task) => isRunning(task.id)));
			const items: SidebarTask[] = page.items.map((task, index) => ({
				id: task.id,
				title: task.title,
				status: task.status,
				agentSlug: task.agentSlug,
				agentName: task.agentName,
				createdAt: task.createdAt.getTime(),
				updatedAt: task.updatedAt.getTime(),
				running: running[index]
			}));
			return { items, nextCursor: page.nextCursor };
		}),

	/** Changes to the caller's task list, live (SSE): see `taskListLiveProcedure`. */
	listLive: taskListLiveProcedure,

	/** One task with its agent and messages, for the chat page. */
	get: protectedProcedure.input(z.object({ id: z.string().min(1).max(64) })).query(async ({ ctx, input }) => {
		const task = await getOwnTask(ctx.db, ctx.viewer, input.id);
		const agent = await getUsableAgent(ctx.db, ctx.viewer, task.agentId);
		// Read before the messages: a live view subscribing from here misses nothing after them.
		const liveEventId = await liveCursor(task.id);
		const messages = await listMessages(ctx.db, task.id);
		return {
			task: { id: task.id, title: task.title, status: task.status, createdAt: task.createdAt, updatedAt: task.updatedAt },
			agent: {
				id: agent.id,
				slug: agent.slug,
				name: agent.name,
				model: agent.model,
				modelLabel: modelLabel(agent.model),
				offline: isOfflineModel(agent.model)
			},
			messages: await toLiveMessages(ctx.db, task.id, messages),
			running: await isRunning(task.id),
			liveEventId
		};
	}),
	rename: protectedProcedure
		.input(z.object({ id: z.string().min(1).max(64), title: z.string().trim().min(1, { message: 'Give the task a title.' }).max(200) }))
		.mutation(({ ctx, input }) => renameTask(ctx.db, ctx.viewer, input.id, input.title)),

	setStatus: protectedProcedure
		.input(z.object({ id: z.string().min(1).max(64), status: z.enum(taskStatuses) }))
		.mutation(({ ctx, input }) => setTaskStatus(ctx.db, ctx.viewer, input.id, input.status)),

	/** A task's events, live (SSE): see `taskLiveProcedure`. */
	live: taskLiveProcedure,

	/** Deletes a task; an answer in progress is stopped first. */
	delete: protectedProcedure.input(z.object({ id: z.string().min(1).max(64) })).mutation(async ({ ctx, input }) => {
		await getOwnTask(ctx.db, ctx.viewer, input.id);
		await stopRun(input.id);
		await deleteTask(ctx.db, ctx.viewer, input.id);
	})
});
