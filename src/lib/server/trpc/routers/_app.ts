import { router } from '../trpc';
import { agentsRouter } from './agents';
import { tasksRouter } from './tasks';

/** Every procedure the pages use. */
export const appRouter = router({
	agents: agentsRouter,
	tasks: tasksRouter
});

export type AppRouter = typeof appRouter;
