/**
 * The Open Responses compliance suite's checks (the specification's `compliance-tests`: its
 * templates' requests, its response and streaming-event schemas as its generated zod checks them,
 * its SSE parser and its validators), reproduced for Parley's tests: the unit test runs them on
 * the face's pure parts, the API test on the built server.
 */
import { z } from 'zod';

export const MODEL = 'assistant';

// --- The specification's schemas (ResponseResource and its items), as its generated zod checks them.

const outputText = z.object({
	type: z.literal('output_text'),
	text: z.string(),
	annotations: z.array(z.unknown()),
	logprobs: z.array(z.unknown())
});
const summaryText = z.object({ type: z.literal('summary_text'), text: z.string() });
const itemField = z.union([
	z.object({
		type: z.literal('message'),
		id: z.string(),
		status: z.enum(['in_progress', 'completed', 'incomplete']),
		role: z.enum(['user', 'assistant', 'system', 'developer']),
		content: z.array(outputText)
	}),
	z.object({
		type: z.literal('function_call'),
		id: z.string(),
		call_id: z.string(),
		name: z.string(),
		arguments: z.string(),
		status: z.enum(['in_progress', 'completed', 'incomplete'])
	}),
	z.object({
		type: z.literal('function_call_output'),
		id: z.string(),
		call_id: z.string(),
		output: z.union([z.string(), z.array(z.unknown())]),
		status: z.enum(['in_progress', 'completed', 'incomplete'])
	}),
	z.object({ type: z.literal('reasoning'), id: z.string(), summary: z.array(summaryText) })
]);
const usage = z.object({
	input_tokens: z.number().int(),
	output_tokens: z.number().int(),
	total_tokens: z.number().int(),
	input_tokens_details: z.object({ cached_tokens: z.number().int() }),
	output_tokens_details: z.object({ reasoning_tokens: z.number().int() })
});
export const responseResource = z.object({
	id: z.string(),
	object: z.literal('response'),
	created_at: z.number().int(),
	completed_at: z.number().int().nullable(),
	status: z.string(),
	incomplete_details: z.object({ reason: z.string() }).nullable(),
	model: z.string(),
	previous_response_id: z.string().nullable(),
	instructions: z.string().nullable(),
	output: z.array(itemField),
	error: z.object({ code: z.string(), message: z.string() }).nullable(),
	tools: z.array(z.object({ type: z.literal('function'), name: z.string() })),
	tool_choice: z.union([z.enum(['none', 'auto', 'required']), z.object({ type: z.literal('function'), name: z.string() })]),
	truncation: z.enum(['auto', 'disabled']),
	parallel_tool_calls: z.boolean(),
	text: z.object({ format: z.object({ type: z.string() }) }),
	top_p: z.number(),
	presence_penalty: z.number(),
	frequency_penalty: z.number(),
	top_logprobs: z.number().int(),
	temperature: z.number(),
	reasoning: z.object({}).loose().nullable(),
	user: z.string().nullable(),
	usage: usage.nullable(),
	max_output_tokens: z.number().int().nullable(),
	max_tool_calls: z.number().int().nullable(),
	store: z.boolean(),
	background: z.boolean(),
	service_tier: z.string(),
	metadata: z.unknown(),
	safety_identifier: z.string().nullable(),
	prompt_cache_key: z.string().nullable()
});

// --- The specification's streaming event schemas, for the events a run produces.

const numbered = { sequence_number: z.number().int() };
const itemAddress = { item_id: z.string(), output_index: z.number().int() };
const contentAddress = { ...itemAddress, content_index: z.number().int() };
const summaryAddress = { ...itemAddress, summary_index: z.number().int() };
const lifecycle = (type: string) => z.object({ type: z.literal(type), ...numbered, response: responseResource });
export const streamingEvent = z.union([
	lifecycle('response.created'),
	lifecycle('response.in_progress'),
	lifecycle('response.completed'),
	lifecycle('response.failed'),
	lifecycle('response.incomplete'),
	z.object({ type: z.literal('response.output_item.added'), ...numbered, output_index: z.number().int(), item: itemField.nullable() }),
	z.object({ type: z.literal('response.output_item.done'), ...numbered, output_index: z.number().int(), item: itemField.nullable() }),
	z.object({ type: z.literal('response.content_part.added'), ...numbered, ...contentAddress, part: outputText }),
	z.object({ type: z.literal('response.content_part.done'), ...numbered, ...contentAddress, part: outputText }),
	z.object({
		type: z.literal('response.output_text.delta'),
		...numbered,
		...contentAddress,
		delta: z.string(),
		logprobs: z.array(z.unknown())
	}),
	z.object({ type: z.literal('response.output_text.done'), ...numbered, ...contentAddress, text: z.string() }),
	z.object({ type: z.literal('response.reasoning_summary_part.added'), ...numbered, ...summaryAddress, part: summaryText }),
	z.object({ type: z.literal('response.reasoning_summary_part.done'), ...numbered, ...summaryAddress, part: summaryText }),
	z.object({ type: z.literal('response.reasoning_summary_text.delta'), ...numbered, ...summaryAddress, delta: z.string() }),
	z.object({ type: z.literal('response.reasoning_summary_text.done'), ...numbered, ...summaryAddress, text: z.string() }),
	z.object({ type: z.literal('response.function_call_arguments.delta'), ...numbered, ...itemAddress, delta: z.string() }),
	z.object({ type: z.literal('response.function_call_arguments.done'), ...numbered, ...itemAddress, arguments: z.string() })
]);

