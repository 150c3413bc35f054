import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { chatRequestSchema } from '../protocols/ui-message/request';
import { errorResponses, keyOrAnonymous } from './shared';

const taskIdParam = z.object({ taskId: z.string().meta({ description: 'The task (conversation) id.' }) });
const uiStream = {
	'text/event-stream': {
		schema: z.string().meta({
			description:
				'AI SDK UI message stream: `data: <chunk JSON>` events (`start`, `text-delta`, `tool-input-available`, …, `finish`) and `data: [DONE]`.'
		})
	}
};

/** The app's own chat stream (api.md §1). */
export const chatPaths: ZodOpenApiPathsObject = {
	'/api/chat': {
		post: {
			tags: ['Chat stream'],
			summary: 'Send a message (or a tool output) and stream the answer',
			description:
				'The body `DefaultChatTransport` sends. The server keeps the history and takes only what is new. An unused `id` starts a task with that id. The run belongs to the server: it goes on when the client disconnects.',
			security: keyOrAnonymous,
			requestBody: { content: { 'application/json': { schema: chatRequestSchema } } },
			responses: {
				'200': { description: 'The answer, streamed.', content: uiStream },
				...errorResponses(400, 401, 404, 409, 413, 422, 429)
			}
		}
	},
	'/api/chat/{taskId}/stream': {
		get: {
			tags: ['Chat stream'],
			summary: 'Resume the run in progress, replayed from its start',
			security: keyOrAnonymous,
			requestParams: { path: taskIdParam },
			responses: {
				'200': { description: 'The run, replayed then followed live.', content: uiStream },
				'204': { description: 'Nothing is running on this task.' },
				...errorResponses(401, 404)
			}
		}
	},
	'/api/chat/{taskId}/stop': {
		post: {
			tags: ['Chat stream'],
			summary: 'Stop the run; the partial answer is kept as interrupted',
			security: keyOrAnonymous,
			requestParams: { path: taskIdParam },
			responses: {
				'200': {
					description: 'Whether a run was stopped.',
					content: {
						'application/json': {
							schema: z.object({ stopped: z.boolean(), messageId: z.string().optional(), reason: z.string().optional() })
						}
					}
				},
				...errorResponses(401, 403, 404)
			}
		}
	}
};
