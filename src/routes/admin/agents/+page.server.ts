import { serverCaller } from '$lib/server/trpc/context';
import { numberField, requireAdmin } from '../catalog-form.server';
import { formFailure } from '$lib/server/http/form-failure';
import { readActionForm } from '$lib/server/http/read-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const caller = serverCaller(event).adminCatalog;
	const [agents, tools, options] = await Promise.all([caller.agents.list(), caller.tools.list(), caller.agents.formOptions()]);
	return {
		agents,
		toolNames: Object.fromEntries(tools.map((tool) => [tool.id, tool.name])) as Record<number, string>,
		serverNames: Object.fromEntries(options.mcp_servers.map((server) => [server.id, server.name])) as Record<number, string>,
		saved: event.url.searchParams.get('saved')
	};
};

export const actions: Actions = {
	delete: async (event) => {
		requireAdmin(event);
		const form = await readActionForm(event.request);
		try {
			await serverCaller(event).adminCatalog.agents.delete({ id: numberField(form, 'id') ?? 0 });
			return { deleted: String(form.get('name') ?? 'The agent') };
		} catch (error) {
			return formFailure(error);
		}
	}
};
