import { router } from '../trpc';
import { agentsRouter } from './agents';
import { apiKeysRouter } from './api-keys';
import { tasksRouter } from './tasks';

/** Every procedure the pages use. */
export const appRouter = router({
	agents: agentsRouter,
	apiKeys: apiKeysRouter,
	tasks: tasksRouter
});

export type AppRouter = typeof appRouter;
