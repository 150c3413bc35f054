import { router } from '../trpc';
import { adminRouter } from './admin';
import { adminCatalogRouter } from './admin-catalog';
import { agentsRouter } from './agents';
import { apiKeysRouter } from './api-keys';
import { branchesRouter } from './branches';
import { knowledgeRouter } from './knowledge';
import { tasksRouter } from './tasks';

/** Every procedure the pages use. */
export const appRouter = router({
	admin: adminRouter,
	adminCatalog: adminCatalogRouter,
	agents: agentsRouter,
	apiKeys: apiKeysRouter,
	branches: branchesRouter,
	knowledge: knowledgeRouter,
	tasks: tasksRouter
});

export type AppRouter = typeof appRouter;
