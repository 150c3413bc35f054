import { z } from 'zod';
import type { ZodOpenApiOperationObject, ZodOpenApiPathsObject } from 'zod-openapi';
import { errorResponses, keyOrAnonymous, keyOrSession } from '../../openapi/shared';
import { agentInputSchema, agentPatchSchema, agentResourceSchema } from '../../services/agent-admin';
import { toolInputSchema, toolPatchSchema, toolResourceSchema } from '../../services/tool-admin';
import { agentRunRequestSchema, toolOutputRequestSchema } from './request';

const toolCallSchema = z
	.object({
		call_id: z.string(),
		name: z.string(),
		arguments: z.string().meta({ description: 'The arguments as a JSON string, as OpenAI sends them.', example: '{"expression":"6*7"}' }),
		requires_approval: z.boolean().meta({ description: 'Answer with `{"approved": true|false, "reason"?}` rather than an output.' })
	})
	.meta({ id: 'AgentToolCall' });

const statusSchema = z.enum(['completed', 'requires_action', 'interrupted', 'error']);

/** The JSON answer of `POST /api/agent/chat/`. */
const chatAnswerSchema = z
	.object({
		session_id: z.string(),
		message_id: z.string(),
		text: z.string(),
		tool_calls: z
			.array(toolCallSchema)
			.meta({ description: 'The calls to answer with `POST /api/agent/tool-output/` (status `requires_action`).' }),
		status: statusSchema,
		error: z.object({ code: z.string(), message: z.string() }).optional().meta({ description: 'Why the run failed (status `error`).' })
	})
	.meta({ id: 'AgentChatAnswer' });

const agentStream = {
	'text/event-stream': {
		schema: z.string().meta({
			description: [
				'Server-sent events, each with an `event:` name and a JSON `data:` line:',
				'- `openai_event` — an OpenAI Responses stream event (`response.created`, `response.output_item.added`, `response.output_text.delta`, `response.function_call_arguments.delta`, `response.output_item.done`, `response.completed`…), one response per step of the run, whatever the provider;',
				'- `text_delta` — `{"delta"}`;',
				'- `tool_call` — `{"call_id", "name", "arguments", "requires_approval"}` for each call the caller must answer (every call when `auto_execute_tools` is false, client tools, tools needing approval);',
				'- `error` — `{"code", "message"}` when the run fails;',
				'- `done`, always last — `{"session_id", "message_id", "status", "pending_tool_calls"}`, `status` one of `completed`, `requires_action`, `interrupted`, `error`.'
			].join('\n')
		})
	}
};

const idParam = z.object({ id: z.string().meta({ description: 'The integer id.', example: '1' }) });
const agentIdParam = z.object({ id: z.string().meta({ description: 'The agent’s integer id or slug.', example: 'tool-demo' }) });

const runDescription =
	'A message to an agent, on a new session or an existing one of the caller’s (`session_id`; numbers are read as text). `files` are uploaded file ids (`POST /api/files`) or inline `{name, mime_type, base64}` files. Anonymous callers may use public agents (send `X-Anonymous-Id`, or read it back from the response). A caller that disconnects stops its run, which is stored as interrupted.';

