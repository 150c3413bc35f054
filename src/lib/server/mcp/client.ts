import type { OAuthClientProvider } from '@modelcontextprotocol/sdk/client/auth.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { McpToolListing } from '../db/schema';
import { lazyModule } from '../modules/lazy-module';
import { ToolError } from '../tools/tool-error';
import { version } from '../../version';
import { mcpFetch, type FetchLike } from './mcp-fetch';
import { isStdioEndpoint, stdioTransportOf, withOutput, type McpStdioEndpoint, type StdioTransport } from './stdio';

/**
 * Parley's MCP client: the official SDK's `Client` over its Streamable HTTP transport, with
 * Parley's SSRF-safe fetch. Runs and the CLI probe both connect through {@link connectMcp}, so
 * they reach servers the same way. The SDK is loaded on the first connection, never at start-up.
 */

const loadSdk = lazyModule('The MCP client', async () => {
	const [client, transport] = await Promise.all([
		import('@modelcontextprotocol/sdk/client/index.js'),
		import('@modelcontextprotocol/sdk/client/streamableHttp.js')
	]);
	return { Client: client.Client, StreamableHTTPClientTransport: transport.StreamableHTTPClientTransport };
});

/** Most tools read from one server (more are left out). */
export const MAX_MCP_TOOLS = 200;
/** Most pages of `tools/list` read. */
const MAX_LIST_PAGES = 20;

/** Where and how to reach an MCP server. */
export interface McpEndpoint {
	url: string;
	/** Static headers sent with every request (e.g. `Authorization`). */
	headers: Record<string, string>;
	/** Hosts that may resolve to private or local addresses. */
	allowedHosts: readonly string[];
	/** OAuth sign-in (the SDK's provider): tokens for requests, refreshed on a 401. */
	authProvider?: OAuthClientProvider;
}

/** Any server's endpoint: Streamable HTTP, or a program over stdio. */
export type McpServerEndpoint = McpEndpoint | McpStdioEndpoint;

/** The limits of a connection. */
export interface McpClientLimits {
	/** Time limit of connecting and of each request, in milliseconds. */
	timeoutMs: number;
	/** Cap on each response body, in bytes. */
	maxBytes: number;
	/** A fetch to use instead of the SSRF-safe one (tests). */
	fetch?: FetchLike;
}

/** A live connection to an MCP server. */
export interface McpConnection {
	client: Client;
	close(): Promise<void>;
}

/** What a connection reports while open. */
export interface McpConnectionEvents {
	/** The server's tool list changed (`notifications/tools/list_changed`), with the new list. */
	onToolsChanged?: (tools: McpToolListing[]) => void;
	/** The connection closed or its transport failed. */
	onClosed?: (error?: Error) => void;
}

/** A failure of one call that says nothing about the connection (a result too large). */
export class McpCallError extends ToolError {
	override name = 'McpCallError';
}

/** Whether a failure (or its cause) is the server refusing the credentials: HTTP 401. */
export function isUnauthorized(error: unknown): boolean {
	for (let cause = error; cause instanceof Error; cause = cause.cause) {
		// The SDK's UnauthorizedError keeps the name "Error": its class tells it apart.
		if (cause.name === 'UnauthorizedError' || cause.constructor.name === 'UnauthorizedError') return true;
		if ('code' in cause && cause.code === 401 && cause.message.startsWith('Streamable HTTP error')) return true;
	}
	return false;
}

/** A thrown value as a message for the model and the admin. */
export function errorMessage(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return message.replace(/^MCP error -?\d+: /, '').slice(0, 1000);
}

/** Rejects after `timeoutMs` with a message naming what timed out. */
async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
	let timer: ReturnType<typeof setTimeout> | undefined;
	const timeout = new Promise<never>((_resolve, reject) => {
		timer = setTimeout(() => reject(new ToolError(`${what} timed out after ${Math.round(timeoutMs / 100) / 10} s.`)), timeoutMs);
	});
	try {
		return await Promise.race([promise, timeout]);
	} finally {
		clearTimeout(timer);
	}
}

/** The SDK's Streamable HTTP transport for an endpoint, with Parley's SSRF-safe fetch. */
function httpTransportOf(sdk: Awaited<ReturnType<typeof loadSdk>>, endpoint: McpEndpoint, limits: McpClientLimits) {
	let url: URL;
	try {
		url = new URL(endpoint.url);
	} catch {
		throw new ToolError(`"${endpoint.url}" is not a valid URL.`);
	}
	const fetch = limits.fetch ?? mcpFetch({ allowedHosts: endpoint.allowedHosts, maxBytes: limits.maxBytes });
	return new sdk.StreamableHTTPClientTransport(url, {
		fetch,
		...(endpoint.authProvider ? { authProvider: endpoint.authProvider } : {}),
		requestInit: { headers: endpoint.headers },
		reconnectionOptions: { initialReconnectionDelay: 1000, maxReconnectionDelay: 30_000, reconnectionDelayGrowFactor: 2, maxRetries: 5 }
	});
}

