import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { errorResponses, keyOrAnonymous } from '../../openapi/shared';
import { envelopeSchema } from './request';

const agentParam = z.object({ agent: z.string().meta({ description: 'The agent: its slug (or integer id).', example: 'assistant' }) });

const card = z.record(z.string(), z.unknown()).meta({
	description:
		'An A2A agent card (A2A 1.0 JSON, as `@a2a-js/sdk` 1.3 reads it): `name`, `description`, `supportedInterfaces` (the JSON-RPC URL `/a2a/{agent}`, in A2A 1.0 and 0.3), `capabilities.streaming: true`, the `bearer` security scheme, and `skills` (the agent itself, then one per tool).'
});

const rpcRequest = envelopeSchema.meta({
	id: 'A2AJsonRpcRequest',
	description:
		'A JSON-RPC 2.0 request. A2A 1.0 methods: `SendMessage`, `SendStreamingMessage`, `GetTask`, `CancelTask`, `SubscribeToTask`; A2A 0.3 names: `message/send`, `message/stream`, `tasks/get`, `tasks/cancel`, `tasks/resubscribe`. `params` as A2A defines them for the method.'
});

/** The A2A face: the directory, each agent’s card, and its JSON-RPC endpoint. */
export const a2aPaths: ZodOpenApiPathsObject = {
	'/.well-known/agent-card.json': {
		get: {
			tags: ['A2A'],
			summary: 'Parley’s A2A directory: the public agents and their cards',
			description:
				'A card naming Parley whose `skills` are the public agents (each skill’s id is the agent’s slug), and `agents`: each public agent with its JSON-RPC `url` and its `cardUrl`. Agents that need a key are not listed; read their cards with the key.',
			responses: {
				'200': {
					description: 'The directory.',
					content: {
						'application/json': {
							schema: z.object({
								name: z.literal('Parley'),
								agents: z.array(
									z.object({ slug: z.string(), name: z.string(), description: z.string(), url: z.string(), cardUrl: z.string() })
								)
							})
						}
					}
				}
			}
		}
	},
	'/a2a/{agent}/.well-known/agent-card.json': {
		get: {
			tags: ['A2A'],
			summary: 'An agent’s A2A card',
			description: 'The card of an agent you may use: a non-public agent needs a key (anonymously it is not found).',
			security: keyOrAnonymous,
			requestParams: { path: agentParam },
			responses: {
				'200': { description: 'The card.', content: { 'application/json': { schema: card } } },
				...errorResponses(401, 404)
			}
		}
	},
	'/a2a/{agent}': {
		post: {
			tags: ['A2A'],
			summary: 'A2A JSON-RPC: send (blocking or streaming), get, cancel, resubscribe',
			description:
				'A2A over JSON-RPC 2.0, in A2A 1.0 and in A2A 0.3’s method names. An A2A task is a Parley task: its `id` is the task’s id and its `contextId` is the same id. A message without `taskId` makes a new task (with `contextId` as its id when it is a free task id, or continuing your task of that id); with `taskId` it continues that task. Text parts are the question; data parts are sent as JSON text; file parts (`raw` bytes or a `url` to one of your uploads, `/api/files/{id}`) become uploads under the file limits. Client tools are declared in the message’s `metadata.tools` (`[{name, description, parameters}]`). States: `working` while the answer streams; `input-required` while a client tool’s call or an approval waits (the status message carries a data part `{toolCalls: [{toolCallId, toolName, input, kind}]}`; answer with a message on the same `taskId` whose data part is `{toolCallId, output}` or `{toolCallId, approved, reason?}`, or, when one call waits, whose text is its output — for an approval, “yes” approves); `completed`; `canceled` (the partial answer is kept in the artifact); `failed` with the error in the status message. The answer is one artifact (`{messageId}-answer`), streamed as appended text chunks. Runs belong to the server: a client that goes away does not stop them; `SubscribeToTask` replays a running task from its start and follows it. Errors: task not found -32001 (also another caller’s task), not cancelable -32002, push notifications -32003, unsupported -32004 (a busy task, resubscribing an ended one), invalid params -32602, method not found -32601, invalid request -32600 (also a body nested deeper than `JSON_DEPTH_LIMIT`), parse error -32700. The transport answers 401 (a bad key, or a non-public agent anonymously), 404 (an unknown agent), 413 (a body over `JSON_BODY_LIMIT`) and 429 (rate limits) with Parley’s JSON error.',
			security: keyOrAnonymous,
			requestParams: { path: agentParam },
			requestBody: { required: true, content: { 'application/json': { schema: rpcRequest } } },
			responses: {
				'200': {
					description:
						'A JSON-RPC response; for the streaming methods an SSE stream with one JSON-RPC response per `data:` event (the task, then status and artifact updates, ending with the final status).',
					content: {
						'application/json': {
							schema: z.object({
								jsonrpc: z.literal('2.0'),
								id: z.union([z.string(), z.number(), z.null()]),
								result: z.unknown().optional(),
								error: z.object({ code: z.number().int(), message: z.string(), data: z.unknown().optional() }).optional()
							})
						},
						'text/event-stream': { schema: z.string().meta({ description: 'JSON-RPC responses, one per SSE `data:` event.' }) }
					}
				},
				...errorResponses(401, 404, 413, 429)
			}
		}
	}
};
