import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { errorResponses, keyOrAnonymous } from '../../openapi/shared';
import { assistantQuerySchema, assistantRequestSchema } from './request';

const tags = ['assistant-ui assistant transport'];

const headerParams = z.object({
	accept: z
		.string()
		.optional()
		.meta({ description: '`text/event-stream` for the SSE format; `text/plain` or `*/*` (or none) for the data stream.' }),
	'x-anonymous-id': z
		.string()
		.optional()
		.meta({ description: 'Anonymous callers of public agents: their id. A new one comes back in this header when absent.' })
});

const taskIdHeader = {
	'x-parley-task-id': {
		description: 'The task (thread) the answer belongs to; also sent as `state.taskId`.',
		schema: { type: 'string' as const }
	}
};

/** `POST /assistant` (`api.md` §3) and `GET /health`, from the schemas that validate the requests. */
export const assistantTransportPaths: ZodOpenApiPathsObject = {
	'/assistant': {
		post: {
			tags,
			summary: 'Run assistant-ui commands on a thread and stream its state and answer',
			description:
				'The body `useAssistantTransportRuntime` posts. `add-message` adds a user message (text and image parts); a `parentId` ' +
				'that is not the last message replaces the question after it and what followed (an edit). `add-tool-result` answers a ' +
				'client tool call (`result`, `isError`) or a call waiting for approval (`result: {"approved": true|false, "reason"?}`); ' +
				'the last pending answer continues the same assistant message. A request carries one `add-message` or tool results. ' +
				'The thread is the task named by `state.taskId` (set by the server on the first turn) or `threadId` (assistant-ui’s ' +
				'own `__LOCALID_…` ids are ignored); an unknown or foreign one answers 404. A new thread stores `state.messages` as its ' +
				'history first. `tools` (frontend tools) are offered to the model as client tools; `system` is ignored (the agent’s ' +
				'prompt applies). The response streams `state.taskId` and `state.messages` as state operations, with text, reasoning, ' +
				'tool, step and finish chunks; failures after the start are an error chunk (`3:` line or `error` chunk). Disconnecting ' +
				'stops the run; the partial answer is stored as interrupted. Anonymous callers may use public agents.',
			security: keyOrAnonymous,
			requestParams: { query: assistantQuerySchema, header: headerParams },
			requestBody: { content: { 'application/json': { schema: assistantRequestSchema } } },
			responses: {
				'200': {
					description:
						'The answer, streamed in the format asked for. The state operations keep `state.taskId` (the thread’s task id) and ' +
						'`state.messages` current: every message of the thread as `{id, role, content, status?}`, where `content` holds ' +
						'assistant-ui `ThreadMessageLike` parts (`text`, `reasoning`, `image`, `file`, `tool-call` with `args`, `argsText`, ' +
						'`result`, `isError`, `approval`) and answers carry an assistant-ui `MessageStatus`. A `converter` can hand them to ' +
						'assistant-ui as they are; other keys of the client’s state are left alone.',
					headers: taskIdHeader,
					content: {
						'text/plain': {
							schema: z.string().meta({
								description:
									'assistant-stream data stream (`x-vercel-ai-data-stream: v1`), one `code:JSON` line each: `aui-state:[operations]` ' +
									'(`{"type":"set"|"append-text","path":[…],"value":…}`), `0:` text, `g:` reasoning, `b:`/`c:`/`9:` tool calls, ' +
									'`a:` tool results, `aui-tool-call-approval:`, `f:`/`e:` step start and end, `d:` finish, `3:` error. No end marker.',
								example: [
									'aui-state:[{"type":"set","path":["taskId"],"value":"k3…"},{"type":"set","path":["messages"],"value":[…]}]',
									'f:{"messageId":"m1"}',
									'aui-state:[{"type":"set","path":["messages","1","content","0"],"value":{"type":"text","text":""}}]',
									'aui-state:[{"type":"append-text","path":["messages","1","content","0","text"],"value":"You said"}]',
									'0:"You said"',
									'd:{"finishReason":"stop","usage":{"inputTokens":3,"outputTokens":9}}',
									''
								].join('\n')
							})
						},
						'text/event-stream': {
							schema: z.string().meta({
								description:
									'assistant-stream SSE (`?protocol=assistant-transport` or `Accept: text/event-stream`): `data: <AssistantStreamChunk>` ' +
									'events (`update-state`, `part-start`, `text-delta`, `tool-call-args-text-finish`, `tool-call-approval`, `result`, ' +
									'`part-finish`, `step-start`, `step-finish`, `message-finish`, `error`), then `data: [DONE]`.'
							})
						}
					}
				},
				...errorResponses(400, 401, 404, 406, 409, 413, 422, 429)
			}
		}
	},
	'/health': {
		get: {
			tags: ['Health'],
			summary: 'Liveness and database check',
			security: [{}],
			responses: {
				'200': {
					description: 'The server and its database answer.',
					content: { 'application/json': { schema: healthSchema('healthy', 'ok') } }
				},
				'503': {
					description: 'The database cannot be read.',
					content: { 'application/json': { schema: healthSchema('unhealthy', 'unavailable') } }
				}
			}
		}
	}
};

/** The body of `GET /health` with a given status. */
function healthSchema(status: 'healthy' | 'unhealthy', database: 'ok' | 'unavailable') {
	return z.object({
		status: z.literal(status),
		service: z.literal('parley'),
		version: z.string().meta({ example: '0.1.0' }),
		database: z.literal(database)
	});
}
