import { z } from 'zod';
import { createApiKey, revokeApiKey } from '../../auth/api-keys';
import { taskStatuses, userRoles } from '../../db/schema';
import { getTaskForAdmin, listAllTasks, updateTaskAsAdmin } from '../../services/admin-tasks';
import { assertUserExists, listAllApiKeys, listUsers, setUserDisabled, setUserRole } from '../../services/admin-users';
import { usageReport } from '../../services/usage';
import { adminProcedure, router } from '../trpc';

const id = z.string().min(1).max(64);
const keyName = z.string().trim().min(1, { message: 'Give the key a name.' }).max(100);

/** The admin pages' procedures: people, keys, every task, usage. */
export const adminRouter = router({
	users: router({
		list: adminProcedure.query(({ ctx }) => listUsers(ctx.db)),
		setRole: adminProcedure
			.input(z.object({ userId: id, role: z.enum(userRoles) }))
			.mutation(({ ctx, input }) => setUserRole(ctx.db, ctx.user.id, input.userId, input.role)),
		setDisabled: adminProcedure
			.input(z.object({ userId: id, disabled: z.boolean() }))
			.mutation(({ ctx, input }) => setUserDisabled(ctx.db, ctx.user.id, input.userId, input.disabled))
	}),
	keys: router({
		list: adminProcedure.query(({ ctx }) => listAllApiKeys(ctx.db)),
		/** Creates a key for a user; the response is the only time the key itself is shown. */
		create: adminProcedure.input(z.object({ userId: id, name: keyName })).mutation(async ({ ctx, input }) => {
			await assertUserExists(ctx.db, input.userId);
			return createApiKey(ctx.db, input.userId, input.name);
		}),
		revoke: adminProcedure.input(z.object({ id })).mutation(({ ctx, input }) => revokeApiKey(ctx.db, input.id, null))
	}),
	tasks: router({
		list: adminProcedure
			.input(
				z.object({
					limit: z.number().int().min(1).max(100).default(30),
					cursor: z.object({ createdAt: z.number().int().nonnegative(), id }).nullish(),
					userEmail: z.string().trim().max(320).optional(),
					agentSlug: z.string().trim().max(100).optional()
				})
			)
			.query(({ ctx, input }) => listAllTasks(ctx.db, input)),
		get: adminProcedure.input(z.object({ id })).query(({ ctx, input }) => getTaskForAdmin(ctx.db, input.id)),
		/** Sets any task's status and/or context; the context is checked against the agent's schema (422). */
		update: adminProcedure
			.input(
				z.object({
					id,
					status: z.enum(taskStatuses).optional(),
					context: z.record(z.string(), z.unknown()).nullable().optional()
				})
			)
			.mutation(({ ctx, input }) => updateTaskAsAdmin(ctx.db, ctx.viewer, input.id, { status: input.status, context: input.context }))
	}),
	usage: adminProcedure
		.input(z.object({ days: z.number().int().min(1).max(366).default(30) }).default({ days: 30 }))
		.query(({ ctx, input }) => usageReport(ctx.db, { days: input.days }))
});
