import { corsOrigins, getConfig } from '$lib/server/config';
import { listAgents } from '$lib/server/services/agents';
import type { PageServerLoad } from './$types';

/** Agent ids as links carry them: a slug or an integer id. */
const agentParam = /^[a-z0-9][a-z0-9.-]{0,127}$/;

/**
 * The embeddable widget's demo: the snippet for this server and a live instance. The agent shown
 * is `?agent=` when given, else the first public one (only public agents answer anonymous callers).
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const publicAgents = (await listAgents(locals.db, null)).map(({ slug, name, description, modelLabel, offline }) => ({
		slug,
		name,
		description,
		modelLabel,
		offline
	}));
	const asked = url.searchParams.get('agent')?.trim() ?? '';
	return {
		origin: url.origin,
		agent: agentParam.test(asked) ? asked : (publicAgents[0]?.slug ?? 'assistant'),
		publicAgents,
		// Which sites may embed it is the admin's business.
		corsOrigins: locals.user?.role === 'admin' ? corsOrigins(getConfig()) : null
	};
};