/**
 * Connects to an MCP server (initialize), failing with a {@link ToolError} that says why: over
 * Streamable HTTP, or by starting a program over stdio (whose stderr the error quotes).
 */
export async function connectMcp(
	endpoint: McpServerEndpoint,
	limits: McpClientLimits,
	events: McpConnectionEvents = {}
): Promise<McpConnection> {
	const sdk = await loadSdk();
	const stdio: StdioTransport | undefined = isStdioEndpoint(endpoint) ? await stdioTransportOf(endpoint, limits.maxBytes) : undefined;
	const transport = stdio ? stdio.transport : httpTransportOf(sdk, endpoint as McpEndpoint, limits);
	const client = new sdk.Client(
		{ name: 'parley', version },
		{
			listChanged: {
				tools: {
					onChanged: (error, tools) => {
						if (!error && tools) events.onToolsChanged?.(tools.slice(0, MAX_MCP_TOOLS).map(toListing));
					}
				}
			}
		}
	);
	let closed = false;
	if (stdio) client.onerror = stdio.noteError;
	client.onclose = () => {
		if (closed) return;
		closed = true;
		// A program that goes away on its own is a failure, quoted from its stderr.
		events.onClosed?.(stdio?.exitError());
	};
	try {
		await withTimeout(client.connect(transport, { timeout: limits.timeoutMs }), limits.timeoutMs, 'Connecting to the MCP server');
	} catch (error) {
		closed = true;
		await client.close().catch(() => {});
		const message = error instanceof ToolError ? error.message : `Could not connect to the MCP server: ${errorMessage(error)}`;
		if (stdio) throw new ToolError(withOutput(message, stdio.stderr), { cause: error });
		throw error instanceof ToolError ? error : new ToolError(message, { cause: error });
	}
	return {
		client,
		close: async () => {
			closed = true;
			// Ends the session on the server (DELETE) when it has one, then closes the transport
			// (a stdio program: its stdin ends, then SIGTERM, then SIGKILL).
			if ('terminateSession' in transport) await transport.terminateSession().catch(() => {});
			await client.close().catch(() => {});
		}
	};
}

/** A tool of `tools/list` as Parley keeps it. */
function toListing(tool: { name: string; title?: string; description?: string; inputSchema: Record<string, unknown> }): McpToolListing {
	return {
		name: tool.name,
		...(tool.title ? { title: tool.title } : {}),
		...(tool.description ? { description: tool.description } : {}),
		inputSchema: tool.inputSchema
	};
}

/** Every tool the server offers (following pages), at most {@link MAX_MCP_TOOLS}. */
export async function listMcpTools(client: Client, timeoutMs: number): Promise<McpToolListing[]> {
	const tools: McpToolListing[] = [];
	let cursor: string | undefined;
	for (let page = 0; page < MAX_LIST_PAGES && tools.length < MAX_MCP_TOOLS; page++) {
		const result = await client.listTools(cursor ? { cursor } : undefined, { timeout: timeoutMs });
		tools.push(...result.tools.map(toListing));
		cursor = result.nextCursor;
		if (!cursor) break;
	}
	return tools.slice(0, MAX_MCP_TOOLS);
}

/** The result of a `tools/call`, with the size of its JSON checked. */
export async function callMcpTool(
	client: Client,
	name: string,
	input: Record<string, unknown>,
	options: { timeoutMs: number; maxBytes: number; signal?: AbortSignal }
): Promise<{ content: unknown[]; structuredContent?: Record<string, unknown>; isError: boolean }> {
	const result = await client.callTool({ name, arguments: input }, undefined, { timeout: options.timeoutMs, signal: options.signal });
	const size = Buffer.byteLength(JSON.stringify(result));
	if (size > options.maxBytes) {
		throw new McpCallError(`The result of the MCP tool "${name}" is too large (${size} bytes; the limit is ${options.maxBytes}).`);
	}
	return {
		content: Array.isArray(result.content) ? result.content : [],
		...(result.structuredContent ? { structuredContent: result.structuredContent as Record<string, unknown> } : {}),
		isError: result.isError === true
	};
}