// --- The specification's SSE parser: `event:` and `data:` lines, `[DONE]` skipped, the last
// lifecycle event's response as the final response.

export interface SseParseResult {
	events: { event: string; data: { type?: string; response?: unknown } }[];
	errors: string[];
	finalResponse: unknown;
}

export async function parseSseStream(response: Response): Promise<SseParseResult> {
	const result: SseParseResult = { events: [], errors: [], finalResponse: null };
	let sawDone = false;
	for (const block of (await response.text()).split('\n\n')) {
		if (block === '') continue;
		const lines = block.split('\n');
		const event =
			lines
				.find((line) => line.startsWith('event:'))
				?.slice(6)
				.trim() ?? '';
		const data =
			lines
				.find((line) => line.startsWith('data:'))
				?.slice(5)
				.trim() ?? '';
		if (data === '[DONE]') {
			sawDone = true;
			continue;
		}
		const parsed = JSON.parse(data);
		result.events.push({ event: event || parsed.type, data: parsed });
		const validation = streamingEvent.safeParse(parsed);
		if (!validation.success) result.errors.push(`Event validation failed for ${parsed.type}: ${validation.error.message}`);
		if (event !== parsed.type) result.errors.push(`The SSE event "${event}" is not the data's type "${parsed.type}"`);
		if (['response.completed', 'response.failed', 'response.incomplete'].includes(parsed.type)) result.finalResponse = parsed.response;
	}
	if (!sawDone) result.errors.push('The stream did not end with data: [DONE]');
	const numbers = result.events.map((event) => (event.data as { sequence_number?: number }).sequence_number);
	if (numbers.some((number, index) => index > 0 && (number ?? 0) <= (numbers[index - 1] ?? 0))) {
		result.errors.push('sequence_number does not increase strictly');
	}
	return result;
}

// --- The suite's validators.

export type ResponseResource = z.infer<typeof responseResource>;
export const hasOutput = (response: ResponseResource) => (response.output.length === 0 ? ['Response has no output items'] : []);
export const hasOutputType = (type: string) => (response: ResponseResource) =>
	response.output.some((item) => item.type === type) ? [] : [`Expected output item of type "${type}" but none found`];
export const completedStatus = (response: ResponseResource) =>
	response.status === 'completed' ? [] : [`Expected status "completed" but got "${response.status}"`];

// --- The templates' requests and checks.

