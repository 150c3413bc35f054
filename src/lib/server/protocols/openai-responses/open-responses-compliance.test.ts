/**
 * The checks of the Open Responses compliance suite (the specification's `compliance-tests`
 * templates, its SSE parser and its response and event schemas), reproduced for the pure parts
 * of the face: each template's request must pass our request schema and normalise, and a run
 * answering it must stream events and a final response that pass the suite's schemas and
 * validators. What needs the wired route (HTTP status, authentication, a live model's answer)
 * is left to the API tests.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { RunEvent } from '../../runtime/events';
import { createResponseRequestSchema } from './request';
import { toRequestEcho, type OpenResponsesContext } from './response-object';
import { openResponsesStreamResponse } from './to-openai-responses-chunk';
import { toInputMessages } from './to-input-messages';
import { toResponseObject } from './response-object';

const MODEL = 'assistant';

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
const responseResource = z.object({
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
const streamingEvent = z.union([
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

interface SseParseResult {
	events: { event: string; data: { type?: string; response?: unknown } }[];
	errors: string[];
	finalResponse: unknown;
}

async function parseSseStream(response: Response): Promise<SseParseResult> {
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

type ResponseResource = z.infer<typeof responseResource>;
const hasOutput = (response: ResponseResource) => (response.output.length === 0 ? ['Response has no output items'] : []);
const hasOutputType = (type: string) => (response: ResponseResource) =>
	response.output.some((item) => item.type === type) ? [] : [`Expected output item of type "${type}" but none found`];
const completedStatus = (response: ResponseResource) =>
	response.status === 'completed' ? [] : [`Expected status "completed" but got "${response.status}"`];

// --- Runs as the agent answers each template (an offline model's events).

const runStart: RunEvent = { type: 'run-start', taskId: 'task-1', messageId: 'm-1', model: 'mock:offline' };
const runUsage = { inputTokens: 12, outputTokens: 5 };
function textRun(...deltas: string[]): RunEvent[] {
	return [
		runStart,
		{ type: 'step-start' },
		{ type: 'text-start', id: 't' },
		...deltas.map((delta): RunEvent => ({ type: 'text-delta', id: 't', delta })),
		{ type: 'text-end', id: 't' },
		{ type: 'step-end', usage: runUsage },
		{ type: 'run-end', reason: 'completed', usage: runUsage }
	];
}
const weatherRun: RunEvent[] = [
	runStart,
	{ type: 'step-start' },
	{ type: 'tool-call-start', toolCallId: 'call_1', toolName: 'get_weather' },
	{ type: 'tool-call-delta', toolCallId: 'call_1', inputTextDelta: '{"location":' },
	{ type: 'tool-call-delta', toolCallId: 'call_1', inputTextDelta: '"San Francisco, CA"}' },
	{
		type: 'tool-call-ready',
		toolCallId: 'call_1',
		toolName: 'get_weather',
		input: { location: 'San Francisco, CA' },
		clientExecuted: true
	},
	{ type: 'step-end', usage: runUsage },
	{ type: 'input-required', toolCalls: [{ toolCallId: 'call_1', toolName: 'get_weather', input: { location: 'San Francisco, CA' } }] },
	{ type: 'run-end', reason: 'awaiting-input', usage: runUsage }
];

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

interface Template {
	id: string;
	request: Record<string, unknown>;
	streaming?: boolean;
	run: RunEvent[];
	validators: ((response: ResponseResource) => string[])[];
	streamChecks?: (result: SseParseResult) => string[];
}

const templates: Template[] = [
	{
		id: 'basic-response',
		request: { model: MODEL, input: [{ type: 'message', role: 'user', content: 'Say hello in exactly 3 words.' }] },
		run: textRun('Hello there, friend.'),
		validators: [hasOutput, completedStatus]
	},
	{
		id: 'streaming-response',
		streaming: true,
		request: { model: MODEL, input: [{ type: 'message', role: 'user', content: 'Count from 1 to 5.' }] },
		run: textRun('1, ', '2, ', '3, ', '4, ', '5'),
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
		run: textRun('Ahoy!'),
		validators: [hasOutput, completedStatus]
	},
	{
		id: 'tool-calling',
		request: {
			model: MODEL,
			input: [{ type: 'message', role: 'user', content: "What's the weather like in San Francisco?" }],
			tools: [weatherTool]
		},
		run: weatherRun,
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
		run: weatherRun,
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
		run: textRun('A red heart.'),
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
		run: textRun('Your name is Alice.'),
		validators: [hasOutput, completedStatus]
	}
];

/** The events of a run, as a stream. */
function streamOf(run: RunEvent[]): ReadableStream<RunEvent> {
	return new ReadableStream({
		start(controller) {
			for (const event of run) controller.enqueue(event);
			controller.close();
		}
	});
}

describe('the Open Responses compliance templates', () => {
	it.each(templates)('$id: the request is accepted and the answer passes the suite’s checks', async (template) => {
		const body = createResponseRequestSchema.parse({ ...template.request, stream: template.streaming ?? false });
		const normalized = toInputMessages(body.input);
		expect(normalized.entries.length).toBeGreaterThan(0);
		const context: OpenResponsesContext = { id: `resp_${template.id}`, request: toRequestEcho(body) };

		let response: unknown;
		const errors: string[] = [];
		if (template.streaming) {
			const result = await parseSseStream(openResponsesStreamResponse(streamOf(template.run), context));
			errors.push(...result.errors, ...(template.streamChecks?.(result) ?? []));
			response = result.finalResponse;
		} else {
			// The JSON answer goes through the wire as JSON.
			response = JSON.parse(JSON.stringify(await toResponseObject(streamOf(template.run), context)));
		}
		const parsed = responseResource.safeParse(response);
		expect(parsed.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`) ?? []).toStrictEqual([]);
		if (parsed.success) errors.push(...template.validators.flatMap((validate) => validate(parsed.data)));
		expect(errors).toStrictEqual([]);
	});

	it('image-input: the image reaches the agent as a file part', () => {
		const template = templates.find((candidate) => candidate.id === 'image-input');
		const body = createResponseRequestSchema.parse(template?.request);
		const [entry] = toInputMessages(body.input).entries;
		expect(entry).toMatchObject({
			kind: 'message',
			message: { role: 'user', parts: [{ type: 'text' }, { type: 'file', mediaType: 'image/png' }] }
		});
	});

	it('the schemas catch a response that misses a required field (the checks are not vacuous)', async () => {
		const body = createResponseRequestSchema.parse(templates[0].request);
		const response = await toResponseObject(streamOf(textRun('Hi')), { id: 'resp_x', request: toRequestEcho(body) });
		const { completed_at: _completedAt, ...missing } = response;
		expect(responseResource.safeParse(missing).success).toBe(false);
		expect(streamingEvent.safeParse({ type: 'response.output_text.delta', sequence_number: 1, delta: 'x' }).success).toBe(false);
	});
});
