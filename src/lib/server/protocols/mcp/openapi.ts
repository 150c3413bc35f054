import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { errorResponses, keyOrAnonymous } from '../../openapi/shared';

/** A JSON-RPC message, as the Model Context Protocol sends them. */
const jsonRpcSchema = z
	.object({
		jsonrpc: z.literal('2.0'),
		id: z.union([z.string(), z.number()]).optional(),
		method: z.string().optional(),
		params: z.record(z.string(), z.unknown()).optional()
	})
	.meta({
		id: 'McpJsonRpcMessage',
		description: 'A JSON-RPC 2.0 message of the Model Context Protocol (or an array of them).',
		example: { jsonrpc: '2.0', id: 1, method: 'tools/list' }
	});

const jsonRpcErrorSchema = z
	.object({
		jsonrpc: z.literal('2.0'),
		id: z.null(),
		error: z.object({ code: z.number().int(), message: z.string() })
	})
	.meta({ id: 'McpJsonRpcError', description: 'A request that could not be read (`-32700` not JSON, `-32600` nested too deep).' });

/** `/mcp`: Parley as an MCP server. */
export const mcpPaths: ZodOpenApiPathsObject = {
	'/mcp': {
		post: {
			tags: ['MCP'],
			summary: 'MCP server (JSON-RPC over Streamable HTTP)',
			description: [
				'Parley’s agents as tools of a Model Context Protocol server: JSON-RPC 2.0 over the Streamable HTTP transport, stateless (no session id; GET and DELETE answer 405).',
				'Every agent the caller may use is a tool `ask_<slug>` taking `message`, optional `task_id` (continue a task of yours) and optional `context` (a new task’s context, checked against the agent’s context schema); its result is the answer’s text, with `structuredContent` `{task_id, text}`. With a `progressToken`, progress notifications carry the text so far in `message`.',
				'Send `Authorization: Bearer pk_…` to use your agents; without it only public agents are tools (and tool calls are limited per address). Send `Accept: application/json, text/event-stream`; tool calls are answered as server-sent events.',
				'A request whose `Origin` is neither this site nor listed in `CORS_ORIGINS` is refused with 403.'
			].join('\n\n'),
			security: keyOrAnonymous,
			requestBody: {
				required: true,
				content: { 'application/json': { schema: z.union([jsonRpcSchema, z.array(jsonRpcSchema)]) } }
			},
			responses: {
				'200': {
					description:
						'The JSON-RPC answer: server-sent events (`text/event-stream`) for requests, each `data:` line one JSON-RPC message.',
					content: {
						'text/event-stream': { schema: z.string().meta({ description: 'Server-sent events, each `data:` a JSON-RPC message.' }) },
						'application/json': { schema: jsonRpcSchema }
					}
				},
				'202': { description: 'A notification or response from the client, accepted.' },
				'400': {
					description: 'The body is not JSON, nests too deep, or is not a JSON-RPC message.',
					content: { 'application/json': { schema: jsonRpcErrorSchema } }
				},
				...errorResponses(401, 429),
				'403': {
					description: 'The request’s `Origin` is neither this site nor listed in `CORS_ORIGINS` (protection against DNS rebinding).',
					content: errorResponses(403)['403'].content
				},
				'406': { description: 'The request does not accept both `application/json` and `text/event-stream`.' },
				'413': { description: 'The body is larger than `JSON_BODY_LIMIT`.' },
				'415': { description: 'The body is not `application/json`.' }
			}
		}
	}
};
