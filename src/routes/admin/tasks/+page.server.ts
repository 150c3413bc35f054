import { requireAdmin } from '$lib/server/http/require-admin';
import { serverCaller } from '$lib/server/trpc/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event.locals, event.url);
	const params = event.url.searchParams;
	const cursorParam = params.get('cursor');
	const [createdAt, id] = cursorParam ? cursorParam.split('.', 2) : [];
	const cursor = createdAt && id && /^\d+$/.test(createdAt) ? { createdAt: Number(createdAt), id } : null;
	const user = (params.get('user') ?? '').trim().slice(0, 320);
	const caller = serverCaller(event);
	const agents = await caller.agents.list();
	const agent = agents.find((candidate) => candidate.slug === params.get('agent'));
	const page = await caller.admin.tasks.list({
		limit: 25,
		cursor,
		userEmail: user || undefined,
		agentSlug: agent?.slug
	});
	return {
		tasks: page.items,
		next: page.nextCursor ? `${page.nextCursor.createdAt}.${page.nextCursor.id}` : null,
		isFirstPage: cursor === null,
		agents: agents.map(({ slug, name }) => ({ slug, name })),
		filters: { user, agent: agent?.slug ?? '' }
	};
};
