import type { RequestEvent } from '@sveltejs/kit';
import { getConfig } from '../config';
import { ANONYMOUS_ID_HEADER } from '../http/viewer';
import { createCallerFactory, type Context } from './trpc';
import { appRouter } from './routers/_app';

/**
 * The tRPC context of a SvelteKit request. An anonymous caller names itself with the
 * `X-Anonymous-Id` header or, from a browser's EventSource (which sends no headers), with
 * `anonymousId` in the subscription's connection params.
 */
export function createContext(
	event: Pick<RequestEvent, 'locals'> & { request?: Request },
	connectionParams?: Record<string, string | undefined> | null
): Context {
	const anonymousId = event.request?.headers.get(ANONYMOUS_ID_HEADER) ?? connectionParams?.anonymousId ?? null;
	return { db: event.locals.db, config: getConfig(), user: event.locals.user, anonymousId };
}

const createCaller = createCallerFactory(appRouter);

/** Calls procedures directly from load functions and actions, without HTTP. */
export function serverCaller(event: Pick<RequestEvent, 'locals'>) {
	return createCaller(createContext(event));
}
