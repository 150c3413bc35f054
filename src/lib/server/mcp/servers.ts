import { createHash } from 'node:crypto';
import { and, eq, isNotNull } from 'drizzle-orm';
import type { Config } from '../config';
import type { Db } from '../db';
import { agentTools, mcpOauthGrants, mcpServers, tools, type McpServer, type McpToolListing, type Tool } from '../db/schema';
import { parseAllowedHosts } from '../net/allowed-hosts';
import { ToolError } from '../tools/tool-error';
import { isObject } from '../../is-object';
import { callMcpTool, errorMessage, isUnauthorized, listMcpTools, type McpClientLimits } from './client';
import { forgetConnection, isConnectionFailure, withMcpConnection, type McpTarget } from './connections';
import { mcpResultText, type McpToolOutput } from './content';
import { openSecret, secretKey } from './secrets';
import { oauthTarget, signInFailureOf } from './oauth/sign-in';

/**
 * MCP servers at run time: reaching a stored server (its secrets opened), keeping its state
 * (`connected`, `failing` with the error, the last time it worked), and keeping its tools in the
 * `tools` table as tools of kind `mcp` — one row per MCP tool, named after it, made unique with the
 * server's name as a prefix on a clash, kept (with its id, agents and `requires_approval`) across
 * refreshes while the server still offers it.
 */

/** The secrets of a server, sealed together in `mcp_servers.secrets`. */
export interface McpServerSecrets {
	headers?: Record<string, string>;
	/** The secret of a pre-registered OAuth client. */
	oauthClientSecret?: string;
}

/** The config of a tool of kind `mcp`. */
export interface McpToolConfig {
	/** The MCP server's name (shown with the tool). */
	server: string;
	/** The tool's name on the MCP server. */
	tool_name: string;
}

/** The title of an MCP tool's calls in the chat: its name and its server's, e.g. `echo · MCP server "docs"`. */
export function mcpToolTitle(row: Pick<Tool, 'name' | 'config'>): string {
	const server = (row.config as Partial<McpToolConfig>).server;
	return server ? `${row.name} · MCP server "${server}"` : row.name;
}

/** The secrets of a server row, opened. */
export function serverSecrets(server: McpServer, config: Config): McpServerSecrets {
	if (!server.secrets) return {};
	try {
		return openSecret<McpServerSecrets>(server.secrets, secretKey(config));
	} catch (error) {
		throw new ToolError(`The secrets of the MCP server "${server.name}" cannot be read: ${errorMessage(error)}`);
	}
}

/** How to reach a server row. */
export function targetOf(server: McpServer, config: Config): McpTarget {
	if (server.transport === 'stdio') return stdioTargetOf(server, config);
	if (!server.url) throw new ToolError(`The MCP server "${server.name}" has no URL.`);
	const headers = serverSecrets(server, config).headers ?? {};
	const allowedHosts = [...server.allowedHosts, ...parseAllowedHosts(config.HTTP_TOOL_ALLOWED_HOSTS)];
	const fingerprint = createHash('sha256')
		.update(JSON.stringify([server.url, server.secrets, allowedHosts]))
		.digest('hex');
	return { id: server.id, name: server.name, fingerprint, endpoint: { url: server.url, headers, allowedHosts } };
}

/** What an admin sees of a stdio server while `MCP_STDIO` is off. */
export const STDIO_OFF_MESSAGE = 'stdio is off (MCP_STDIO): an operator can turn stdio MCP servers on with MCP_STDIO=on.';

/** How to start a stdio server row's program (only with `MCP_STDIO=on`). */
function stdioTargetOf(server: McpServer, config: Config): McpTarget {
	if (config.MCP_STDIO !== 'on') throw new ToolError(STDIO_OFF_MESSAGE);
	if (!server.command) throw new ToolError(`The MCP server "${server.name}" has no command.`);
	const fingerprint = createHash('sha256')
		.update(JSON.stringify(['stdio', server.command, server.args, server.secrets]))
		.digest('hex');
	return {
		id: server.id,
		name: server.name,
		fingerprint,
		endpoint: { transport: 'stdio', command: server.command, args: server.args }
	};
}

/**
 * How a run of `userId` reaches a server: {@link targetOf}, or for an OAuth server through the
 * grant it uses (the shared one, or the user's own).
 */
async function targetFor(db: Db, config: Config, server: McpServer, userId: string | null | undefined): Promise<McpTarget> {
	return server.auth === 'oauth' ? oauthTarget(db, config, server, userId, () => targetOf(server, config)) : targetOf(server, config);
}

/** The limits of MCP requests. */
export function mcpLimits(config: Config, timeoutMs = config.MCP_CONNECT_TIMEOUT_MS): McpClientLimits {
	return { timeoutMs, maxBytes: config.MCP_RESULT_LIMIT };
}

/** Records that a server answered. */
async function markConnected(db: Db, server: McpServer): Promise<void> {
	// One write a minute at most while all is well.
	const fresh = server.lastOkAt && Date.now() - server.lastOkAt.getTime() < 60_000;
	if (server.status === 'connected' && fresh) return;
	await db.update(mcpServers).set({ status: 'connected', lastError: null, lastOkAt: new Date() }).where(eq(mcpServers.id, server.id));
}

