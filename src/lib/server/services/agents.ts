import { asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { prepared } from '../db/prepared';
import { agentMcpServers, agents, agentTools, promptTemplates, tools, type Agent, type AgentVisibility, type Tool } from '../db/schema';
import { AppError } from '../errors';
import { isOfflineModel, modelLabel } from '../models/catalog';
import { isAdmin, type Viewer } from './viewer';

/** What lists of agents show. */
export interface AgentSummary {
	id: number;
	slug: string;
	name: string;
	description: string;
	model: string;
	modelLabel: string;
	offline: boolean;
	visibility: AgentVisibility;
}

/** An agent with its tools in order and its prompt template's text. */
export type AgentWithTools = Agent & { tools: Tool[]; promptTemplate: string | null };

/** Loads what a run needs beside the agent row: its tools and its prompt template. */
async function withTools(db: Db, agent: Agent): Promise<AgentWithTools> {
	const [tools, template] = await Promise.all([
		listAgentTools(db, agent.id),
		agent.promptTemplateId === null
			? undefined
			: db
					.select({ template: promptTemplates.template })
					.from(promptTemplates)
					.where(eq(promptTemplates.id, agent.promptTemplateId))
					.then((rows) => rows[0])
	]);
	return { ...agent, tools, promptTemplate: template?.template ?? null };
}

/** Whether a viewer may use an agent of a given visibility. */
export function canUseAgent(viewer: Viewer | null, visibility: AgentVisibility): boolean {
	if (visibility === 'public') return true;
	if (!viewer || viewer.kind !== 'user') return false;
	return visibility === 'users' || isAdmin(viewer);
}

function summarize(agent: Agent): AgentSummary {
	return {
		id: agent.id,
		slug: agent.slug,
		name: agent.name,
		description: agent.description,
		model: agent.model,
		modelLabel: modelLabel(agent.model),
		offline: isOfflineModel(agent.model),
		visibility: agent.visibility
	};
}

/** The agents a viewer may use, by name. */
export async function listAgents(db: Db, viewer: Viewer | null): Promise<AgentSummary[]> {
	const rows = await db.select().from(agents).orderBy(asc(agents.name));
	return rows.filter((agent) => canUseAgent(viewer, agent.visibility)).map(summarize);
}

/** Finds an agent by integer id (number or numeric string) or slug. */
export async function findAgent(db: Db, idOrSlug: string | number): Promise<Agent | undefined> {
	const key = String(idOrSlug).trim();
	return /^\d+$/.test(key) ? prepared(db, agentById).get({ id: Number(key) }) : prepared(db, agentBySlug).get({ slug: key });
}

const agentById = (db: Db) =>
	db
		.select()
		.from(agents)
		.where(eq(agents.id, sql.placeholder('id')))
		.prepare();
const agentBySlug = (db: Db) =>
	db
		.select()
		.from(agents)
		.where(eq(agents.slug, sql.placeholder('slug')))
		.prepare();
const toolLinksOf = (db: Db) =>
	db
		.select()
		.from(agentTools)
		.where(eq(agentTools.agentId, sql.placeholder('agentId')))
		.orderBy(asc(agentTools.position))
		.prepare();
const serverLinksOf = (db: Db) =>
	db
		.select()
		.from(agentMcpServers)
		.where(eq(agentMcpServers.agentId, sql.placeholder('agentId')))
		.orderBy(asc(agentMcpServers.position))
		.prepare();

/**
 * An agent the viewer may use, with its tools. Missing, or hidden from a signed-in user:
 * `not_found`; an existing agent that is not public, asked for anonymously: `unauthorized`.
 */
export async function getUsableAgent(db: Db, viewer: Viewer | null, idOrSlug: string | number, field = 'agentId'): Promise<AgentWithTools> {
	const agent = await findAgent(db, idOrSlug);
	if (agent && !canUseAgent(viewer, agent.visibility) && viewer?.kind !== 'user') {
		throw new AppError('unauthorized', 'Log in or send an API key to use this agent.');
	}
	if (!agent || !canUseAgent(viewer, agent.visibility)) {
		throw new AppError('not_found', `No agent "${idOrSlug}" is available to you.`, { field });
	}
	return withTools(db, agent);
}

/**
 * The tools of an agent: the ones attached to it, in their configured order, then every tool of
 * the MCP servers it uses all of (by server, in the servers' order), each tool once. A server's
 * tools are read from its tool rows as they are now, so tools a refresh or a `list_changed`
 * notification added join, and tools it dropped are gone; each keeps its `requires_approval`.
 */
export async function listAgentTools(db: Db, agentId: number): Promise<Tool[]> {
	const [links, serverLinks] = await Promise.all([
		prepared(db, toolLinksOf).all({ agentId }),
		prepared(db, serverLinksOf).all({ agentId })
	]);
	if (links.length === 0 && serverLinks.length === 0) return [];
	const [rows, serverRows] = await Promise.all([
		links.length === 0
			? []
			: db
					.select()
					.from(tools)
					.where(
						inArray(
							tools.id,
							links.map((link) => link.toolId)
						)
					),
		serverLinks.length === 0
			? []
			: db
					.select()
					.from(tools)
					.where(
						inArray(
							tools.mcpServerId,
							serverLinks.map((link) => link.mcpServerId)
						)
					)
					.orderBy(asc(tools.id))
	]);
	const byId = new Map(rows.map((tool) => [tool.id, tool]));
	return mergeAgentTools(
		links.flatMap((link) => byId.get(link.toolId) ?? []),
		serverLinks.map((link) => link.mcpServerId),
		serverRows
	);
}

/**
 * An agent's own tools followed by its servers' tools (grouped in `serverIds` order, kind `mcp`
 * only), leaving out any tool already in the list.
 */
export function mergeAgentTools(own: Tool[], serverIds: readonly number[], serverTools: Tool[]): Tool[] {
	const merged = [...own];
	const seen = new Set(own.map((tool) => tool.id));
	for (const serverId of serverIds) {
		for (const tool of serverTools) {
			if (tool.kind !== 'mcp' || tool.mcpServerId !== serverId || seen.has(tool.id)) continue;
			seen.add(tool.id);
			merged.push(tool);
		}
	}
	return merged;
}

/**
 * The default agent: `DEFAULT_AGENT` (a slug) when set and present, else `assistant`, else (for a
 * signed-in caller) the first usable one.
 */
export async function getDefaultAgent(db: Db, viewer: Viewer | null, configuredSlug?: string): Promise<AgentWithTools> {
	for (const slug of [configuredSlug, 'assistant']) {
		if (!slug) continue;
		const agent = await findAgent(db, slug);
		if (agent && canUseAgent(viewer, agent.visibility)) return withTools(db, agent);
	}
	// An anonymous caller is not handed some other public agent: it names the one it wants.
	const [first] = viewer?.kind === 'user' ? await listAgents(db, viewer) : [];
	if (!first && viewer?.kind !== 'user') throw new AppError('unauthorized', 'Log in or send an API key to chat.');
	if (!first) throw new AppError('not_found', 'No agent is available to you.', { field: 'agentId' });
	return getUsableAgent(db, viewer, first.id);
}
