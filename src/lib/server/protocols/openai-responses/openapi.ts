import { z } from 'zod';
import type { ZodOpenApiPathsObject, ZodOpenApiResponseObject } from 'zod-openapi';
import { openAIErrorResponses } from '../openai-error-schema';
import { createResponseRequestSchema } from './request';

const errorDescriptions = {
	400: 'Malformed JSON, or a missing or wrongly typed parameter (named in `error.param`), or input OpenAI would refuse too (a call without its output, a call of the agent’s own tool).',
	401: 'No API key for an agent that is not public (`code: "invalid_api_key"`), or an invalid or revoked key.',
	404: 'Unknown agent (`code: "model_not_found"`), or a response that does not exist or is not yours.',
	409: 'The response continued is still running.',
	413: 'The body is larger than the JSON limit, or `input` holds more items or text than `HISTORY_MESSAGE_LIMIT` or `HISTORY_TEXT_LIMIT` allow (`code: "request_too_large"`, `param: "input"`).',
	422: 'The `context` of a new task does not satisfy the agent’s context schema (`param` names the field).',
	429: 'Too many requests (`code: "rate_limit_exceeded"`); see the `retry-after` header.'
} as const;

/** Error responses for the given statuses, each with OpenAI's error body. */
function errorResponses(...statuses: (keyof typeof errorDescriptions)[]): Record<string, ZodOpenApiResponseObject> {
	return openAIErrorResponses(errorDescriptions, ...statuses);
}

const itemStatus = z.enum(['in_progress', 'completed', 'incomplete']);

/** An output item: a message, reasoning, a function call, a server tool's result or an approval request. */
const outputItemSchema = z
	.union([
		z.object({
			type: z.literal('message'),
			id: z.string(),
			role: z.literal('assistant'),
			status: itemStatus,
			content: z.array(
				z.object({
					type: z.literal('output_text'),
					text: z.string(),
					annotations: z.array(z.unknown()),
					logprobs: z.array(z.unknown())
				})
			)
		}),
		z.object({
			type: z.literal('reasoning'),
			id: z.string(),
			summary: z.array(z.object({ type: z.literal('summary_text'), text: z.string() }))
		}),
		z.object({
			type: z.literal('function_call'),
			id: z.string(),
			call_id: z.string(),
			name: z.string(),
			arguments: z.string().meta({ description: 'The arguments, as JSON text.' }),
			status: itemStatus
		}),
		z
			.object({
				type: z.literal('mcp_call'),
				id: z.string(),
				server_label: z.literal('parley'),
				name: z.string(),
				arguments: z.string(),
				output: z.string().nullable(),
				error: z.string().nullable(),
				status: z.enum(['completed', 'failed']),
				approval_request_id: z.string().nullable()
			})
			.meta({
				description:
					'A call of one of the agent’s own tools, which ran on the server (a hosted tool server named `parley`), with its result or error.'
			}),
		z
			.object({
				type: z.literal('mcp_approval_request'),
				id: z.string(),
				name: z.string(),
				arguments: z.string(),
				server_label: z.literal('parley')
			})
			.meta({
				description:
					'A call of one of the agent’s tools that waits for approval: answer with an `mcp_approval_response` item (`approval_request_id` = this id) and `previous_response_id`.'
			})
	])
	.meta({ id: 'ResponsesOutputItem' });

const usageSchema = z.object({
	input_tokens: z.number().int(),
	input_tokens_details: z.object({ cached_tokens: z.number().int(), cache_write_tokens: z.number().int() }),
	output_tokens: z.number().int(),
	output_tokens_details: z.object({ reasoning_tokens: z.number().int() }),
	total_tokens: z.number().int()
});

/** A response object: every field the Open Responses specification requires, null where it has no value. */
const responseSchema = z
	.object({
		id: z.string().meta({ example: 'resp_3k5…' }),
		object: z.literal('response'),
		created_at: z.number().int(),
		completed_at: z.number().int().nullable(),
		status: z.enum(['in_progress', 'completed', 'incomplete', 'failed', 'cancelled']),
		error: z.object({ code: z.string(), message: z.string() }).nullable(),
		incomplete_details: z.object({ reason: z.literal('max_output_tokens') }).nullable(),
		model: z.string().meta({ description: 'The agent’s slug, as sent.' }),
		previous_response_id: z.string().nullable(),
		instructions: z.string().nullable(),
		output: z.array(outputItemSchema),
		tools: z.array(
			z.object({
				type: z.literal('function'),
				name: z.string(),
				description: z.string().nullable(),
				parameters: z.record(z.string(), z.unknown()).nullable(),
				strict: z.boolean().nullable()
			})
		),
		tool_choice: z.union([z.enum(['auto', 'none', 'required']), z.object({ type: z.literal('function'), name: z.string() })]),
		parallel_tool_calls: z.boolean(),
		temperature: z.number(),
		top_p: z.number(),
		presence_penalty: z.number(),
		frequency_penalty: z.number(),
		top_logprobs: z.number().int(),
		max_output_tokens: z.number().int().nullable(),
		max_tool_calls: z.null(),
		text: z.object({
			format: z
				.object({ type: z.enum(['text', 'json_object', 'json_schema']) })
				.loose()
				.meta({ description: 'As asked for in the request’s `text.format`; `text` by default.' })
		}),
		truncation: z.literal('disabled'),
		reasoning: z.null(),
		user: z.null(),
		usage: usageSchema.nullable(),
		metadata: z.record(z.string(), z.string()),
		store: z.boolean(),
		background: z.literal(false),
		service_tier: z.literal('default'),
		safety_identifier: z.null(),
		prompt_cache_key: z.null()
	})
	.meta({ id: 'Response' });

