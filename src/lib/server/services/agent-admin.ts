import { asc, count, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Config } from '../config';
import type { Db } from '../db';
import {
	agentMcpServers,
	agents,
	agentTools,
	mcpServers,
	agentVisibilities,
	agentSources,
	promptTemplates,
	reasoningLevels,
	tasks,
	tools,
	type Agent
} from '../db/schema';
import { AppError } from '../errors';
import { defaultModelId } from '../models/catalog';
import { resolveModel } from '../models/registry';
import { canUseAgent, findAgent } from './agents';
import { assertValidSchema } from './context-schema';
import { isAdmin, type Viewer } from './viewer';

/** What an admin write needs: the database, the configuration (models) and who asks. */
export interface AdminContext {
	db: Db;
	config: Config;
	viewer: Viewer;
}

/** An agent slug: `[a-z0-9][a-z0-9.-]*`, and not all digits (numbers are ids). */
export const agentSlugSchema = z
	.string()
	.trim()
	.min(1, { message: 'must not be empty' })
	.max(100)
	.regex(/^[a-z0-9][a-z0-9.-]*$/, {
		message: 'must be lower-case letters, digits, "." and "-", starting with a letter or digit'
	})
	.refine((slug) => !/^\d+$/.test(slug), { message: 'must not be all digits (numbers are agent ids)' })
	.meta({ description: 'Unique, non-numeric name used in URLs and `agent_id` fields.', example: 'support' });

/** The writable fields of an agent, without defaults. */
const agentFields = {
	slug: agentSlugSchema,
	name: z.string().trim().min(1, { message: 'must not be empty' }).max(200),
	description: z.string().max(5_000),
	system_prompt: z.string().max(100_000),
	model: z
		.string()
		.trim()
		.min(1, { message: 'must not be empty' })
		.max(200)
		.meta({ description: '`provider:model`, e.g. `mock:offline` or `openai:gpt-4o-mini`.' }),
	temperature: z.number().min(0).max(2).nullable(),
	max_steps: z.number().int().min(1).max(100),
	reasoning: z.enum(reasoningLevels).meta({
		description:
			'How hard the model thinks before it answers: `off` sends no reasoning options; `low`, `medium` and `high` set OpenAI’s reasoning effort (with summaries), Anthropic’s thinking budget or Gemini’s thinking, and pass the effort to OpenAI-compatible servers.'
	}),
	tools: z
		.array(z.number().int().positive())
		.max(100)
		.refine((ids) => new Set(ids).size === ids.length, { message: 'must not name a tool twice' })
		.meta({ description: 'The ids of the agent’s tools, in order.' }),
	mcp_servers: z
		.array(z.number().int().positive())
		.max(100)
		.refine((ids) => new Set(ids).size === ids.length, { message: 'must not name an MCP server twice' })
		.meta({
			description:
				'The ids of MCP servers (`/api/mcp-servers/`) whose tools the agent all uses, now and later: tools a server adds join the agent’s runs, tools it drops leave them. Besides `tools`; a tool in both counts once.'
		}),
	prompt_template_id: z.number().int().positive().nullable(),
	context_schema: z.record(z.string(), z.unknown()).nullable().meta({ description: 'JSON Schema a session’s `context` must satisfy.' }),
	visibility: z.enum(agentVisibilities)
};

/**
 * The body that creates an agent (`POST`), or replaces one (`PUT`): left-out fields take their
 * defaults, the model the server's default model (see `withDefaultModel`).
 */
export const agentInputSchema = z
	.object({
		...agentFields,
		description: agentFields.description.default(''),
		system_prompt: agentFields.system_prompt.default(''),
		model: agentFields.model
			.optional()
			.meta({ description: '`provider:model`; when left out, the server’s default model (`DEFAULT_MODEL`).' }),
		temperature: agentFields.temperature.default(null),
		max_steps: agentFields.max_steps.default(5),
		reasoning: agentFields.reasoning.default('off'),
		tools: agentFields.tools.default([]),
		mcp_servers: agentFields.mcp_servers.default([]),
		prompt_template_id: agentFields.prompt_template_id.default(null),
		context_schema: agentFields.context_schema.default(null),
		visibility: agentFields.visibility.default('users')
	})
	.meta({ id: 'AgentInput' });

/** The body that changes some fields of an agent (`PATCH`). */
export const agentPatchSchema = z.object(agentFields).partial().meta({ id: 'AgentPatch' });

/** The body of a create or replace, as read: the model may be left out. */
export type AgentInputBody = z.infer<typeof agentInputSchema>;

/** A complete agent as written. */
export type AgentInput = AgentInputBody & { model: string };