/** The CRUD operations of a resource, with its schemas. */
function crudPaths(options: {
	tag: string;
	noun: string;
	resource: z.ZodType;
	input: z.ZodType;
	patch: z.ZodType;
	param: z.ZodObject;
	/** Whether deleting can clash (an agent with tasks, or defined in code). */
	deleteCanClash: boolean;
	/** Whether a write can name something that does not exist (an agent's unknown MCP server: 422). */
	writeCanMissReferences?: boolean;
}): { list: Record<string, ZodOpenApiOperationObject>; item: Record<string, ZodOpenApiOperationObject> } {
	const { tag, noun, resource, input, patch, param } = options;
	const writeErrors = options.writeCanMissReferences
		? errorResponses(400, 401, 403, 409, 413, 422)
		: errorResponses(400, 401, 403, 409, 413);
	const itemWriteErrors = options.writeCanMissReferences
		? errorResponses(400, 401, 403, 404, 409, 413, 422)
		: errorResponses(400, 401, 403, 404, 409, 413);
	const json = (schema: z.ZodType) => ({ 'application/json': { schema } });
	return {
		list: {
			get: {
				tags: [tag],
				summary: `List the ${noun}s the caller may use`,
				security: keyOrSession,
				responses: { '200': { description: `A bare array of ${noun}s.`, content: json(z.array(resource)) }, ...errorResponses(401) }
			},
			post: {
				tags: [tag],
				summary: `Create a ${noun} (admins)`,
				security: keyOrSession,
				requestBody: { content: json(input) },
				responses: {
					'201': { description: `The new ${noun}.`, content: json(resource) },
					...writeErrors
				}
			}
		},
		item: {
			get: {
				tags: [tag],
				summary: `Read a ${noun}`,
				security: keyOrSession,
				requestParams: { path: param },
				responses: { '200': { description: `The ${noun}.`, content: json(resource) }, ...errorResponses(401, 404) }
			},
			put: {
				tags: [tag],
				summary: `Replace a ${noun} (admins); left-out fields take their defaults`,
				security: keyOrSession,
				requestParams: { path: param },
				requestBody: { content: json(input) },
				responses: {
					'200': { description: `The ${noun} as stored.`, content: json(resource) },
					...itemWriteErrors
				}
			},
			patch: {
				tags: [tag],
				summary: `Change some fields of a ${noun} (admins)`,
				security: keyOrSession,
				requestParams: { path: param },
				requestBody: { content: json(patch) },
				responses: {
					'200': { description: `The ${noun} as stored.`, content: json(resource) },
					...itemWriteErrors
				}
			},
			delete: {
				tags: [tag],
				summary: `Delete a ${noun} (admins)`,
				security: keyOrSession,
				requestParams: { path: param },
				responses: {
					'204': { description: 'Deleted.' },
					...(options.deleteCanClash ? errorResponses(401, 403, 404, 409) : errorResponses(401, 403, 404))
				}
			}
		}
	};
}

const agentCrud = crudPaths({
	tag: 'Agent API',
	noun: 'agent',
	resource: agentResourceSchema,
	input: agentInputSchema,
	patch: agentPatchSchema,
	param: agentIdParam,
	deleteCanClash: true,
	writeCanMissReferences: true
});

const toolCrud = crudPaths({
	tag: 'Agent API',
	noun: 'tool',
	resource: toolResourceSchema,
	input: toolInputSchema,
	patch: toolPatchSchema,
	param: idParam,
	deleteCanClash: false
});

/** The agent API (`api.md` §2). Every path also answers without its trailing slash. */
export const agentApiPaths: ZodOpenApiPathsObject = {
	'/api/agent/stream/': {
		post: {
			tags: ['Agent API'],
			summary: 'Send a message to an agent and stream the run',
			description: runDescription,
			security: keyOrAnonymous,
			requestBody: { content: { 'application/json': { schema: agentRunRequestSchema } } },
			responses: {
				'200': { description: 'The run, as named events ending with `done`.', content: agentStream },
				...errorResponses(400, 401, 404, 409, 413, 422, 429)
			}
		}
	},
	'/api/agent/tool-output/': {
		post: {
			tags: ['Agent API'],
			summary: 'Answer a pending tool call (an output, or an approval)',
			description:
				'While other calls of the answer still wait, the stream holds only `done` (`requires_action`, with the calls that remain); the last answer continues the run, streamed like `/api/agent/stream/`.',
			security: keyOrAnonymous,
			requestBody: { content: { 'application/json': { schema: toolOutputRequestSchema } } },
			responses: {
				'200': { description: 'The continued run, or `done` alone.', content: agentStream },
				...errorResponses(400, 401, 404, 409, 413, 429)
			}
		}
	},
	'/api/agent/chat/': {
		post: {
			tags: ['Agent API'],
			summary: 'Send a message to an agent and get the answer as one JSON object',
			description: `${runDescription} The answer comes once the run ends or needs action.`,
			security: keyOrAnonymous,
			requestBody: { content: { 'application/json': { schema: agentRunRequestSchema } } },
			responses: {
				'200': { description: 'How the run ended.', content: { 'application/json': { schema: chatAnswerSchema } } },
				...errorResponses(400, 401, 404, 409, 413, 422, 429)
			}
		}
	},
	'/api/agents/': agentCrud.list,
	'/api/agents/{id}/': agentCrud.item,
	'/api/tools/': toolCrud.list,
	'/api/tools/{id}/': toolCrud.item
};
