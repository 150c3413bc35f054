import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import type { AppRouter } from '$lib/server/trpc/routers/_app';

/** Where tRPC is mounted. */
const url = '/api/trpc';

/**
 * The pages' tRPC client: subscriptions over SSE (an EventSource, which reconnects by itself and
 * resumes after the last event it got), queries and mutations batched over HTTP.
 */
export const trpc = createTRPCClient<AppRouter>({
	links: [
		splitLink({
			condition: (op) => op.type === 'subscription',
			true: httpSubscriptionLink({ url }),
			false: httpBatchLink({ url })
		})
	]
});
