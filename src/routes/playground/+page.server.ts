import { isProtocolId } from '$lib/playground/protocols';
import { requireLogin } from '$lib/server/http/require-login';
import { serverCaller } from '$lib/server/trpc/context';
import type { PageServerLoad } from './$types';

/** The agents the person may use, and the agent and protocol the address asks for (`?agent=&protocol=`). */
export const load: PageServerLoad = async (event) => {
	requireLogin(event.locals, event.url);
	const agents = await serverCaller(event).agents.list();
	const wantedAgent = event.url.searchParams.get('agent');
	const wantedProtocol = event.url.searchParams.get('protocol');
	return {
		agents,
		selectedSlug: agents.find((agent) => agent.slug === wantedAgent)?.slug ?? null,
		selectedProtocol: isProtocolId(wantedProtocol) ? wantedProtocol : null
	};
};
