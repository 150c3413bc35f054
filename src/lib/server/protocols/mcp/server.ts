import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { version } from '../../../version';
import { toToolErrorOf, type AskToolResult } from './response';
import { askInputShape, askOutputShape, toolDescriptionOf, toolNameOf, toolTitleOf, type AgentTool, type AskArguments } from './tools';

/**
 * Parley as an MCP server (Streamable HTTP, stateless): the SDK's server and transport, made
 * afresh for each request. This module loads the SDK, so it is itself loaded on the first `/mcp`
 * request only.
 */

/** What the server says about itself on `initialize`. */
const SERVER_INFO = { name: 'parley', title: 'Parley', version };

const INSTRUCTIONS =
	'Each tool ask_<agent> sends a message to one of Parley’s agents and returns its answer, with the task_id to continue the conversation.';

/** What a request's server needs from the app: the caller's agents, and how to ask one. */
export interface McpFace {
	/** The agents the caller may use, each a tool. */
	agents: AgentTool[];
	/**
	 * Asks `agent`, reporting the text so far through `onText` while the answer streams (when the
	 * caller asked for progress); `signal` aborts when the request is cancelled.
	 */
	ask(
		agent: AgentTool,
		args: AskArguments,
		options: { signal: AbortSignal; onText?: (text: string) => Promise<void> }
	): Promise<AskToolResult>;
}

/** A server with one tool per agent of the caller's. */
function createServer(face: McpFace): McpServer {
	const server = new McpServer(SERVER_INFO, { capabilities: { tools: { listChanged: false } }, instructions: INSTRUCTIONS });
	const names = new Set<string>();
	for (const agent of face.agents) {
		// Slugs are lower-case letters, digits, "." and "-": their tool names never clash; should
		// two ever do, the first agent keeps the name rather than the request failing.
		const name = toolNameOf(agent.slug);
		if (names.has(name)) continue;
		names.add(name);
		server.registerTool(
			name,
			{
				title: toolTitleOf(agent),
				description: toolDescriptionOf(agent),
				inputSchema: askInputShape(agent),
				outputSchema: askOutputShape,
				annotations: { title: toolTitleOf(agent), readOnlyHint: false, destructiveHint: false, openWorldHint: true }
			},
			async (args, extra) => {
				const token = extra._meta?.progressToken;
				let progress = 0;
				const onText =
					token === undefined
						? undefined
						: (text: string) =>
								extra.sendNotification({
									method: 'notifications/progress',
									params: { progressToken: token, progress: ++progress, message: text }
								});
				try {
					return await face.ask(agent, args, { signal: extra.signal, onText });
				} catch (error) {
					return toToolErrorOf(error);
				}
			}
		);
	}
	// A caller who may use no agent still lists tools: none.
	if (face.agents.length === 0) server.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: [] }));
	return server;
}

/**
 * Answers one `/mcp` request (its JSON body already read and checked, for POST) with a new
 * stateless server: JSON-RPC over Streamable HTTP, tool calls answered in a stream of server-sent
 * events that carries their progress.
 */
export async function handleMcpRequest(request: Request, parsedBody: unknown, face: McpFace): Promise<Response> {
	const server = createServer(face);
	const transport = new WebStandardStreamableHTTPServerTransport({ sessionIdGenerator: undefined });
	await server.connect(transport);
	const response = await transport.handleRequest(request, parsedBody === undefined ? undefined : { parsedBody });
	// The server goes once the response is sent: a stream's end closes the transport.
	if (!response.body) await server.close();
	return response;
}
