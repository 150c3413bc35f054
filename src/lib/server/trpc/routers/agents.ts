import { getConfig } from '../../config';
import { listModelOptions } from '../../models/catalog';
import { listAgents } from '../../services/agents';
import { protectedProcedure, router } from '../trpc';

/** Agents the caller may use, and the models they can run on. */
export const agentsRouter = router({
	list: protectedProcedure.query(({ ctx }) => listAgents(ctx.db, ctx.viewer)),
	models: protectedProcedure.query(() => listModelOptions(getConfig()))
});