/** A body with its model, the server's default model (`DEFAULT_MODEL`) when it names none. */
export function withDefaultModel(config: Config, body: AgentInputBody): AgentInput {
	return { ...body, model: body.model ?? defaultModelId(config) };
}

/** Some fields of an agent. */
export type AgentPatch = z.infer<typeof agentPatchSchema>;

/** An agent as the API shows it. */
export const agentResourceSchema = z
	.object({
		id: z.number().int(),
		slug: z.string(),
		name: z.string(),
		description: z.string(),
		system_prompt: z.string(),
		model: z.string(),
		temperature: z.number().nullable(),
		max_steps: z.number().int(),
		reasoning: z.enum(reasoningLevels),
		tools: z.array(z.number().int()),
		mcp_servers: z.array(z.number().int()).meta({ description: 'The MCP servers whose tools the agent all uses.' }),
		prompt_template_id: z.number().int().nullable(),
		context_schema: z.record(z.string(), z.unknown()).nullable(),
		visibility: z.enum(agentVisibilities),
		source: z.enum(agentSources),
		created_at: z.string().meta({ format: 'date-time' }),
		updated_at: z.string().meta({ format: 'date-time' })
	})
	.meta({ id: 'Agent' });

/** An agent as the API shows it. */
export type AgentResource = z.infer<typeof agentResourceSchema>;

/** The API form of an agent row with its tool ids and the ids of the MCP servers it uses all of. */
export function toAgentResource(agent: Agent, toolIds: number[], serverIds: number[] = []): AgentResource {
	return {
		id: agent.id,
		slug: agent.slug,
		name: agent.name,
		description: agent.description,
		system_prompt: agent.systemPrompt,
		model: agent.model,
		temperature: agent.temperature,
		max_steps: agent.maxSteps,
		reasoning: agent.reasoning,
		tools: toolIds,
		mcp_servers: serverIds,
		prompt_template_id: agent.promptTemplateId,
		context_schema: agent.contextSchema ?? null,
		visibility: agent.visibility,
		source: agent.source,
		created_at: agent.createdAt.toISOString(),
		updated_at: agent.updatedAt.toISOString()
	};
}

/** Whether a database error is a broken unique constraint (a race between two writers). */
export function isUniqueViolation(error: unknown): boolean {
	for (let cause = error; cause instanceof Error; cause = cause.cause) {
		if (cause.message.includes('UNIQUE constraint failed')) return true;
	}
	return false;
}

/** The tool ids of agents, in order, by agent id. */
async function toolIdsOf(db: Db, agentIds: number[]): Promise<Map<number, number[]>> {
	const byAgent = new Map<number, number[]>(agentIds.map((id) => [id, []]));
	if (agentIds.length === 0) return byAgent;
	const links = await db
		.select({ agentId: agentTools.agentId, toolId: agentTools.toolId })
		.from(agentTools)
		.where(inArray(agentTools.agentId, agentIds))
		.orderBy(asc(agentTools.agentId), asc(agentTools.position));
	for (const link of links) byAgent.get(link.agentId)?.push(link.toolId);
	return byAgent;
}

/** The ids of the MCP servers agents use all the tools of, in order, by agent id. */
async function serverIdsOf(db: Db, agentIds: number[]): Promise<Map<number, number[]>> {
	const byAgent = new Map<number, number[]>(agentIds.map((id) => [id, []]));
	if (agentIds.length === 0) return byAgent;
	const links = await db
		.select({ agentId: agentMcpServers.agentId, serverId: agentMcpServers.mcpServerId })
		.from(agentMcpServers)
		.where(inArray(agentMcpServers.agentId, agentIds))
		.orderBy(asc(agentMcpServers.agentId), asc(agentMcpServers.position));
	for (const link of links) byAgent.get(link.agentId)?.push(link.serverId);
	return byAgent;
}

/** An agent's resource, with its tools and MCP servers read. */
async function resourceOf(db: Db, agent: Agent): Promise<AgentResource> {
	const [toolIds, serverIds] = await Promise.all([toolIdsOf(db, [agent.id]), serverIdsOf(db, [agent.id])]);
	return toAgentResource(agent, toolIds.get(agent.id) ?? [], serverIds.get(agent.id) ?? []);
}

/** `forbidden` unless the viewer is an admin. */
export function assertAdmin(viewer: Viewer): void {
	if (!isAdmin(viewer)) throw new AppError('forbidden', 'Only admins may change agents and tools.');
}

