import { asc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { agents, agentTools, tools, toolKinds, type Tool } from '../db/schema';
import { AppError } from '../errors';
import { builtinTools } from '../tools/builtin';
import { parseHttpToolConfig } from '../tools/http-tool';
import { ToolError } from '../tools/tool-error';
import { assertAdmin, isUniqueViolation, type AdminContext } from './agent-admin';
import { canUseAgent } from './agents';
import { assertValidSchema } from './context-schema';
import { isAdmin, type Viewer } from './viewer';

export { assertAdmin } from './agent-admin';

/** A tool name as models accept it: 1–64 letters, digits, `_` or `-`. */
export const toolNameSchema = z
	.string()
	.trim()
	.regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'must be 1–64 letters, digits, "_" or "-"' })
	.meta({ description: 'The name the model sees; unique. A built-in tool must have its built-in’s name.', example: 'lookup_order' });

/** The writable fields of a tool, without defaults. */
const toolFields = {
	name: toolNameSchema,
	description: z.string().max(5_000),
	kind: z.enum(toolKinds).meta({
		description:
			'`builtin` (runs a built-in of the same name), `http` (calls a URL), `client` (the caller runs it), `mcp` (a tool of an MCP server; made by `/api/mcp-servers`, read-only but for `requires_approval`).'
	}),
	input_schema: z.record(z.string(), z.unknown()).meta({ description: 'JSON Schema of the input, an object.' }),
	config: z.record(z.string(), z.unknown()).meta({
		description: 'For `http`: `url` (with `{{name}}` placeholders), `method`, `headers`, `timeout_ms`, `allowed_hosts`.'
	}),
	requires_approval: z.boolean().meta({ description: 'Each call waits for an approval answer first.' })
};

/** The input schema of a tool that takes nothing. */
const EMPTY_INPUT_SCHEMA = { type: 'object', properties: {} };

/** The body that creates a tool (`POST`), or replaces one (`PUT`): left-out fields take their defaults. */
export const toolInputSchema = z
	.object({
		...toolFields,
		description: toolFields.description.default(''),
		input_schema: toolFields.input_schema.default(() => structuredClone(EMPTY_INPUT_SCHEMA)),
		config: toolFields.config.default(() => ({})),
		requires_approval: toolFields.requires_approval.default(false)
	})
	.meta({ id: 'ToolInput' });

/** The body that changes some fields of a tool (`PATCH`). */
export const toolPatchSchema = z.object(toolFields).partial().meta({ id: 'ToolPatch' });

/** A complete tool as written. */
export type ToolInput = z.infer<typeof toolInputSchema>;

/** Some fields of a tool. */
export type ToolPatch = z.infer<typeof toolPatchSchema>;

/** A tool as the API shows it. */
export const toolResourceSchema = z
	.object({
		id: z.number().int(),
		name: z.string(),
		description: z.string(),
		kind: z.enum(toolKinds),
		input_schema: z.record(z.string(), z.unknown()),
		config: z.record(z.string(), z.unknown()).meta({
			description: 'How the server runs the tool (see ToolInput); shown to admins only, an empty object for everyone else.'
		}),
		requires_approval: z.boolean(),
		created_at: z.string().meta({ format: 'date-time' }),
		updated_at: z.string().meta({ format: 'date-time' })
	})
	.meta({ id: 'Tool' });

/** A tool as the API shows it. */
export type ToolResource = z.infer<typeof toolResourceSchema>;

/**
 * A tool's config as a viewer may see it: all of it for admins, nothing for others. The config
 * says how the server runs the tool — for `http` tools the URL, headers (which may hold secrets)
 * and allowed hosts, which map the services behind it — and only admins manage that.
 */
function visibleConfig(tool: Tool, viewer: Viewer): Record<string, unknown> {
	return isAdmin(viewer) ? tool.config : {};
}

/** The API form of a tool row. */
export function toToolResource(tool: Tool, viewer: Viewer): ToolResource {
	return {
		id: tool.id,
		name: tool.name,
		description: tool.description,
		kind: tool.kind,
		input_schema: tool.inputSchema,
		config: visibleConfig(tool, viewer),
		requires_approval: tool.requiresApproval,
		created_at: tool.createdAt.toISOString(),
		updated_at: tool.updatedAt.toISOString()
	};
}

/** The ids of the tools a viewer may use: every tool for admins, else the tools of the agents they may use. */
async function usableToolIds(db: Db, viewer: Viewer): Promise<Set<number> | 'all'> {
	if (isAdmin(viewer)) return 'all';
	const links = await db
		.select({ toolId: agentTools.toolId, visibility: agents.visibility })
		.from(agentTools)
		.innerJoin(agents, eq(agents.id, agentTools.agentId));
	return new Set(links.filter((link) => canUseAgent(viewer, link.visibility)).map((link) => link.toolId));
}

/** The tools a viewer may use, by id. */
export async function listToolResources(db: Db, viewer: Viewer): Promise<ToolResource[]> {
	const usable = await usableToolIds(db, viewer);
	const rows = await db.select().from(tools).orderBy(asc(tools.id));
	return rows.filter((tool) => usable === 'all' || usable.has(tool.id)).map((tool) => toToolResource(tool, viewer));
}

/** A tool row by its integer id (a number or numeric text); `not_found` otherwise. */
async function findToolRow(db: Db, id: string | number): Promise<Tool> {
	const key = String(id).trim();
	const [tool] = /^\d+$/.test(key)
		? await db
				.select()
				.from(tools)
				.where(eq(tools.id, Number(key)))
		: [];
	if (!tool) throw new AppError('not_found', `No tool "${id}" was found.`, { field: 'id' });
	return tool;
}

