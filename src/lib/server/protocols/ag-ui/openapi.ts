import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { errorResponses, keyOrAnonymous } from '../../openapi/shared';
import { runAgentInputSchema } from './request';

const agentParam = z.object({ agent: z.string().meta({ description: 'The agent: its slug (or integer id).', example: 'assistant' }) });
const runParams = agentParam.extend({
	runId: z.string().meta({ description: 'The run’s id, as the caller sent it in `RunAgentInput.runId`.' })
});

const eventStream = {
	'text/event-stream': {
		schema: z.string().meta({
			description:
				'AG-UI events (`@ag-ui/core` 1.0), one per SSE event: `id: <n>` (its place in the run, from 0) and `data: <event JSON>`. `RUN_STARTED`; `TEXT_MESSAGE_START`/`_CONTENT`/`_END`; `REASONING_START`, `REASONING_MESSAGE_START`/`_CONTENT`/`_END`, `REASONING_END`; `TOOL_CALL_START`/`_ARGS`/`_END` and, for the agent’s own tools, `TOOL_CALL_RESULT`; `ACTIVITY_SNAPSHOT` (`activityType: "parley.widget"`) for a widget; then `RUN_FINISHED` (`outcome`: `success`, with `pendingToolCallIds` when your tools’ calls wait; `interrupt`, one interrupt per call that waits for approval; `cancelled`) or `RUN_ERROR`.'
		})
	}
};

/** The AG-UI face: a run, its replay and its cancel. */
export const agUiPaths: ZodOpenApiPathsObject = {
	'/ag-ui/{agent}': {
		post: {
			tags: ['AG-UI'],
			summary: 'Run the agent on a thread, streaming AG-UI events',
			description:
				'`threadId` is a Parley task id: an id not yet used makes your task with it, and your next runs with it continue that task (the server keeps the history: only the last user message, or the tool messages that end `messages`, are read). Your `tools` are client tools: a run that calls one ends with `RUN_FINISHED` naming the call in `pendingToolCallIds`; the next run whose `messages` end with a `tool` message (`toolCallId`, `content`) continues the same answer. A call that needs approval ends the run with an interrupt (its `id` is the approval’s, `toolCallId` the call’s); answer with `resume: [{interruptId, status: "resolved", payload: {approved: true}}]` (`cancelled` or `approved: false` denies), or with a `tool` message whose content is `{"approved": true}`. `context` entries are added to the system prompt for this run; `state` and `forwardedProps` are accepted and not used. The run belongs to the server: it goes on when you disconnect. At most `HISTORY_MESSAGE_LIMIT` messages and `HISTORY_TEXT_LIMIT` characters of text, 128 tools, 64 context entries; the body within `JSON_BODY_LIMIT` and `JSON_DEPTH_LIMIT`.',
			security: keyOrAnonymous,
			requestParams: { path: agentParam },
			requestBody: { required: true, content: { 'application/json': { schema: runAgentInputSchema } } },
			responses: {
				'200': {
					description: 'The run’s events. `X-Parley-Task-Id` names the task (the thread).',
					content: eventStream
				},
				...errorResponses(400, 401, 404, 409, 413, 415, 429)
			}
		}
	},
	'/ag-ui/{agent}/runs/{runId}/events': {
		get: {
			tags: ['AG-UI'],
			summary: 'Replay a run’s events after Last-Event-ID, then follow it live',
			description:
				'One of your runs, running or ended (kept `AG_UI_REPLAY_SECONDS`): its events after the one `Last-Event-ID` names (or `?last_event_id=`), all of them without it, with the same ids; a running run is followed until it ends.',
			security: keyOrAnonymous,
			requestParams: {
				path: runParams,
				header: z.object({ 'last-event-id': z.string().optional().meta({ description: 'The id of the last event you have.' }) }),
				query: z.object({
					last_event_id: z.string().optional().meta({ description: 'As `Last-Event-ID`, for clients that cannot set it.' })
				})
			},
			responses: {
				'200': { description: 'The events after the one named.', content: eventStream },
				...errorResponses(400, 401, 404)
			}
		}
	},
	'/ag-ui/{agent}/runs/{runId}/cancel': {
		post: {
			tags: ['AG-UI'],
			summary: 'Cancel a run; the partial answer is kept',
			description:
				'Stops one of your runs: its answer so far is kept (as interrupted) and its stream ends with `RUN_FINISHED` whose `outcome` is `cancelled`.',
			security: keyOrAnonymous,
			requestParams: { path: runParams },
			responses: {
				'200': {
					description: 'Whether the run was stopped (an ended run is left as it is).',
					content: {
						'application/json': {
							schema: z.object({ runId: z.string(), threadId: z.string(), cancelled: z.boolean(), reason: z.string().optional() })
						}
					}
				},
				...errorResponses(401, 404)
			}
		}
	}
};