/** One event of a streamed response. */
const streamEventSchema = z
	.object({
		type: z.string().meta({
			description:
				'`response.created`, `response.in_progress`, `response.output_item.added` / `.done`, `response.content_part.added` / `.done`, `response.output_text.delta` / `.done`, `response.reasoning_summary_part.added` / `.done`, `response.reasoning_summary_text.delta` / `.done`, `response.function_call_arguments.delta` / `.done`, then one of `response.completed`, `response.incomplete`, `response.failed`.'
		}),
		sequence_number: z.number().int().meta({ description: 'Increases by one from 0.' }),
		response: responseSchema.optional()
	})
	.loose()
	.meta({
		id: 'ResponseStreamEvent',
		description: 'Sent as `event: <type>` and `data: <event>`; the stream ends with `data: [DONE]`.'
	});

const inputItemListSchema = z
	.object({
		object: z.literal('list'),
		data: z.array(z.record(z.string(), z.unknown()).meta({ description: 'An input item, with its `id`.' })),
		first_id: z.string().nullable(),
		last_id: z.string().nullable(),
		has_more: z.boolean()
	})
	.meta({ id: 'ResponseInputItemList' });

/** Security: an API key, or none for public agents. */
const keyOrAnonymous: Record<string, string[]>[] = [{ bearerAuth: [] }, {}];

const responseIdParameter = z.string().meta({ example: 'resp_3k5…' });

const tags = ['OpenAI-compatible'];

/** The Responses endpoints (Open Responses). */
export const openResponsesPaths: ZodOpenApiPathsObject = {
	'/v1/responses': {
		post: {
			tags,
			summary: 'Create a response with an agent (streamed or not)',
			description: [
				'Works with the official `openai` SDK (`client.responses.create`) and the AI SDK’s default OpenAI provider given `baseURL: <host>/v1`. `model` is the agent.',
				'`tools` are run by the caller: their calls come back as `function_call` output items; send their results as `function_call_output` items with `previous_response_id`. The agent’s own tools run on the server and appear as `mcp_call` items (`server_label: "parley"`) with their results; those that need approval wait with an `mcp_approval_request` item, answered by an `mcp_approval_response` item with `previous_response_id`. `store: false` keeps nothing readable afterwards. `item_reference` items name items of your stored responses.',
				'With `stream: true` the answer is server-sent events, each named by its type, ending with `data: [DONE]`.'
			].join('\n\n'),
			security: keyOrAnonymous,
			requestBody: { content: { 'application/json': { schema: createResponseRequestSchema } } },
			responses: {
				'200': {
					description: 'The response: JSON, or with `stream: true` server-sent events.',
					content: { 'application/json': { schema: responseSchema }, 'text/event-stream': { schema: streamEventSchema } }
				},
				...errorResponses(400, 401, 404, 409, 413, 422, 429)
			}
		}
	},
	'/v1/responses/{response_id}': {
		get: {
			tags,
			summary: 'Retrieve a stored response',
			description: 'Only your own responses; with `stream=true` a running one is replayed as events.',
			security: keyOrAnonymous,
			requestParams: {
				path: z.object({ response_id: responseIdParameter }),
				query: z.object({
					stream: z.enum(['true', 'false']).optional(),
					starting_after: z.string().optional().meta({ description: 'With `stream=true`: only events after this sequence number.' })
				})
			},
			responses: {
				'200': {
					description: 'The response.',
					content: { 'application/json': { schema: responseSchema }, 'text/event-stream': { schema: streamEventSchema } }
				},
				...errorResponses(400, 401, 404)
			}
		},
		delete: {
			tags,
			summary: 'Delete a stored response',
			description: 'Stops it when running; its task goes with the last response of the conversation.',
			security: keyOrAnonymous,
			requestParams: { path: z.object({ response_id: responseIdParameter }) },
			responses: {
				'200': {
					description: 'Deleted.',
					content: {
						'application/json': {
							schema: z.object({ id: z.string(), object: z.literal('response.deleted'), deleted: z.literal(true) })
						}
					}
				},
				...errorResponses(401, 404, 409)
			}
		}
	},
	'/v1/responses/{response_id}/input_items': {
		get: {
			tags,
			summary: 'List the input items of a stored response',
			security: keyOrAnonymous,
			requestParams: {
				path: z.object({ response_id: responseIdParameter }),
				query: z.object({
					limit: z.string().optional().meta({ description: '1 to 100 (default 20).' }),
					order: z.enum(['asc', 'desc']).optional(),
					after: z.string().optional()
				})
			},
			responses: {
				'200': { description: 'The items.', content: { 'application/json': { schema: inputItemListSchema } } },
				...errorResponses(400, 401, 404)
			}
		}
	},
	'/v1/responses/{response_id}/cancel': {
		post: {
			tags,
			summary: 'Cancel a running response',
			description:
				'Stops it; its partial output is kept and its status becomes `cancelled`. A response that has ended comes back as it is.',
			security: keyOrAnonymous,
			requestParams: { path: z.object({ response_id: responseIdParameter }) },
			responses: {
				'200': { description: 'The cancelled response.', content: { 'application/json': { schema: responseSchema } } },
				...errorResponses(401, 404)
			}
		}
	}
};
