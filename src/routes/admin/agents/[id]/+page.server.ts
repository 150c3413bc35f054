import { redirect } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/context';
import { idParam, notFoundAs404, requireAdmin } from '../../catalog-form.server';
import { formFailure } from '$lib/server/http/form-failure';
import { agentFormValues, readAgentForm, typedAgentValues } from '../agent-form.server';
import { readActionForm } from '$lib/server/http/read-form';
import type { Actions, PageServerLoad } from './$types';

/** The tools through which an agent uses its knowledge. */
const knowledgeToolNames = ['search_knowledge', 'search_products'];

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const id = idParam(event.params.id);
	const caller = serverCaller(event).adminCatalog.agents;
	const [agent, options] = await Promise.all([caller.get({ id }).catch(notFoundAs404), caller.formOptions()]);
	const knowledge = await serverCaller(event).knowledge.list({ agentId: id });
	const searchTools = options.tools
		.filter((tool) => agent.tools.includes(tool.id) && knowledgeToolNames.includes(tool.name))
		.map((tool) => tool.name);
	return {
		agent: { id: agent.id, name: agent.name, slug: agent.slug, source: agent.source },
		values: agentFormValues(agent),
		options,
		knowledge: { sources: knowledge, searchTools }
	};
};

export const actions: Actions = {
	default: async (event) => {
		requireAdmin(event);
		const id = idParam(event.params.id);
		const form = await readActionForm(event.request);
		let slug: string;
		try {
			slug = (await serverCaller(event).adminCatalog.agents.update({ id, ...readAgentForm(form) })).slug;
		} catch (error) {
			return formFailure(error, { ...typedAgentValues(form) });
		}
		redirect(303, `/admin/agents?saved=${encodeURIComponent(slug)}`);
	}
};
