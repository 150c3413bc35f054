import { requireLogin } from '$lib/server/http/require-login';
import { serverCaller } from '$lib/server/trpc/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireLogin(event.locals, event.url);
	const cursorParam = event.url.searchParams.get('cursor');
	const [updatedAt, id] = cursorParam ? cursorParam.split('.', 2) : [];
	const cursor = updatedAt && id && /^\d+$/.test(updatedAt) ? { updatedAt: Number(updatedAt), id } : null;
	const page = await serverCaller(event).tasks.list({ limit: 30, cursor });
	return {
		tasks: page.items,
		next: page.nextCursor ? `${page.nextCursor.updatedAt}.${page.nextCursor.id}` : null,
		isFirstPage: cursor === null
	};
};