/**
 * Records that a server failed, and why: `needs_sign_in` when it refused the credentials (HTTP
 * 401), else `failing`.
 */
async function markFailing(db: Db, serverId: number, error: unknown): Promise<void> {
	const unauthorized = isUnauthorized(error);
	const lastError = unauthorized
		? `The server refused the credentials (HTTP 401): check the headers it needs, such as Authorization. ${errorMessage(error)}`.slice(
				0,
				1000
			)
		: errorMessage(error);
	await db
		.update(mcpServers)
		.set({ status: unauthorized ? 'needs_sign_in' : 'failing', lastError })
		.where(eq(mcpServers.id, serverId));
}

/** A tool name models accept: letters, digits, `_` and `-`, 64 at most. */
export function safeToolName(name: string): string {
	const cleaned = name.replace(/[^A-Za-z0-9_-]+/g, '_').replace(/^_+|_+$/g, '');
	return (cleaned || 'tool').slice(0, 64);
}

/**
 * The Parley name of an MCP tool: its own name when free, else prefixed with the server's name
 * (`docs_search`), else numbered (`docs_search_2`). `taken` holds the names in use elsewhere.
 */
export function uniqueToolName(serverName: string, toolName: string, taken: ReadonlySet<string>): string {
	const own = safeToolName(toolName);
	if (!taken.has(own)) return own;
	const prefixed = safeToolName(`${serverName}_${toolName}`);
	if (!taken.has(prefixed)) return prefixed;
	for (let n = 2; ; n++) {
		const numbered = `${prefixed.slice(0, 60)}_${n}`;
		if (!taken.has(numbered)) return numbered;
	}
}

/** An MCP tool's input schema as Parley stores it: an object schema, without `$schema` (Parley checks with its own draft). */
export function storedInputSchema(schema: Record<string, unknown>): Record<string, unknown> {
	const { $schema: _ignored, ...rest } = isObject(schema) ? schema : {};
	return rest.type === 'object' ? rest : { type: 'object', properties: {} };
}

/** An MCP tool's description, naming its server. */
function descriptionOf(serverName: string, tool: McpToolListing): string {
	const own = (tool.description ?? tool.title ?? '').trim();
	const from = `(From the MCP server "${serverName}".)`;
	return (own ? `${own} ${from}` : from).slice(0, 5000);
}

/** Makes the server's tool rows match its tool list: adds new tools, updates kept ones, removes the ones gone. */
export async function syncServerTools(db: Db, server: Pick<McpServer, 'id' | 'name'>, listing: McpToolListing[]): Promise<void> {
	const own = await db.select().from(tools).where(eq(tools.mcpServerId, server.id));
	const byMcpName = new Map(own.map((row) => [(row.config as Partial<McpToolConfig>).tool_name, row]));
	const taken = new Set<string>();
	for (const row of await db.select({ name: tools.name, mcpServerId: tools.mcpServerId }).from(tools)) {
		if (row.mcpServerId !== server.id) taken.add(row.name);
	}
	const listed = new Set<string>();
	for (const tool of listing) {
		if (listed.has(tool.name)) continue;
		listed.add(tool.name);
		const columns = {
			description: descriptionOf(server.name, tool),
			inputSchema: storedInputSchema(tool.inputSchema),
			config: { server: server.name, tool_name: tool.name } satisfies McpToolConfig
		};
		const existing = byMcpName.get(tool.name);
		if (existing) {
			taken.add(existing.name);
			await db
				.update(tools)
				.set({ ...columns, updatedAt: new Date() })
				.where(eq(tools.id, existing.id));
			continue;
		}
		const name = uniqueToolName(server.name, tool.name, taken);
		taken.add(name);
		await db.insert(tools).values({ ...columns, name, kind: 'mcp', mcpServerId: server.id });
	}
	for (const row of own) {
		const mcpName = (row.config as Partial<McpToolConfig>).tool_name;
		if (mcpName && listed.has(mcpName)) continue;
		// Agents lose a tool the server no longer offers (the foreign key cascades, but not everywhere).
		await db.batch([db.delete(agentTools).where(eq(agentTools.toolId, row.id)), db.delete(tools).where(eq(tools.id, row.id))]);
	}
}

/** Stores a new tool list of a server and its tool rows. */
async function storeListing(db: Db, server: McpServer, listing: McpToolListing[]): Promise<void> {
	await db.update(mcpServers).set({ toolListing: listing }).where(eq(mcpServers.id, server.id));
	await syncServerTools(db, server, listing);
}

/**
 * What a kept connection reports: a new tool list is stored; a dropped HTTP connection changes
 * nothing until the next use, while a stdio program that exits marks its server failing (with
 * its last output) until the next use starts it again.
 */
