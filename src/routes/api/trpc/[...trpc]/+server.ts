import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { RequestHandler } from './$types';
import { createContext } from '$lib/server/trpc/context';
import { appRouter } from '$lib/server/trpc/routers/_app';

/** tRPC mounted directly with its fetch adapter (see README, "Why tRPC is mounted directly"). */
const handler: RequestHandler = (event) =>
	fetchRequestHandler({
		endpoint: '/api/trpc',
		req: event.request,
		router: appRouter,
		createContext: ({ info }) => createContext(event, info.connectionParams)
	});

export const GET = handler;
export const POST = handler;
