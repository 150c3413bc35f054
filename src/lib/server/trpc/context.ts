import type { RequestEvent } from '@sveltejs/kit';
import { getConfig } from '../config';
import { createCallerFactory, type Context } from './trpc';
import { appRouter } from './routers/_app';

/** The tRPC context of a SvelteKit request. */
export function createContext(event: Pick<RequestEvent, 'locals'>): Context {
	return { db: event.locals.db, config: getConfig(), user: event.locals.user };
}

const createCaller = createCallerFactory(appRouter);

/** Calls procedures directly from load functions and actions, without HTTP. */
export function serverCaller(event: Pick<RequestEvent, 'locals'>) {
	return createCaller(createContext(event));
}