function eventsOf(db: Db, server: McpServer) {
	return {
		onToolsChanged: (listing: McpToolListing[]) => {
			void storeListing(db, server, listing).catch(() => {});
		},
		onClosed: (error?: Error) => {
			if (error) void markFailing(db, server.id, error).catch(() => {});
		}
	};
}

/** The user whose sign-in lists a per-user OAuth server's tools: `userId` when given, else anyone signed in. */
async function listingUserOf(db: Db, server: McpServer, userId: string | null | undefined): Promise<string | null | undefined> {
	if (server.auth !== 'oauth' || server.oauthConnection !== 'per_user' || userId) return userId;
	const [grant] = await db
		.select({ userId: mcpOauthGrants.userId })
		.from(mcpOauthGrants)
		.where(and(eq(mcpOauthGrants.serverId, server.id), eq(mcpOauthGrants.status, 'connected'), isNotNull(mcpOauthGrants.userId)))
		.limit(1);
	return grant?.userId;
}

/**
 * Connects to a server afresh, lists its tools and stores them with the server's state; a failure
 * is stored as `failing` with the error (`needs_sign_in` for an OAuth server nobody is signed in
 * to: a per-user one lists its tools with `userId`'s sign-in, or anyone's). The connection is kept
 * for the server's tool calls and its tool list change notifications.
 */
export async function refreshServer(db: Db, config: Config, server: McpServer, userId?: string | null): Promise<void> {
	await forgetConnection(server.id);
	let listingUser = userId;
	try {
		listingUser = await listingUserOf(db, server, userId);
		const target = await targetFor(db, config, server, listingUser);
		const listing = await withMcpConnection(target, mcpLimits(config), eventsOf(db, server), (connection) =>
			listMcpTools(connection.client, config.MCP_CONNECT_TIMEOUT_MS)
		);
		await storeListing(db, server, listing);
		await db.update(mcpServers).set({ status: 'connected', lastError: null, lastOkAt: new Date() }).where(eq(mcpServers.id, server.id));
	} catch (error) {
		const signIn = server.auth === 'oauth' ? await signInFailureOf(db, server, listingUser, error).catch(() => null) : null;
		if (signIn) {
			const message =
				server.oauthConnection === 'shared'
					? `Not signed in: an admin signs in with "Sign in".${signIn.reason ? ` ${signIn.reason}` : ''}`
					: 'Each person signs in with their own account; sign in to list the server’s tools.';
			await db
				.update(mcpServers)
				.set({ status: 'needs_sign_in', lastError: message.slice(0, 1000) })
				.where(eq(mcpServers.id, server.id));
			return;
		}
		await markFailing(db, server.id, error);
	}
}

/**
 * Runs a tool of kind `mcp`: calls the tool on its server (connecting when needed) and returns
 * the result's content for the model. An `isError` result, a server that is down, or one that
 * times out throws a {@link ToolError} the model sees; the last two mark the server `failing`.
 */
export async function runMcpTool(
	db: Db | undefined,
	config: Config,
	row: Tool,
	input: Record<string, unknown>,
	signal: AbortSignal | undefined,
	userId?: string | null
): Promise<McpToolOutput> {
	if (!db) throw new ToolError(`The MCP tool "${row.name}" cannot run here.`);
	const toolConfig = row.config as Partial<McpToolConfig>;
	const [server] = row.mcpServerId ? await db.select().from(mcpServers).where(eq(mcpServers.id, row.mcpServerId)) : [];
	if (!server || !toolConfig.tool_name) throw new ToolError(`The MCP server of the tool "${row.name}" no longer exists.`);
	const mcpName = toolConfig.tool_name;
	let result;
	try {
		const target = await targetFor(db, config, server, userId);
		result = await withMcpConnection(target, mcpLimits(config, config.MCP_TOOL_TIMEOUT_MS), eventsOf(db, server), (connection) =>
			callMcpTool(connection.client, mcpName, input, { timeoutMs: config.MCP_TOOL_TIMEOUT_MS, maxBytes: config.MCP_RESULT_LIMIT, signal })
		);
	} catch (error) {
		if (signal?.aborted) throw error;
		// Nobody (or not this person) is signed in, or the sign-in could not be renewed: a call for "Connect".
		if (server.auth === 'oauth') {
			const signIn = await signInFailureOf(db, server, userId, error);
			if (signIn) throw signIn;
		}
		if (!isConnectionFailure(error)) {
			// The server answered (an unknown tool, bad arguments, a result too large): it is up.
			throw new ToolError(`The MCP tool "${mcpName}" failed: ${errorMessage(error)}`, { cause: error });
		}
		const message = `The MCP server "${server.name}" failed: ${errorMessage(error)}`;
		await markFailing(db, server.id, error).catch(() => {});
		throw new ToolError(message, { cause: error });
	}
	await markConnected(db, server).catch(() => {});
	if (result.isError) {
		throw new ToolError(`The MCP tool "${mcpName}" reported an error: ${mcpResultText(result) || 'no details'}`);
	}
	return { content: result.content, ...(result.structuredContent ? { structuredContent: result.structuredContent } : {}) };
}
