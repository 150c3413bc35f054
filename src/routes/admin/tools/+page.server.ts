import { serverCaller } from '$lib/server/trpc/context';
import { numberField, requireAdmin } from '../catalog-form.server';
import { formFailure } from '$lib/server/http/form-failure';
import { readActionForm } from '$lib/server/http/read-form';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const caller = serverCaller(event).adminCatalog;
	const [tools, builtins, agents] = await Promise.all([caller.tools.list(), caller.tools.builtins(), caller.agents.list()]);
	return {
		tools: tools.map((tool) => ({
			...tool,
			usedBy: agents.filter((agent) => agent.tools.includes(tool.id)).map((agent) => agent.name)
		})),
		builtins,
		saved: event.url.searchParams.get('saved')
	};
};

export const actions: Actions = {
	delete: async (event) => {
		requireAdmin(event);
		const form = await readActionForm(event.request);
		try {
			await serverCaller(event).adminCatalog.tools.delete({ id: numberField(form, 'id') ?? 0 });
			return { deleted: String(form.get('name') ?? 'The tool') };
		} catch (error) {
			return formFailure(error);
		}
	}
};
