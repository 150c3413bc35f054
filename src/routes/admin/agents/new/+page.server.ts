import { redirect } from '@sveltejs/kit';
import { serverCaller } from '$lib/server/trpc/context';
import { requireAdmin } from '../../catalog-form.server';
import { formFailure } from '$lib/server/http/form-failure';
import { agentFormValues, readAgentForm, typedAgentValues, type AgentFormValues } from '../agent-form.server';
import { readActionForm } from '$lib/server/http/read-form';
import type { Actions, PageServerLoad } from './$types';

/** A new agent's form; its model is the server's default model. */
const blank: Omit<AgentFormValues, 'model'> = {
	name: '',
	slug: '',
	description: '',
	system_prompt: '',
	temperature: '',
	max_steps: '5',
	reasoning: 'off',
	tools: [],
	mcp_servers: [],
	prompt_template_id: '',
	context_schema: '',
	visibility: 'users'
};

export const load: PageServerLoad = async (event) => {
	requireAdmin(event);
	const caller = serverCaller(event).adminCatalog.agents;
	const from = event.url.searchParams.get('from');
	const [options, agents] = await Promise.all([caller.formOptions(), caller.list()]);
	const original = from ? agents.find((agent) => String(agent.id) === from || agent.slug === from) : undefined;
	if (!original) return { options, values: { ...blank, model: options.default_model }, duplicateOf: null };
	// A copy: same settings, a free slug like `support-copy`.
	const taken = new Set(agents.map((agent) => agent.slug));
	let slug = `${original.slug}-copy`.slice(0, 100);
	for (let n = 2; taken.has(slug); n++) slug = `${original.slug}-copy-${n}`.slice(0, 100);
	return {
		options,
		values: { ...agentFormValues(original), name: `${original.name} (copy)`, slug },
		duplicateOf: original.name
	};
};

export const actions: Actions = {
	default: async (event) => {
		requireAdmin(event);
		const form = await readActionForm(event.request);
		let slug: string;
		try {
			slug = (await serverCaller(event).adminCatalog.agents.create(readAgentForm(form))).slug;
		} catch (error) {
			return formFailure(error, { ...typedAgentValues(form) });
		}
		redirect(303, `/admin/agents?saved=${encodeURIComponent(slug)}`);
	}
};
