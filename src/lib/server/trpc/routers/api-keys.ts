import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey } from '../../auth/api-keys';
import { adminProcedure, protectedProcedure, router } from '../trpc';

const keyName = z.string().trim().min(1, { message: 'Give the key a name.' }).max(100);

/** API keys: your own, and (for admins) anyone's. */
export const apiKeysRouter = router({
	list: protectedProcedure.query(({ ctx }) => listApiKeys(ctx.db, ctx.user.id)),
	/** Creates a key; the response is the only time the key itself is shown. */
	create: protectedProcedure.input(z.object({ name: keyName })).mutation(({ ctx, input }) => createApiKey(ctx.db, ctx.user.id, input.name)),
	revoke: protectedProcedure
		.input(z.object({ id: z.string().min(1).max(64) }))
		.mutation(({ ctx, input }) => revokeApiKey(ctx.db, input.id, ctx.user.id)),
	listFor: adminProcedure
		.input(z.object({ userId: z.string().min(1).max(64) }))
		.query(({ ctx, input }) => listApiKeys(ctx.db, input.userId)),
	createFor: adminProcedure
		.input(z.object({ userId: z.string().min(1).max(64), name: keyName }))
		.mutation(({ ctx, input }) => createApiKey(ctx.db, input.userId, input.name)),
	revokeAny: adminProcedure
		.input(z.object({ id: z.string().min(1).max(64) }))
		.mutation(({ ctx, input }) => revokeApiKey(ctx.db, input.id, null))
});
