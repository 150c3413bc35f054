import { newId } from '$lib/server/ids';
import { requireLogin } from '$lib/server/http/require-login';
import { sidebarCollapsed, sidebarFirstPage } from '$lib/server/task-list/sidebar-page';
import { serverCaller } from '$lib/server/trpc/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireLogin(event.locals, event.url);
	const [agents, sidebar] = await Promise.all([serverCaller(event).agents.list(), sidebarFirstPage(event)]);
	const wanted = event.url.searchParams.get('agent');
	return {
		agents,
		selectedSlug: agents.find((agent) => agent.slug === wanted)?.slug ?? null,
		// The id of the task the first message will create; a fresh one on every visit.
		newTaskId: newId(),
		sidebar,
		sidebarCollapsed: sidebarCollapsed(event)
	};
};
