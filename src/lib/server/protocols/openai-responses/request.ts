import { z } from 'zod';
import 'zod-openapi';
import { checkHistory, type HistoryLimits } from '../history-limits';
import { anonymousIdField, taskContextField } from '../caller-fields';

/** The most items of `tools` one request may define, as on `/v1/chat/completions`. */
export const MAX_TOOLS = 128;
/** OpenAI's bounds on `metadata`: 16 pairs, keys of 64 characters, values of 512. */
export const MAX_METADATA_PAIRS = 16;
const MAX_METADATA_KEY = 64;
const MAX_METADATA_VALUE = 512;
/** The longest id a caller may send (call ids, item ids, response ids). */
const MAX_ID = 256;

const id = z.string().min(1).max(MAX_ID);

/** Text in an input message. */
const inputText = z.looseObject({ type: z.literal('input_text'), text: z.string() });

/** An image in an input message: a data URL reaches the agent; a web address or an uploaded file id is left out. */
const inputImage = z.looseObject({
	type: z.literal('input_image'),
	image_url: z.string().min(1).nullish(),
	file_id: z.string().max(MAX_ID).nullish(),
	detail: z.enum(['auto', 'low', 'high']).nullish()
});

/** A file in an input message: `file_data` (a data URL or bare base64) reaches the agent. */
const inputFile = z.looseObject({
	type: z.literal('input_file'),
	file_data: z.string().nullish(),
	file_id: z.string().max(MAX_ID).nullish(),
	file_url: z.string().nullish(),
	filename: z.string().max(255).nullish()
});

/** Text the model wrote, in an assistant message of the history. */
const outputText = z.looseObject({ type: z.literal('output_text'), text: z.string() });

/** A refusal the model wrote, in an assistant message of the history. */
const refusal = z.looseObject({ type: z.literal('refusal'), refusal: z.string() });

/** Content given as text: one part of the given type (as `input_items` lists it). */
function textAsPart(type: 'input_text' | 'output_text') {
	return (value: unknown) => (typeof value === 'string' ? [{ type, text: value }] : value);
}

/** Content of a message from the caller's side: text, or text, image and file parts. */
const inputContent = z.preprocess(
	textAsPart('input_text'),
	z
		.array(
			z.discriminatedUnion('type', [inputText, inputImage, inputFile], {
				error: 'A content part has the type "input_text", "input_image" or "input_file".'
			})
		)
		.min(1, { message: 'The message is empty.' })
);

/** A content part from the caller's side, validated. */
export type ResponsesContentPart = z.infer<typeof inputText> | z.infer<typeof inputImage> | z.infer<typeof inputFile>;

/** Optional fields every item may carry. */
const itemFields = {
	id: z.string().max(MAX_ID).nullish(),
	status: z.enum(['in_progress', 'completed', 'incomplete']).nullish()
};

/** A message from the caller's side: `user`, `system` or `developer`. */
const callerMessage = z.looseObject({
	type: z.literal('message'),
	role: z.enum(['user', 'system', 'developer']),
	content: inputContent,
	...itemFields
});

/** An earlier answer of the model, sent back as history. */
const assistantMessage = z.looseObject({
	type: z.literal('message'),
	role: z.literal('assistant'),
	content: z.preprocess(
		textAsPart('output_text'),
		z.array(
			z.discriminatedUnion('type', [outputText, refusal, inputText], {
				error: 'A content part of an assistant message has the type "output_text" or "refusal".'
			})
		)
	),
	...itemFields
});

/** A call the model made to one of the caller's tools. */
const functionCall = z.looseObject({
	type: z.literal('function_call'),
	call_id: id,
	name: z.string().min(1).max(128),
	arguments: z.string(),
	...itemFields
});

/** The caller's result of a call of one of its tools. */
const functionCallOutput = z.looseObject({
	type: z.literal('function_call_output'),
	call_id: id,
	output: z.union([
		z.string(),
		z.array(
			z.discriminatedUnion('type', [inputText, inputImage, inputFile], {
				error: 'A part of an output has the type "input_text", "input_image" or "input_file".'
			})
		)
	]),
	...itemFields
});

/** The model's reasoning, sent back as history: its summary is kept, encrypted content is not. */
const reasoning = z.looseObject({
	type: z.literal('reasoning'),
	id: z.string().max(MAX_ID).nullish(),
	summary: z.array(z.looseObject({ type: z.literal('summary_text'), text: z.string() })).default([]),
	encrypted_content: z.string().nullish()
});

/** An earlier item by its id (clients that rely on stored responses send these). */
const itemReference = z.looseObject({ type: z.literal('item_reference'), id });

/** The caller's answer to an approval request of one of the agent's tools. */
const approvalResponse = z.looseObject({
	type: z.literal('mcp_approval_response'),
	approval_request_id: id,
	approve: z.boolean(),
	reason: z.string().max(10_000).nullish(),
	id: z.string().max(MAX_ID).nullish()
});

/** An item of `input` with its `type`; a message's `type` may be left out, as OpenAI allows. */
const inputItem = z.preprocess(
	(value) =>
		typeof value === 'object' && value !== null && !Array.isArray(value) && !('type' in value) && 'role' in value
			? { ...value, type: 'message' }
			: value,
	z.discriminatedUnion(
		'type',
		[
			z.discriminatedUnion('role', [callerMessage, assistantMessage], {
				error: 'A message has the role "user", "assistant", "system" or "developer".'
			}),
			functionCall,
			functionCallOutput,
			reasoning,
			itemReference,
			approvalResponse
		],
		{
			error:
				'An input item is a message or has the type "function_call", "function_call_output", "reasoning", "item_reference" or "mcp_approval_response".'
		}
	)
);

