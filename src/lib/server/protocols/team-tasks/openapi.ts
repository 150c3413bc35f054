import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { errorResponses, keyOrAnonymous } from '../../openapi/shared';
import { teamAgentPathSchema, teamMessageFormSchema, teamTaskCreateFormSchema, teamTaskPathSchema } from './request';
import { teamTaskDeletedSchema, teamTaskSchema, teamTasksChunkSchema } from './schemas';

const tags = ['Team-agent tasks'];

const anonymousHeader = z.object({
	'x-anonymous-id': z
		.string()
		.optional()
		.meta({ description: 'Anonymous callers of public agents: their id. A new one comes back in this header when absent.' })
});

const acceptHeader = z.object({
	accept: z.literal('text/event-stream').meta({ description: 'Required: the answer is only streamed.' })
});

/** The team-agent tasks API (`api.md` §4), from the schemas that validate its requests. */
export const teamTasksPaths: ZodOpenApiPathsObject = {
	'/api/teams/messages': {
		post: {
			tags,
			summary: 'Send a message to a team agent and stream the answer',
			description:
				'Starts a task when `id_task` is absent (teams are created on first use). Files sent in `images`, `videos`, ' +
				'`audios` and `documents` are stored and attached to the question. The answer streams as `data: <json>` lines ' +
				'without `event:` names: `started` first; `text-chunk`, `reasoning-chunk`, media chunks, numbered `step` lines ' +
				'for tool calls and `loading` while waiting; then exactly one of `finished`, `error` or `interrupted` ' +
				'(also when the agent waits for a client tool or an approval, which this API cannot send); then `data: [DONE]`. ' +
				'Disconnecting stops the run; the partial answer is stored as interrupted. Anonymous callers may use public agents.',
			security: keyOrAnonymous,
			requestParams: { header: acceptHeader.extend(anonymousHeader.shape) },
			requestBody: { content: { 'multipart/form-data': { schema: teamMessageFormSchema } } },
			responses: {
				'200': {
					description: 'The answer, streamed as server-sent events (each `data:` line is one of these objects, then `[DONE]`).',
					content: { 'text/event-stream': { schema: teamTasksChunkSchema } }
				},
				...errorResponses(400, 401, 404, 406, 409, 413, 415, 422, 429)
			}
		}
	},
	'/api/teams/tasks/{id_team_agent}': {
		get: {
			tags,
			summary: 'List your tasks with an agent, newest first',
			description: 'A bare JSON array of at most 100 tasks.',
			security: keyOrAnonymous,
			requestParams: { path: teamAgentPathSchema, header: anonymousHeader },
			responses: {
				'200': { description: 'Your tasks with this agent.', content: { 'application/json': { schema: z.array(teamTaskSchema) } } },
				...errorResponses(401, 404)
			}
		},
		post: {
			tags,
			summary: 'Create a task without running the agent',
			description: 'The task’s first question is `text`; its driver is `user`. No answer is written.',
			security: keyOrAnonymous,
			requestParams: { path: teamAgentPathSchema, header: anonymousHeader },
			requestBody: { content: { 'multipart/form-data': { schema: teamTaskCreateFormSchema } } },
			responses: {
				'201': { description: 'The new task.', content: { 'application/json': { schema: teamTaskSchema } } },
				...errorResponses(400, 401, 404, 413, 415, 422)
			}
		}
	},
	'/api/teams/tasks/{id_team_agent}/{id_task}': {
		get: {
			tags,
			summary: 'Read one of your tasks',
			description: 'An answer still being written has no `response` yet.',
			security: keyOrAnonymous,
			requestParams: { path: teamTaskPathSchema, header: anonymousHeader },
			responses: {
				'200': { description: 'The task.', content: { 'application/json': { schema: teamTaskSchema } } },
				...errorResponses(401, 404)
			}
		},
		delete: {
			tags,
			summary: 'Delete one of your tasks',
			description: 'A run in progress is stopped first. Its messages and files are removed.',
			security: keyOrAnonymous,
			requestParams: { path: teamTaskPathSchema, header: anonymousHeader },
			responses: {
				'200': { description: 'Deleted.', content: { 'application/json': { schema: teamTaskDeletedSchema } } },
				...errorResponses(401, 404)
			}
		}
	}
};