const weatherTool = {
	type: 'function',
	name: 'get_weather',
	description: 'Get the current weather for a location',
	parameters: {
		type: 'object',
		properties: { location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' } },
		required: ['location']
	}
};
const heart =
	'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAACAAAAAgCAIAAAD8GO2jAAABmklEQVR42tyWAaTyUBzFew/eG4AHz+MBSAHKBiJRGFKwIgQQJKLUIioBIhCAiCAAEizAQIAECaASqFFJq84nudjnaqvuPnxzgP9xfrq5938csPn7PwHTKSoViCIEAYEAMhmoKsU2mUCWEQqB5xEMIp/HaGQG2G6RSuH9HQ7H34rFrtPbdz4jl6PbwmEsl3QA1mt4vcRKk8dz9eg6IpF7tt9fzGY0gCgafFRFo5Blc5vLhf3eCOj1yNhM5GRMVK0aATxPZoz09YXjkQDmczJgquGQAPp9WwCNBgG027YACgUC6HRsAZRKBDAY2AJoNv/ZnwzA6WScznG3p4UAymXGAEkyXrTFAh8fLAGqagQAyGaZpYsi7bHTNPz8MEj//LxuFPo+UBS8vb0KaLXubrRa7aX0RMLCykwmn0z3+XA4WACcTpCkh9MFAZpmuVXo+mO/w+/HZvNgbblcUCxaSo/Hyck80Yu6XXDcvfVZr79cvMZjuN2U9O9vKAqjZrfbIZ0mV4TUi9Xqz6jddNy//7+e3n8Fhf/Llo2kxi8AQyGRoDkmAhAAAAAASUVORK5CYII=';

/** One template of the suite: its request, and the checks of its answer. */
export interface ComplianceTemplate {
	id: string;
	request: Record<string, unknown>;
	streaming?: boolean;
	validators: ((response: ResponseResource) => string[])[];
	streamChecks?: (result: SseParseResult) => string[];
}

/** The suite's templates (tool calling also streamed). */
export const COMPLIANCE_TEMPLATES: ComplianceTemplate[] = [
	{
		id: 'basic-response',
		request: { model: MODEL, input: [{ type: 'message', role: 'user', content: 'Say hello in exactly 3 words.' }] },
		validators: [hasOutput, completedStatus]
	},
	{
		id: 'streaming-response',
		streaming: true,
		request: { model: MODEL, input: [{ type: 'message', role: 'user', content: 'Count from 1 to 5.' }] },
		validators: [completedStatus],
		streamChecks: (result) => (result.events.length === 0 ? ['No streaming events received'] : [])
	},
	{
		id: 'system-prompt',
		request: {
			model: MODEL,
			input: [
				{ type: 'message', role: 'system', content: 'You are a pirate. Always respond in pirate speak.' },
				{ type: 'message', role: 'user', content: 'Say hello.' }
			]
		},
		validators: [hasOutput, completedStatus]
	},
	{
		id: 'tool-calling',
		request: {
			model: MODEL,
			input: [{ type: 'message', role: 'user', content: "What's the weather like in San Francisco?" }],
			tools: [weatherTool]
		},
		validators: [hasOutput, hasOutputType('function_call')]
	},
	{
		id: 'tool-calling-streaming',
		streaming: true,
		request: {
			model: MODEL,
			input: [{ type: 'message', role: 'user', content: "What's the weather like in San Francisco?" }],
			tools: [weatherTool]
		},
		validators: [],
		streamChecks: (result) => {
			const errors: string[] = [];
			const types = result.events.map((event) => event.data.type);
			const withItem = (type: string) =>
				result.events.some(
					(event) => event.data.type === type && (event.data as { item?: { type?: string } }).item?.type === 'function_call'
				);
			if (!withItem('response.output_item.added')) errors.push('Missing response.output_item.added event with function_call item');
			if (!types.includes('response.function_call_arguments.delta')) errors.push('Missing response.function_call_arguments.delta event');
			if (!types.includes('response.function_call_arguments.done')) errors.push('Missing response.function_call_arguments.done event');
			if (!withItem('response.output_item.done')) errors.push('Missing response.output_item.done event with function_call item');
			return errors;
		}
	},
	{
		id: 'image-input',
		request: {
			model: MODEL,
			input: [
				{
					type: 'message',
					role: 'user',
					content: [
						{ type: 'input_text', text: 'What do you see in this image? Answer in one sentence.' },
						{ type: 'input_image', image_url: heart }
					]
				}
			]
		},
		validators: [hasOutput, completedStatus]
	},
	{
		id: 'multi-turn',
		request: {
			model: MODEL,
			input: [
				{ type: 'message', role: 'user', content: 'My name is Alice.' },
				{ type: 'message', role: 'assistant', content: 'Hello Alice! Nice to meet you. How can I help you today?' },
				{ type: 'message', role: 'user', content: 'What is my name?' }
			]
		},
		validators: [hasOutput, completedStatus]
	}
];

/** What a template's answer breaks of the suite's checks: the response schema, its validators, the stream's checks. */
export function complianceErrors(template: ComplianceTemplate, response: unknown, stream?: SseParseResult): string[] {
	const errors = [...(stream?.errors ?? []), ...(stream ? (template.streamChecks?.(stream) ?? []) : [])];
	const parsed = responseResource.safeParse(response);
	if (!parsed.success) return [...errors, ...parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)];
	return [...errors, ...template.validators.flatMap((validate) => validate(parsed.data))];
}