/** The agents a viewer may use, by id. */
export async function listAgentResources(db: Db, viewer: Viewer): Promise<AgentResource[]> {
	const rows = (await db.select().from(agents).orderBy(asc(agents.id))).filter((agent) => canUseAgent(viewer, agent.visibility));
	const ids = rows.map((agent) => agent.id);
	const [toolIds, serverIds] = await Promise.all([toolIdsOf(db, ids), serverIdsOf(db, ids)]);
	return rows.map((agent) => toAgentResource(agent, toolIds.get(agent.id) ?? [], serverIds.get(agent.id) ?? []));
}

/** An agent row the viewer may see, by id or slug; `not_found` otherwise. */
async function getVisibleAgent(db: Db, viewer: Viewer, idOrSlug: string | number): Promise<Agent> {
	const agent = await findAgent(db, idOrSlug);
	if (!agent || !canUseAgent(viewer, agent.visibility)) {
		throw new AppError('not_found', `No agent "${idOrSlug}" is available to you.`, { field: 'id' });
	}
	return agent;
}

/** One agent the viewer may use, by id or slug. */
export async function getAgentResource(db: Db, viewer: Viewer, idOrSlug: string | number): Promise<AgentResource> {
	return resourceOf(db, await getVisibleAgent(db, viewer, idOrSlug));
}

/**
 * Checks what an agent is about to become: a free slug, a model this server can run, existing
 * tools and template, and a context schema that compiles. `invalid_input` or `conflict` naming
 * the field.
 */
async function checkAgent(db: Db, config: Config, agent: AgentInput, ownId?: number): Promise<void> {
	resolveModel(config, agent.model);
	if (agent.context_schema) assertValidSchema(agent.context_schema);
	if (agent.tools.length > 0) {
		const found = await db.select({ id: tools.id }).from(tools).where(inArray(tools.id, agent.tools));
		const missing = agent.tools.filter((id) => !found.some((tool) => tool.id === id));
		if (missing.length > 0) {
			throw new AppError('invalid_input', `tools: no tool has the id ${missing.join(', ')}.`, { field: 'tools' });
		}
	}
	await checkMcpServers(db, config, agent.mcp_servers);
	if (agent.prompt_template_id !== null) {
		const [template] = await db
			.select({ id: promptTemplates.id })
			.from(promptTemplates)
			.where(eq(promptTemplates.id, agent.prompt_template_id));
		if (!template) {
			throw new AppError('invalid_input', `prompt_template_id: no prompt template has the id ${agent.prompt_template_id}.`, {
				field: 'prompt_template_id'
			});
		}
	}
	const clash = await findAgent(db, agent.slug);
	if (clash && clash.id !== ownId) throw slugTaken(agent.slug);
}

/**
 * The MCP servers an agent uses all of: at most `MCP_SERVERS_LIMIT`, each one existing
 * (`unprocessable` naming the unknown ids).
 */
async function checkMcpServers(db: Db, config: Config, ids: readonly number[]): Promise<void> {
	if (ids.length === 0) return;
	if (ids.length > config.MCP_SERVERS_LIMIT) {
		throw new AppError('invalid_input', `mcp_servers: at most ${config.MCP_SERVERS_LIMIT} MCP servers (MCP_SERVERS_LIMIT).`, {
			field: 'mcp_servers'
		});
	}
	const found = await db
		.select({ id: mcpServers.id })
		.from(mcpServers)
		.where(inArray(mcpServers.id, [...ids]));
	const missing = ids.filter((id) => !found.some((server) => server.id === id));
	if (missing.length > 0) {
		throw new AppError('unprocessable', `mcp_servers: no MCP server has the id ${missing.join(', ')}.`, { field: 'mcp_servers' });
	}
}

/** Links an agent to the MCP servers it uses all of, in order (within a transaction). */
function serverLinks(agentId: number, serverIds: readonly number[]) {
	return serverIds.map((mcpServerId, position) => ({ agentId, mcpServerId, position }));
}

function slugTaken(slug: string): AppError {
	return new AppError('conflict', `An agent with the slug "${slug}" already exists.`, { field: 'slug' });
}

/** The agent table's columns for the API's fields. */
function columnsOf(agent: AgentInput) {
	return {
		slug: agent.slug,
		name: agent.name,
		description: agent.description,
		systemPrompt: agent.system_prompt,
		model: agent.model,
		temperature: agent.temperature,
		maxSteps: agent.max_steps,
		reasoning: agent.reasoning,
		promptTemplateId: agent.prompt_template_id,
		contextSchema: agent.context_schema,
		visibility: agent.visibility
	};
}

