import { error } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { requireLogin } from '$lib/server/http/require-login';
import { sidebarCollapsed, sidebarFirstPage } from '$lib/server/task-list/sidebar-page';
import { serverCaller } from '$lib/server/trpc/context';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireLogin(event.locals, event.url);
	const caller = serverCaller(event);
	try {
		const [task, agents, sidebar] = await Promise.all([
			caller.tasks.get({ id: event.params.taskId }),
			caller.agents.list(),
			sidebarFirstPage(event)
		]);
		return { ...task, agents, sidebar, sidebarCollapsed: sidebarCollapsed(event) };
	} catch (cause) {
		if (cause instanceof TRPCError && cause.code === 'NOT_FOUND') error(404, 'This task does not exist, or it is not yours.');
		throw cause;
	}
};
