import { asc, count, eq, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { agentMcpServers, agentTools, mcpServers, mcpServerStatuses, mcpTransports, tools, type McpServer, type Tool } from '../db/schema';
import { AppError } from '../errors';
import { forgetConnection } from '../mcp/connections';
import { secretKey, sealSecret } from '../mcp/secrets';
import { refreshServer, type McpServerSecrets } from '../mcp/servers';
import { assertAdmin, isUniqueViolation, type AdminContext } from './agent-admin';

/**
 * MCP servers, as admins manage them (`/api/mcp-servers`). Saving a server tests it (initialize
 * and `tools/list`) and stores what happened: a server that fails is saved too, `failing` with
 * the error. Header values are sealed at rest and never shown again: responses name the headers.
 */

/** Most static headers of one server. */
const MAX_HEADERS = 20;
/** Most hosts in a server's `allowed_hosts`. */
const MAX_ALLOWED_HOSTS = 20;
/** Most arguments of a stdio command. */
const MAX_ARGS = 50;

/** An HTTP header name (a token). */
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;

function isHttpUrl(value: string): boolean {
	try {
		const protocol = new URL(value).protocol;
		return protocol === 'http:' || protocol === 'https:';
	} catch {
		return false;
	}
}

const hostName = z
	.string({ message: 'must be a host name' })
	.trim()
	.min(1, { message: 'must be a host name' })
	.max(253, { message: 'must be at most 253 characters' })
	.regex(/^[A-Za-z0-9.:[\]_-]+$/, { message: 'must be a host name' });

const mcpServerFields = {
	name: z
		.string({ message: 'is required' })
		.trim()
		.regex(/^[A-Za-z0-9_-]{1,40}$/, { message: 'must be 1–40 letters, digits, "_" or "-"' })
		.meta({ description: 'Unique; prefixes the names of its tools that clash with other tools.', example: 'docs' }),
	transport: z
		.enum(mcpTransports, { message: 'must be http or stdio' })
		.meta({ description: '`http` (Streamable HTTP at `url`) or `stdio` (starts `command`; only with `MCP_STDIO=on`).' }),
	url: z
		.string({ message: 'must be a URL' })
		.trim()
		.max(2000, { message: 'must be at most 2000 characters' })
		.refine(isHttpUrl, { message: 'must be an http(s) URL' })
		.meta({ description: 'The Streamable HTTP endpoint (transport `http`).', example: 'https://mcp.example.com/mcp' }),
	headers: z
		.record(
			z.string().regex(HEADER_NAME, { message: 'must be header names' }),
			z
				.string({ message: 'must be a string' })
				.max(8000, { message: 'must be at most 8000 characters' })
				.refine((value) => !/[\r\n\0]/.test(value), { message: 'cannot contain line breaks' })
		)
		.refine((headers) => Object.keys(headers).length <= MAX_HEADERS, { message: `must have at most ${MAX_HEADERS} headers` })
		.meta({
			description:
				'Static headers sent with every request, e.g. `{"Authorization": "Bearer …"}`. Write-only: stored encrypted, never returned.'
		}),
	command: z
		.string({ message: 'must be a string' })
		.trim()
		.min(1, { message: 'must not be empty' })
		.max(1000, { message: 'must be at most 1000 characters' })
		.meta({ description: 'The program to start (transport `stdio`).' }),
	args: z
		.array(z.string({ message: 'must be strings' }).max(1000, { message: 'must be at most 1000 characters each' }), {
			message: 'must be a list of strings'
		})
		.max(MAX_ARGS, { message: `must have at most ${MAX_ARGS} items` })
		.meta({ description: 'The arguments of `command`.' }),
	allowed_hosts: z
		.array(hostName, { message: 'must be a list of host names' })
		.max(MAX_ALLOWED_HOSTS, { message: `must have at most ${MAX_ALLOWED_HOSTS} items` })
		.meta({ description: 'Hosts of `url` that may resolve to private or local addresses (besides `HTTP_TOOL_ALLOWED_HOSTS`).' })
};

/** The body that adds an MCP server. */
export const mcpServerInputSchema = z
	.object({
		...mcpServerFields,
		transport: mcpServerFields.transport.default('http'),
		url: mcpServerFields.url.optional(),
		headers: mcpServerFields.headers.default({}),
		command: mcpServerFields.command.optional(),
		args: mcpServerFields.args.default([]),
		allowed_hosts: mcpServerFields.allowed_hosts.default([])
	})
	.strict()
	.meta({ id: 'McpServerInput' });

/** The body that changes some fields of an MCP server; `headers` replaces all of them. */
export const mcpServerPatchSchema = z.object(mcpServerFields).partial().strict().meta({ id: 'McpServerPatch' });

export type McpServerInput = z.infer<typeof mcpServerInputSchema>;
export type McpServerPatch = z.infer<typeof mcpServerPatchSchema>;

/** An MCP server as the API shows it. */
export const mcpServerResourceSchema = z
	.object({
		id: z.number().int(),
		name: z.string(),
		transport: z.enum(mcpTransports),
		url: z.string().nullable(),
		header_names: z.array(z.string()).meta({ description: 'The names of the headers sent; their values are never returned.' }),
		command: z.string().nullable(),
		args: z.array(z.string()),
		allowed_hosts: z.array(z.string()),
		status: z.enum(mcpServerStatuses).meta({ description: 'As last seen: `connected`, `needs_sign_in` or `failing`.' }),
		last_error: z.string().nullable().meta({ description: 'Why the server last failed (while `failing`).' }),
		last_ok_at: z.string().nullable().meta({ format: 'date-time', description: 'When the server last worked.' }),
		tools: z
			.array(
				z.object({
					name: z.string().meta({ description: 'The name on the MCP server.' }),
					description: z.string(),
					input_schema: z.record(z.string(), z.unknown()),
					tool_id: z.number().int().nullable().meta({ description: 'The Parley tool (kind `mcp`) to attach to agents.' }),
					tool_name: z.string().nullable().meta({ description: 'The Parley tool’s name (the model sees it).' }),
					requires_approval: z.boolean()
				})
			)
			.meta({ description: 'The server’s tools, as last listed.' }),
		created_at: z.string().meta({ format: 'date-time' }),
		updated_at: z.string().meta({ format: 'date-time' })
	})
	.meta({ id: 'McpServer' });

export type McpServerResource = z.infer<typeof mcpServerResourceSchema>;

/** The API form of a server row, with its tool rows. */
function toResource(server: McpServer, toolRows: Tool[]): McpServerResource {
	const byMcpName = new Map(toolRows.map((row) => [String(row.config.tool_name), row]));
	return {
		id: server.id,
		name: server.name,
		transport: server.transport,
		url: server.url,
		header_names: server.headerNames,
		command: server.command,
		args: server.args,
		allowed_hosts: server.allowedHosts,
		status: server.status,
		last_error: server.lastError,
		last_ok_at: server.lastOkAt?.toISOString() ?? null,
		tools: server.toolListing.map((tool) => {
			const row = byMcpName.get(tool.name);
			return {
				name: tool.name,
				description: tool.description ?? tool.title ?? '',
				input_schema: tool.inputSchema,
				tool_id: row?.id ?? null,
				tool_name: row?.name ?? null,
				requires_approval: row?.requiresApproval ?? false
			};
		}),
		created_at: server.createdAt.toISOString(),
		updated_at: server.updatedAt.toISOString()
	};
}

async function findServer(db: Db, id: string | number): Promise<McpServer> {
	const key = String(id).trim();
	const [server] = /^\d+$/.test(key)
		? await db
				.select()
				.from(mcpServers)
				.where(eq(mcpServers.id, Number(key)))
		: [];
	if (!server) throw new AppError('not_found', `No MCP server "${id}" was found.`, { field: 'id' });
	return server;
}

async function resourceOf(db: Db, id: number): Promise<McpServerResource> {
	const server = await findServer(db, id);
	return toResource(server, await db.select().from(tools).where(eq(tools.mcpServerId, id)));
}

/** Every MCP server (admins). */
export async function listMcpServers({ db, viewer }: Pick<AdminContext, 'db' | 'viewer'>): Promise<McpServerResource[]> {
	assertAdmin(viewer);
	const servers = await db.select().from(mcpServers).orderBy(asc(mcpServers.id));
	const toolRows = await db.select().from(tools).where(eq(tools.kind, 'mcp'));
	return servers.map((server) =>
		toResource(
			server,
			toolRows.filter((row) => row.mcpServerId === server.id)
		)
	);
}

/** One MCP server (admins). */
export async function getMcpServer({ db, viewer }: Pick<AdminContext, 'db' | 'viewer'>, id: string | number): Promise<McpServerResource> {
	assertAdmin(viewer);
	return resourceOf(db, (await findServer(db, id)).id);
}

/** Checks the transport's fields: a URL for `http`; `MCP_STDIO=on` and a command for `stdio`. */
function checkTransport(config: AdminContext['config'], server: { transport: string; url?: string | null; command?: string | null }): void {
	if (server.transport === 'stdio') {
		if (config.MCP_STDIO !== 'on') {
			// The body is fine; this server does not allow it.
			throw new AppError('forbidden', 'transport: stdio servers are off (MCP_STDIO); an operator can turn them on with MCP_STDIO=on.', {
				field: 'transport'
			});
		}
		if (!server.command) throw new AppError('invalid_input', 'command: is required for a stdio server.', { field: 'command' });
		return;
	}
	if (!server.url) throw new AppError('invalid_input', 'url: is required for an http server.', { field: 'url' });
}

/** The sealed secrets of a server's headers, or null when it has none. */
function sealedHeaders(config: AdminContext['config'], headers: Record<string, string>): string | null {
	if (Object.keys(headers).length === 0) return null;
	return sealSecret({ headers } satisfies McpServerSecrets, secretKey(config));
}

function nameTaken(name: string): AppError {
	return new AppError('conflict', `An MCP server named "${name}" already exists.`, { field: 'name' });
}

/** Adds an MCP server (admins), tests it and returns it with its state and tools. */
export async function createMcpServer({ db, config, viewer }: AdminContext, input: McpServerInput): Promise<McpServerResource> {
	assertAdmin(viewer);
	checkTransport(config, input);
	const [{ total }] = await db.select({ total: count() }).from(mcpServers);
	if (total >= config.MCP_SERVERS_LIMIT) {
		throw new AppError('conflict', `There are already ${total} MCP servers, the most allowed (MCP_SERVERS_LIMIT).`, { field: 'name' });
	}
	const [clash] = await db.select({ id: mcpServers.id }).from(mcpServers).where(eq(mcpServers.name, input.name));
	if (clash) throw nameTaken(input.name);
	let server: McpServer;
	try {
		[server] = await db
			.insert(mcpServers)
			.values({
				name: input.name,
				transport: input.transport,
				url: input.transport === 'http' ? (input.url ?? null) : null,
				command: input.transport === 'stdio' ? (input.command ?? null) : null,
				args: input.args,
				allowedHosts: input.allowed_hosts,
				headerNames: Object.keys(input.headers),
				secrets: sealedHeaders(config, input.headers),
				status: 'failing',
				lastError: 'Not connected yet.'
			})
			.returning();
	} catch (error) {
		if (isUniqueViolation(error)) throw nameTaken(input.name);
		throw error;
	}
	await refreshServer(db, config, server);
	return resourceOf(db, server.id);
}

/** Changes an MCP server (admins), tests it again and returns it. */
export async function updateMcpServer(
	{ db, config, viewer }: AdminContext,
	id: string | number,
	changes: McpServerPatch
): Promise<McpServerResource> {
	assertAdmin(viewer);
	const server = await findServer(db, id);
	const transport = changes.transport ?? server.transport;
	const url = changes.url ?? server.url;
	const command = changes.command ?? server.command;
	checkTransport(config, { transport, url, command });
	if (changes.name && changes.name !== server.name) {
		const [clash] = await db.select({ id: mcpServers.id }).from(mcpServers).where(eq(mcpServers.name, changes.name));
		if (clash) throw nameTaken(changes.name);
	}
	try {
		await db
			.update(mcpServers)
			.set({
				name: changes.name ?? server.name,
				transport,
				url: transport === 'http' ? url : null,
				command: transport === 'stdio' ? command : null,
				args: changes.args ?? server.args,
				allowedHosts: changes.allowed_hosts ?? server.allowedHosts,
				...(changes.headers ? { headerNames: Object.keys(changes.headers), secrets: sealedHeaders(config, changes.headers) } : {}),
				updatedAt: new Date()
			})
			.where(eq(mcpServers.id, server.id));
	} catch (error) {
		if (isUniqueViolation(error)) throw nameTaken(changes.name ?? server.name);
		throw error;
	}
	await refreshServer(db, config, await findServer(db, server.id));
	return resourceOf(db, server.id);
}

/** Connects to a server again and reads its tools (admins). */
export async function refreshMcpServer({ db, config, viewer }: AdminContext, id: string | number): Promise<McpServerResource> {
	assertAdmin(viewer);
	const server = await findServer(db, id);
	await refreshServer(db, config, server);
	return resourceOf(db, server.id);
}

/** Removes an MCP server and its tools (admins); agents that had them, or used all of its tools, lose them. */
export async function deleteMcpServer({ db, viewer }: Pick<AdminContext, 'db' | 'viewer'>, id: string | number): Promise<void> {
	assertAdmin(viewer);
	const server = await findServer(db, id);
	await forgetConnection(server.id);
	const toolIds = (await db.select({ id: tools.id }).from(tools).where(eq(tools.mcpServerId, server.id))).map((row) => row.id);
	// The links go too (the foreign key cascades, but not every database enforces foreign keys).
	await db.batch([
		db.delete(agentTools).where(inArray(agentTools.toolId, toolIds)),
		db.delete(agentMcpServers).where(eq(agentMcpServers.mcpServerId, server.id)),
		db.delete(tools).where(eq(tools.mcpServerId, server.id)),
		db.delete(mcpServers).where(eq(mcpServers.id, server.id))
	]);
}
