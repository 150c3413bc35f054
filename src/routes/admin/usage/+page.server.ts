import { requireAdmin } from '$lib/server/http/require-admin';
import { serverCaller } from '$lib/server/trpc/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event.locals, event.url);
	return { usage: await serverCaller(event).admin.usage({ days: 30 }) };
};
