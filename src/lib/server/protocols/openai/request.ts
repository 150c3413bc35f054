import { z } from 'zod';
import 'zod-openapi';
import { anonymousIdField, taskContextField } from '../caller-fields';

/** A text part of a message's content. */
const textPart = z.object({ type: z.literal('text'), text: z.string() });

/** An image in a user message: a data URL is passed on as a file, a web address is left out. */
const imagePart = z.object({
	type: z.literal('image_url'),
	image_url: z.object({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() })
});

/** Audio in a user message, base64-encoded. */
const audioPart = z.object({
	type: z.literal('input_audio'),
	input_audio: z.object({ data: z.string().min(1), format: z.enum(['wav', 'mp3']) })
});

/** A file in a user message: `file_data` as a data URL is passed on; an uploaded `file_id` is left out. */
const filePart = z.object({
	type: z.literal('file'),
	file: z.object({
		file_data: z.string().optional(),
		file_id: z.string().optional(),
		filename: z.string().max(255).optional()
	})
});

/** A refusal in an assistant message. */
const refusalPart = z.object({ type: z.literal('refusal'), refusal: z.string() });

/** Content that may only hold text: a string or text parts. */
const textContent = z.union([z.string(), z.array(textPart)]);

/** A tool call an assistant message made. */
const assistantToolCall = z.object({
	id: z.string().min(1).max(256),
	type: z.literal('function'),
	function: z.object({ name: z.string().min(1).max(128), arguments: z.string() })
});

/** The messages OpenAI clients send, by role; other fields (`name`, …) are accepted and ignored. */
const systemMessage = z.looseObject({ role: z.literal('system'), content: textContent });
const developerMessage = z.looseObject({ role: z.literal('developer'), content: textContent });
const userMessage = z.looseObject({
	role: z.literal('user'),
	content: z.union([
		z.string(),
		z.array(z.discriminatedUnion('type', [textPart, imagePart, audioPart, filePart])).min(1, { message: 'The message is empty.' })
	])
});
const assistantMessage = z.looseObject({
	role: z.literal('assistant'),
	content: z.union([z.string(), z.array(z.discriminatedUnion('type', [textPart, refusalPart]))]).nullish(),
	refusal: z.string().nullish(),
	tool_calls: z.array(assistantToolCall).nullish()
});
const toolMessage = z.looseObject({
	role: z.literal('tool'),
	tool_call_id: z.string().min(1).max(256),
	content: textContent
});

/** One message of the history a caller sends. */
export const openAIMessageSchema = z.discriminatedUnion('role', [
	systemMessage,
	developerMessage,
	userMessage,
	assistantMessage,
	toolMessage
]);

/** One message of a caller's history, validated. */
export type OpenAIMessage = z.infer<typeof openAIMessageSchema>;
/** The content of a user message: a string, or text, image, audio and file parts. */
export type OpenAIUserContent = z.infer<typeof userMessage>['content'];
/** An assistant message of a caller's history, with its tool calls. */
export type OpenAIAssistantMessage = z.infer<typeof assistantMessage>;

/** A tool the caller defines; the model may call it and the caller runs it. */
export const openAIToolSchema = z.object({
	type: z.literal('function'),
	function: z.object({
		name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'A tool name is 1–64 letters, digits, "_" or "-".' }),
		description: z.string().max(10_000).optional(),
		parameters: z.record(z.string(), z.unknown()).optional(),
		strict: z.boolean().nullish()
	})
});

/** A tool the caller defines, validated. */
export type OpenAITool = z.infer<typeof openAIToolSchema>;

/** Whether and which tool the model must call: `none`, `auto`, `required` or one named function. */
export const toolChoiceSchema = z
	.union([
		z.enum(['none', 'auto', 'required']),
		z.object({ type: z.literal('function'), function: z.object({ name: z.string().min(1).max(128) }) })
	])
	.meta({
		description:
			'`none` (no tool is called), `auto` (the default), `required` (the first model call must call a tool; after its result the model answers) or `{"type": "function", "function": {"name": …}}` for one of the agent’s or your tools, else 400 naming `tool_choice`.'
	});

/** The form of the answer: text, any JSON object, or JSON matching a schema. */
export const responseFormatSchema = z
	.discriminatedUnion('type', [
		z.object({ type: z.literal('text') }),
		z.object({ type: z.literal('json_object') }),
		z.object({
			type: z.literal('json_schema'),
			json_schema: z.object({
				name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'A schema name is 1–64 letters, digits, "_" or "-".' }),
				description: z.string().max(10_000).optional(),
				schema: z.record(z.string(), z.unknown()).optional(),
				strict: z.boolean().nullish()
			})
		})
	])
	.meta({
		description:
			'`text` (the default), `json_object` (the answer is a JSON object) or `json_schema` (the answer is JSON matching `json_schema.schema`, through the model’s structured output). The JSON still streams as `content` deltas.'
	});

/** An output limit in tokens. */
const tokenLimit = z.number().int().min(1).max(1_000_000);

/**
 * The body of `POST /v1/chat/completions`. `tool_choice`, `response_format`, `max_tokens` /
 * `max_completion_tokens` and `temperature` tune this answer on top of the agent's settings;
 * other parameters that tune the model (`top_p`, `seed`, …) are accepted and ignored.
 */
export const chatCompletionRequestSchema = z
	.looseObject({
		model: z.string().min(1).max(128).meta({ description: 'The agent: its slug (or integer id).', example: 'assistant' }),
		messages: z.array(openAIMessageSchema).min(1, { message: 'At least one message is required.' }).meta({
			description:
				'The whole history, as OpenAI clients send it; at most `HISTORY_MESSAGE_LIMIT` messages (1000) and `HISTORY_TEXT_LIMIT` characters of text (1 MB), else 413.'
		}),
		stream: z.boolean().nullish(),
		stream_options: z.looseObject({ include_usage: z.boolean().optional() }).nullish(),
		tools: z
			.array(openAIToolSchema)
			.max(128)
			.nullish()
			.meta({ description: 'Tools the caller runs: calls come back as `tool_calls` with `finish_reason: "tool_calls"`.' }),
		tool_choice: toolChoiceSchema.nullish(),
		response_format: responseFormatSchema.nullish(),
		max_tokens: tokenLimit.nullish().meta({
			description: 'At most this many tokens per model call (the agent’s lower limit wins); `finish_reason: "length"` when reached.'
		}),
		max_completion_tokens: tokenLimit.nullish().meta({ description: 'As `max_tokens`, which it replaces when both are sent.' }),
		temperature: z
			.number()
			.min(0)
			.max(2)
			.nullish()
			.meta({ description: 'Replaces the agent’s temperature for this answer (left unset for models whose reasoning refuses one).' }),
		n: z.number().int().min(1).max(1, { message: 'Only one choice (n = 1) is supported.' }).nullish(),
		metadata: z
			.looseObject({
				task_id: z
					.union([z.string().min(1).max(128), z.number().int()])
					.optional()
					.meta({ description: 'A task of yours to append to: only the messages it does not hold yet are added.' })
			})
			.nullish(),
		context: taskContextField,
		anonymous_id: anonymousIdField
	})
	.meta({ id: 'ChatCompletionRequest' });

/** A validated `POST /v1/chat/completions` body. */
export type ChatCompletionRequest = z.infer<typeof chatCompletionRequestSchema>;
