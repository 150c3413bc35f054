import type { AgentCard, AgentSkill } from '@a2a-js/sdk';

/** What a card shows of an agent. */
export interface CardAgent {
	slug: string;
	name: string;
	description: string;
	tools: readonly { name: string; description: string }[];
}

/** The card's security scheme: a bearer API key (`Authorization: Bearer pk_…`). */
export const BEARER_SCHEME = 'bearer';

/** The JSON-RPC URL of an agent. */
export function rpcUrlOf(origin: string, slug: string): string {
	return `${origin}/a2a/${encodeURIComponent(slug)}`;
}

/** The URL of an agent's card. */
export function cardUrlOf(origin: string, slug: string): string {
	return `${rpcUrlOf(origin, slug)}/.well-known/agent-card.json`;
}

/** An agent's skills: one for what the agent does (its description), one per tool. */
export function skillsOf(agent: CardAgent): AgentSkill[] {
	const skill = (id: string, name: string, description: string, tags: string[]): AgentSkill => ({
		id,
		name,
		description,
		tags,
		examples: [],
		inputModes: [],
		outputModes: [],
		securityRequirements: []
	});
	return [
		skill(agent.slug, agent.name, agent.description || `Chat with ${agent.name}.`, ['chat']),
		...agent.tools.map((tool) => skill(`tool:${tool.name}`, tool.name, tool.description || `The ${tool.name} tool.`, ['tool']))
	];
}

/**
 * An agent's A2A card (A2A 1.0, as `@a2a-js/sdk` 1.3 reads it): its JSON-RPC interface, in A2A
 * 1.0 and, at the same URL, 0.3; streaming; bearer API keys; its skills.
 */
export function agentCardOf(agent: CardAgent, origin: string, version: string, anonymousAllowed: boolean): AgentCard {
	const url = rpcUrlOf(origin, agent.slug);
	return {
		name: agent.name,
		description: agent.description || `${agent.name}, an agent of Parley.`,
		supportedInterfaces: [
			{ url, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '1.0' },
			{ url, protocolBinding: 'JSONRPC', tenant: '', protocolVersion: '0.3' }
		],
		provider: { organization: 'Parley', url: origin },
		version,
		documentationUrl: `${origin}/swagger`,
		capabilities: { streaming: true, pushNotifications: false, extensions: [], extendedAgentCard: false },
		securitySchemes: {
			[BEARER_SCHEME]: {
				scheme: {
					$case: 'httpAuthSecurityScheme',
					value: { description: 'A Parley API key: Authorization: Bearer pk_…', scheme: 'bearer', bearerFormat: 'API key' }
				}
			}
		},
		securityRequirements: anonymousAllowed ? [] : [{ schemes: { [BEARER_SCHEME]: { list: [] } } }],
		defaultInputModes: ['text/plain', 'application/json', 'image/*', 'application/pdf'],
		defaultOutputModes: ['text/plain', 'application/json'],
		skills: skillsOf(agent),
		signatures: []
	};
}

/** One public agent in the directory: its card's URL. */
export interface DirectoryEntry {
	slug: string;
	name: string;
	description: string;
	url: string;
	cardUrl: string;
}

/**
 * Parley's directory card (`/.well-known/agent-card.json`): a card naming Parley, whose skills
 * are the public agents (each skill's id is the agent's slug and its description names its
 * card), and the list of those agents with their cards' URLs. It has no interface of its own:
 * a client talks to an agent through that agent's card.
 */
export function directoryCardOf(
	agents: readonly { slug: string; name: string; description: string; visibility: string }[],
	origin: string,
	version: string
) {
	const listed = agents.filter((agent) => agent.visibility === 'public');
	const entries: DirectoryEntry[] = listed.map((agent) => ({
		slug: agent.slug,
		name: agent.name,
		description: agent.description,
		url: rpcUrlOf(origin, agent.slug),
		cardUrl: cardUrlOf(origin, agent.slug)
	}));
	const card: AgentCard = {
		name: 'Parley',
		description: 'Parley serves each of its agents over A2A: every agent has its own card (see each skill, or `agents`).',
		supportedInterfaces: [],
		provider: { organization: 'Parley', url: origin },
		version,
		documentationUrl: `${origin}/swagger`,
		capabilities: { streaming: true, pushNotifications: false, extensions: [], extendedAgentCard: false },
		securitySchemes: {},
		securityRequirements: [],
		defaultInputModes: ['text/plain'],
		defaultOutputModes: ['text/plain'],
		skills: entries.map((entry) => ({
			id: entry.slug,
			name: entry.name,
			description: `${entry.description || entry.name} — card: ${entry.cardUrl}`,
			tags: ['agent'],
			examples: [],
			inputModes: [],
			outputModes: [],
			securityRequirements: []
		})),
		signatures: []
	};
	return { card, agents: entries };
}