/** Creates an agent (admins only), with its tools in the given order; no model means the default model. */
export async function createAgent({ db, config, viewer }: AdminContext, body: AgentInputBody): Promise<AgentResource> {
	assertAdmin(viewer);
	const input = withDefaultModel(config, body);
	await checkAgent(db, config, input);
	try {
		const created = await db.transaction(async (tx) => {
			const [row] = await tx
				.insert(agents)
				.values({ ...columnsOf(input), source: 'database' })
				.returning();
			if (input.tools.length > 0) {
				await tx.insert(agentTools).values(input.tools.map((toolId, position) => ({ agentId: row.id, toolId, position })));
			}
			if (input.mcp_servers.length > 0) await tx.insert(agentMcpServers).values(serverLinks(row.id, input.mcp_servers));
			return row;
		});
		return toAgentResource(created, input.tools, input.mcp_servers);
	} catch (error) {
		if (isUniqueViolation(error)) throw slugTaken(input.slug);
		throw error;
	}
}

/** An agent an admin may change: it exists, and is not defined in code (`conflict`). */
async function getWritableAgent(db: Db, viewer: Viewer, idOrSlug: string | number): Promise<Agent> {
	assertAdmin(viewer);
	const agent = await getVisibleAgent(db, viewer, idOrSlug);
	if (agent.source === 'code') {
		throw new AppError('conflict', `The agent "${agent.slug}" is defined in code and cannot be changed here.`, {
			field: 'id'
		});
	}
	return agent;
}

/**
 * Changes an agent (admins only): `PUT` passes every field, `PATCH` some. The result is checked
 * as a whole; the tools, when given, replace the old list.
 */
export async function updateAgent(
	{ db, config, viewer }: AdminContext,
	idOrSlug: string | number,
	changes: AgentPatch
): Promise<AgentResource> {
	const agent = await getWritableAgent(db, viewer, idOrSlug);
	const current = await resourceOf(db, agent);
	const next: AgentInput = {
		slug: changes.slug ?? current.slug,
		name: changes.name ?? current.name,
		description: changes.description ?? current.description,
		system_prompt: changes.system_prompt ?? current.system_prompt,
		model: changes.model ?? current.model,
		temperature: changes.temperature === undefined ? current.temperature : changes.temperature,
		max_steps: changes.max_steps ?? current.max_steps,
		reasoning: changes.reasoning ?? current.reasoning,
		tools: changes.tools ?? current.tools,
		mcp_servers: changes.mcp_servers ?? current.mcp_servers,
		prompt_template_id: changes.prompt_template_id === undefined ? current.prompt_template_id : changes.prompt_template_id,
		context_schema: changes.context_schema === undefined ? current.context_schema : changes.context_schema,
		visibility: changes.visibility ?? current.visibility
	};
	await checkAgent(db, config, next, agent.id);
	try {
		const updated = await db.transaction(async (tx) => {
			const [row] = await tx
				.update(agents)
				.set({ ...columnsOf(next), updatedAt: new Date() })
				.where(eq(agents.id, agent.id))
				.returning();
			if (changes.tools) {
				await tx.delete(agentTools).where(eq(agentTools.agentId, agent.id));
				if (next.tools.length > 0) {
					await tx.insert(agentTools).values(next.tools.map((toolId, position) => ({ agentId: agent.id, toolId, position })));
				}
			}
			if (changes.mcp_servers) {
				await tx.delete(agentMcpServers).where(eq(agentMcpServers.agentId, agent.id));
				if (next.mcp_servers.length > 0) await tx.insert(agentMcpServers).values(serverLinks(agent.id, next.mcp_servers));
			}
			return row;
		});
		return toAgentResource(updated, next.tools, next.mcp_servers);
	} catch (error) {
		if (isUniqueViolation(error)) throw slugTaken(next.slug);
		throw error;
	}
}

/**
 * Deletes an agent (admins only). An agent with sessions is kept (`conflict`): its tasks and
 * their messages refer to it; hide it from people with visibility `admins` instead.
 */
export async function deleteAgent({ db, viewer }: Pick<AdminContext, 'db' | 'viewer'>, idOrSlug: string | number): Promise<void> {
	const agent = await getWritableAgent(db, viewer, idOrSlug);
	const [{ sessions }] = await db.select({ sessions: count() }).from(tasks).where(eq(tasks.agentId, agent.id));
	if (sessions > 0) {
		throw new AppError(
			'conflict',
			`The agent "${agent.slug}" has ${sessions} ${sessions === 1 ? 'task' : 'tasks'} and cannot be deleted; set its visibility to "admins" to retire it.`,
			{ field: 'id' }
		);
	}
	await db.batch([
		db.delete(agentTools).where(eq(agentTools.agentId, agent.id)),
		db.delete(agentMcpServers).where(eq(agentMcpServers.agentId, agent.id)),
		db.delete(agents).where(eq(agents.id, agent.id))
	]);
}