/** One item of `input`, validated. */
export type ResponsesInputItem = z.infer<typeof inputItem>;
/** A message item of `input`, validated. */
export type ResponsesInputMessage = z.infer<typeof callerMessage> | z.infer<typeof assistantMessage>;

/** A function tool the caller defines and runs. */
const functionTool = z.looseObject({
	type: z.literal('function', { error: 'Only tools of type "function" are supported: the agent’s own tools run on the server.' }),
	name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'A tool name is 1–64 letters, digits, "_" or "-".' }),
	description: z.string().max(10_000).nullish(),
	parameters: z.record(z.string(), z.unknown()).nullish(),
	strict: z.boolean().nullish()
});

/** A function tool of the request, validated. */
export type ResponsesFunctionToolParam = z.infer<typeof functionTool>;

/** Which tools the model may call: `auto`, `none`, `required`, or one named function. */
const toolChoice = z.union([
	z.enum(['auto', 'none', 'required']),
	z.object({ type: z.literal('function'), name: z.string().min(1).max(64) })
]);

/** `tool_choice`, validated. */
export type ResponsesToolChoiceParam = z.infer<typeof toolChoice>;

/** The form of the answer's text: plain text, any JSON object, or JSON matching a schema. */
const textFormat = z.discriminatedUnion(
	'type',
	[
		z.looseObject({ type: z.literal('text') }),
		z.looseObject({ type: z.literal('json_object') }),
		z.looseObject({
			type: z.literal('json_schema'),
			name: z.string().min(1).max(64),
			schema: z.record(z.string(), z.unknown()),
			description: z.string().max(10_000).nullish(),
			strict: z.boolean().nullish()
		})
	],
	{ error: 'A text format has the type "text", "json_object" or "json_schema".' }
);

/** `text.format`, validated. */
export type ResponsesTextFormat = z.infer<typeof textFormat>;

/**
 * The body of `POST /v1/responses`. Other parameters of OpenAI's API (`include`, `reasoning`,
 * `truncation`, `user`, `service_tier`, `prompt_cache_key`, `top_logprobs`, …) are
 * accepted and ignored: the agent's own settings apply.
 */
export const createResponseRequestSchema = z
	.looseObject({
		model: z.string().min(1).max(128).meta({ description: 'The agent: its slug (or integer id).', example: 'assistant' }),
		input: z
			// A text input is one user message (as `input_items` lists it); one schema keeps errors precise.
			.preprocess(
				(value) => (typeof value === 'string' ? [{ type: 'message', role: 'user', content: value }] : value),
				z.array(inputItem).min(1, { message: 'At least one input item is required.' })
			)
			.meta({
				description:
					'A user message as text, or items: messages (`user`, `assistant`, `system`, `developer`), `function_call`, `function_call_output`, `reasoning`, `item_reference` and `mcp_approval_response`. At most `HISTORY_MESSAGE_LIMIT` items (1000) and `HISTORY_TEXT_LIMIT` characters of text (1 MB) with the instructions, else 413.'
			}),
		instructions: z
			.string()
			.nullish()
			.meta({ description: 'Added to the agent’s system prompt, as a system message is on `/v1/chat/completions`.' }),
		tools: z
			.array(functionTool)
			.max(MAX_TOOLS)
			.nullish()
			.meta({ description: 'Tools the caller runs: their calls come back as `function_call` output items.' }),
		tool_choice: toolChoice.nullish(),
		text: z
			.looseObject({ format: textFormat.nullish() })
			.nullish()
			.meta({ description: 'The answer’s form: `{"format": {"type": "json_schema", "name", "schema"}}` asks for JSON.' }),
		parallel_tool_calls: z.boolean().nullish(),
		max_output_tokens: z.number().int().min(1).nullish(),
		temperature: z.number().min(0).max(2).nullish(),
		top_p: z.number().min(0).max(1).nullish(),
		metadata: z
			.record(z.string().max(MAX_METADATA_KEY), z.string().max(MAX_METADATA_VALUE))
			.refine((metadata) => Object.keys(metadata).length <= MAX_METADATA_PAIRS, {
				message: `At most ${MAX_METADATA_PAIRS} metadata pairs are accepted.`
			})
			.nullish()
			.meta({ description: 'Up to 16 pairs of strings (keys up to 64 characters, values up to 512), echoed on the response.' }),
		store: z.boolean().nullish().meta({ description: 'Keep the response to read, continue and list later (default `true`).' }),
		stream: z.boolean().nullish(),
		previous_response_id: id.nullish().meta({ description: 'A stored response of yours to continue.' }),
		background: z
			.literal(false, { error: 'Background responses are not supported: send `stream: true` or wait for the answer.' })
			.nullish(),
		context: taskContextField,
		anonymous_id: anonymousIdField
	})
	.meta({ id: 'CreateResponseRequest' });

/** A validated `POST /v1/responses` body. */
export type CreateResponseRequest = z.infer<typeof createResponseRequestSchema>;

/**
 * Refuses `input` (with `instructions`) over the history limits with 413 naming `input`: as many
 * messages as it has items, its text counted at any depth.
 */
export function checkResponsesInput(body: Pick<CreateResponseRequest, 'input' | 'instructions'>, limits: HistoryLimits): void {
	const items: readonly unknown[] = body.input;
	checkHistory(items, limits, 'input');
	// The instructions count towards the text, not the items.
	if (body.instructions) checkHistory([body.instructions, items], limits, 'input');
}