/** One tool the viewer may use, by id. */
export async function getToolResource(db: Db, viewer: Viewer, id: string | number): Promise<ToolResource> {
	const tool = await findToolRow(db, id);
	const usable = await usableToolIds(db, viewer);
	if (usable !== 'all' && !usable.has(tool.id)) {
		throw new AppError('not_found', `No tool "${id}" was found.`, { field: 'id' });
	}
	return toToolResource(tool, viewer);
}

/**
 * Checks what a tool is about to become and returns the config to store: a free name, an object
 * input schema that compiles, a valid config for `http` tools, and an existing built-in for
 * `builtin` tools. `invalid_input` or `conflict` naming the field.
 */
async function checkTool(db: Db, tool: ToolInput, ownId?: number): Promise<Record<string, unknown>> {
	if (tool.kind === 'mcp') {
		throw new AppError('invalid_input', 'kind: tools of kind mcp come from MCP servers; add the server at /api/mcp-servers.', {
			field: 'kind'
		});
	}
	if (tool.input_schema.type !== 'object') {
		throw new AppError('invalid_input', 'input_schema: must be the JSON Schema of an object ("type": "object").', {
			field: 'input_schema'
		});
	}
	try {
		assertValidSchema(tool.input_schema);
	} catch {
		throw new AppError('invalid_input', 'input_schema: is not a valid JSON Schema.', { field: 'input_schema' });
	}
	let config = tool.config;
	if (tool.kind === 'http') {
		try {
			config = parseHttpToolConfig(tool.config, tool.name);
		} catch (error) {
			if (!(error instanceof ToolError)) throw error;
			throw new AppError('invalid_input', `config: ${error.message}`, { field: 'config' });
		}
	}
	if (tool.kind === 'builtin' && !Object.hasOwn(builtinTools, tool.name)) {
		throw new AppError(
			'invalid_input',
			`name: no built-in tool is named "${tool.name}"; the built-ins are ${Object.keys(builtinTools).join(', ')}.`,
			{ field: 'name' }
		);
	}
	const [clash] = await db.select({ id: tools.id }).from(tools).where(eq(tools.name, tool.name));
	if (clash && clash.id !== ownId) throw nameTaken(tool.name);
	return config;
}

function nameTaken(name: string): AppError {
	return new AppError('conflict', `A tool named "${name}" already exists.`, { field: 'name' });
}

/** The tool table's columns for the API's fields. */
function columnsOf(tool: ToolInput, config: Record<string, unknown>) {
	return {
		name: tool.name,
		description: tool.description,
		kind: tool.kind,
		inputSchema: tool.input_schema,
		config,
		requiresApproval: tool.requires_approval
	};
}

/** Creates a tool (admins only). */
export async function createTool({ db, viewer }: Pick<AdminContext, 'db' | 'viewer'>, input: ToolInput): Promise<ToolResource> {
	assertAdmin(viewer);
	const config = await checkTool(db, input);
	try {
		const [row] = await db.insert(tools).values(columnsOf(input, config)).returning();
		return toToolResource(row, viewer);
	} catch (error) {
		if (isUniqueViolation(error)) throw nameTaken(input.name);
		throw error;
	}
}

/** Changes a tool (admins only): `PUT` passes every field, `PATCH` some; the result is checked as a whole. */
export async function updateTool(
	{ db, viewer }: Pick<AdminContext, 'db' | 'viewer'>,
	id: string | number,
	changes: ToolPatch
): Promise<ToolResource> {
	assertAdmin(viewer);
	const tool = await findToolRow(db, id);
	if (tool.kind === 'mcp') return updateMcpTool(db, viewer, tool, changes);
	const next: ToolInput = {
		name: changes.name ?? tool.name,
		description: changes.description ?? tool.description,
		kind: changes.kind ?? tool.kind,
		input_schema: changes.input_schema ?? tool.inputSchema,
		config: changes.config ?? tool.config,
		requires_approval: changes.requires_approval ?? tool.requiresApproval
	};
	const config = await checkTool(db, next, tool.id);
	try {
		const [row] = await db
			.update(tools)
			.set({ ...columnsOf(next, config), updatedAt: new Date() })
			.where(eq(tools.id, tool.id))
			.returning();
		return toToolResource(row, viewer);
	} catch (error) {
		if (isUniqueViolation(error)) throw nameTaken(next.name);
		throw error;
	}
}

/**
 * Changes a tool of kind `mcp`: only `requires_approval` is Parley's; the rest comes from its MCP
 * server and may only be sent unchanged.
 */
async function updateMcpTool(db: Db, viewer: Viewer, tool: Tool, changes: ToolPatch): Promise<ToolResource> {
	const current = toToolResource(tool, viewer);
	for (const field of ['name', 'description', 'kind', 'input_schema', 'config'] as const) {
		if (changes[field] !== undefined && JSON.stringify(changes[field]) !== JSON.stringify(current[field])) {
			throw new AppError('invalid_input', `${field}: comes from the tool's MCP server; only requires_approval can change.`, { field });
		}
	}
	if (changes.requires_approval === undefined) return current;
	const [row] = await db
		.update(tools)
		.set({ requiresApproval: changes.requires_approval, updatedAt: new Date() })
		.where(eq(tools.id, tool.id))
		.returning();
	return toToolResource(row, viewer);
}

/** Deletes a tool (admins only); agents that had it lose it. */
export async function deleteTool({ db, viewer }: Pick<AdminContext, 'db' | 'viewer'>, id: string | number): Promise<void> {
	assertAdmin(viewer);
	const tool = await findToolRow(db, id);
	// The links go too (the foreign key cascades, but not every database enforces foreign keys).
	await db.batch([db.delete(agentTools).where(eq(agentTools.toolId, tool.id)), db.delete(tools).where(eq(tools.id, tool.id))]);
}
