import { z } from 'zod';
import type { ZodOpenApiPathsObject, ZodOpenApiResponseObject } from 'zod-openapi';
import { openAIErrorResponses } from '../openai-error-schema';
import { chatCompletionRequestSchema } from './request';

const errorDescriptions = {
	400: 'Malformed JSON, or a missing or wrongly typed parameter (named in `error.param`), or a history OpenAI would refuse too.',
	401: 'No API key for an agent that is not public (`code: "invalid_api_key"`), or an invalid or revoked key.',
	404: 'Unknown agent (`code: "model_not_found"`), or a `metadata.task_id` that does not exist or is not yours.',
	409: 'The task in `metadata.task_id` is already answering.',
	413: 'The body is larger than the JSON limit, or `messages` holds more messages or text than `HISTORY_MESSAGE_LIMIT` or `HISTORY_TEXT_LIMIT` allow (`code: "request_too_large"`, `param: "messages"`).',
	422: 'The `context` of a new task does not satisfy the agent’s context schema (`param` names the field).',
	429: 'Too many requests (`code: "rate_limit_exceeded"`); see the `retry-after` header.',
	502: 'The model failed while answering (non-streamed requests; a streamed one sends `data: {"error": …}`).'
} as const;

/** Error responses for the given statuses, each with OpenAI's error body. */
function errorResponses(...statuses: (keyof typeof errorDescriptions)[]): Record<string, ZodOpenApiResponseObject> {
	return openAIErrorResponses(errorDescriptions, ...statuses);
}

const usageSchema = z.object({
	prompt_tokens: z.number().int(),
	completion_tokens: z.number().int(),
	total_tokens: z.number().int(),
	prompt_tokens_details: z
		.object({ cached_tokens: z.number().int().meta({ description: 'Prompt tokens read from the provider’s prompt cache.' }) })
		.optional()
		.meta({ description: 'Present when the agent’s model reported cached input.' }),
	completion_tokens_details: z
		.object({ reasoning_tokens: z.number().int().meta({ description: 'Completion tokens the model spent reasoning.' }) })
		.optional()
		.meta({ description: 'Present when the agent’s model reported reasoning tokens.' })
});

const toolCallSchema = z.object({
	id: z.string(),
	type: z.literal('function'),
	function: z.object({ name: z.string(), arguments: z.string().meta({ description: 'The arguments, as JSON text.' }) })
});

const finishReasonSchema = z.enum(['stop', 'length', 'tool_calls']);

/** A non-streamed answer. */
const chatCompletionSchema = z
	.object({
		id: z.string().meta({ example: 'chatcmpl-3k5…' }),
		object: z.literal('chat.completion'),
		created: z.number().int(),
		model: z.string().meta({ description: 'The agent’s slug.' }),
		choices: z.array(
			z.object({
				index: z.literal(0),
				message: z.object({
					role: z.literal('assistant'),
					content: z.string().nullable(),
					refusal: z.null(),
					annotations: z.array(z.unknown()),
					tool_calls: z.array(toolCallSchema).optional()
				}),
				logprobs: z.null(),
				finish_reason: finishReasonSchema
			})
		),
		usage: usageSchema
	})
	.meta({ id: 'ChatCompletion' });

/** One event of a streamed answer. */
const chatCompletionChunkSchema = z
	.object({
		id: z.string(),
		object: z.literal('chat.completion.chunk'),
		created: z.number().int(),
		model: z.string(),
		choices: z.array(
			z.object({
				index: z.literal(0),
				delta: z.object({
					role: z.literal('assistant').optional(),
					content: z.string().optional(),
					tool_calls: z.array(toolCallSchema.extend({ index: z.number().int() })).optional()
				}),
				logprobs: z.null(),
				finish_reason: finishReasonSchema.nullable()
			})
		),
		usage: usageSchema.nullable().optional()
	})
	.meta({
		id: 'ChatCompletionChunk',
		description:
			'Sent as `data: <chunk>`; the stream ends with `data: [DONE]`. With `stream_options.include_usage`, every chunk has `usage: null` and a last chunk with empty `choices` carries the usage.'
	});

const modelListSchema = z
	.object({
		object: z.literal('list'),
		data: z.array(
			z.object({
				id: z.string().meta({ description: 'The agent’s slug, to send as `model`.', example: 'assistant' }),
				object: z.literal('model'),
				created: z.number().int(),
				owned_by: z.literal('parley')
			})
		)
	})
	.meta({ id: 'ModelList' });

/** Security: an API key, or none for public agents. */
const keyOrAnonymous: Record<string, string[]>[] = [{ bearerAuth: [] }, {}];

const taskIdHeader = {
	'X-Parley-Task-Id': { description: 'The task this request was stored in.', schema: { type: 'string' as const } }
};

/** The OpenAI-compatible endpoints (`api.md` §5). */
export const openAIPaths: ZodOpenApiPathsObject = {
	'/v1/models': {
		get: {
			tags: ['OpenAI-compatible'],
			summary: 'List the agents you may use, as models',
			description: 'Each agent’s slug is a model id. Anonymous callers see the public agents.',
			security: keyOrAnonymous,
			responses: {
				'200': { description: 'The models.', content: { 'application/json': { schema: modelListSchema } } },
				...errorResponses(401)
			}
		}
	},
	'/v1/chat/completions': {
		post: {
			tags: ['OpenAI-compatible'],
			summary: 'Chat Completions with an agent (streamed or not)',
			description: [
				'Works with the official `openai` SDK given `baseURL: <host>/v1`. `model` is the agent. Send the whole history as OpenAI clients do.',
				'`tools` are run by the caller: their calls come back as `tool_calls` with `finish_reason: "tool_calls"`; answer them with `tool` messages. Calls of the agent’s tools that need approval come back the same way: answer `{"approved": true}` or `{"approved": false, "reason": "…"}`. The agent’s own server tools run inside.',
				'Each request is stored as a task, named in `X-Parley-Task-Id`; with `metadata.task_id` the messages the task does not hold yet are appended to it instead.',
				'`tool_choice`, `response_format` (`text`, `json_object`, `json_schema`), `max_tokens` / `max_completion_tokens` and `temperature` tune this answer on top of the agent’s settings; other parameters that tune the model (`top_p`, `seed`, …) are accepted and ignored. Public agents accept anonymous callers (`X-Anonymous-Id`). A caller that disconnects stops the answer, which is stored as interrupted.'
			].join('\n\n'),
			security: keyOrAnonymous,
			requestBody: { content: { 'application/json': { schema: chatCompletionRequestSchema } } },
			responses: {
				'200': {
					description: 'The answer: JSON, or with `stream: true` server-sent events.',
					headers: taskIdHeader,
					content: {
						'application/json': { schema: chatCompletionSchema },
						'text/event-stream': { schema: chatCompletionChunkSchema }
					}
				},
				...errorResponses(400, 401, 404, 409, 413, 422, 429, 502)
			}
		}
	}
};
