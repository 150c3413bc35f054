import { ResponseStream } from 'openai/lib/responses/ResponseStream';
import type { Response as SdkResponse, ResponseStreamEvent as SdkStreamEvent, ResponseUsage } from 'openai/resources/responses/responses';
import { describe, expect, it } from 'vitest';
import type { RunEvent } from '../../runtime/events';
import { createResponseRequestSchema } from './request';
import {
	OpenResponsesBuilder,
	toRequestEcho,
	toResponseObject,
	type OpenResponsesContext,
	type OpenResponsesResponse,
	type OpenResponsesStreamEvent
} from './response-object';
import { openResponsesStreamResponse } from './to-openai-responses-chunk';

/**
 * The SDK's response type as the wire carries it: `output_text` is the SDK's own convenience (it
 * adds it), and the specification's `usage: null` and `user: null` read as the SDK's absent ones.
 */
type WireResponse = Omit<SdkResponse, 'output_text' | 'usage' | 'user'> & { usage?: ResponseUsage | null; user?: string | null };
type WireEvent<E> = E extends { response: SdkResponse } ? Omit<E, 'response'> & { response: WireResponse } : E;

/** Compiles only while every event of the face is one of the SDK's stream events (`npm run check`). */
function asSdkEvent(event: OpenResponsesStreamEvent): WireEvent<SdkStreamEvent> {
	return event;
}

/** Compiles only while the face's response object is the SDK's response. */
function asSdkResponse(response: OpenResponsesResponse): WireResponse {
	return response;
}

const NOW = 1_700_000_000_000;

/** A context with predictable ids and a fixed clock, echoing the given body. */
function contextFor(body: Record<string, unknown> = {}): OpenResponsesContext {
	let next = 0;
	return {
		id: 'resp_test',
		request: toRequestEcho(createResponseRequestSchema.parse({ model: 'assistant', input: 'Hi', ...body })),
		makeId: (prefix) => `${prefix}_${++next}`,
		now: () => NOW
	};
}

const usage = { inputTokens: 10, outputTokens: 4 };
const runStart: RunEvent = { type: 'run-start', taskId: 'task-1', messageId: 'm-1', model: 'mock:offline' };
const textRun: RunEvent[] = [
	runStart,
	{ type: 'step-start' },
	{ type: 'reasoning-start', id: 'r' },
	{ type: 'reasoning-delta', id: 'r', delta: 'Think.' },
	{ type: 'reasoning-end', id: 'r' },
	{ type: 'text-start', id: 't' },
	{ type: 'text-delta', id: 't', delta: 'Hello ' },
	{ type: 'text-delta', id: 't', delta: 'there' },
	{ type: 'text-end', id: 't' },
	{ type: 'step-end', usage },
	{ type: 'run-end', reason: 'completed', usage }
];
const clientToolRun: RunEvent[] = [
	runStart,
	{ type: 'step-start' },
	{ type: 'tool-call-start', toolCallId: 'call_1', toolName: 'weather' },
	{ type: 'tool-call-delta', toolCallId: 'call_1', inputTextDelta: '{"city":' },
	{ type: 'tool-call-delta', toolCallId: 'call_1', inputTextDelta: '"Oslo"}' },
	{ type: 'tool-call-ready', toolCallId: 'call_1', toolName: 'weather', input: { city: 'Oslo' }, clientExecuted: true },
	{ type: 'step-end', usage },
	{ type: 'input-required', toolCalls: [{ toolCallId: 'call_1', toolName: 'weather', input: { city: 'Oslo' } }] },
	{ type: 'run-end', reason: 'awaiting-input', usage }
];

/** The events of a run, through the face's builder. */
function eventsOf(run: RunEvent[], context = contextFor()): OpenResponsesStreamEvent[] {
	const builder = new OpenResponsesBuilder(context);
	return [...run.flatMap((event) => builder.push(event)), ...builder.close()];
}

/** A stream of the given run events. */
function streamOf(run: RunEvent[]): ReadableStream<RunEvent> {
	return new ReadableStream({
		start(controller) {
			for (const event of run) controller.enqueue(event);
			controller.close();
		}
	});
}

/** SSE blocks as `[event, data]` pairs. */
function blocksOf(text: string): [string | undefined, string][] {
	return text
		.split('\n\n')
		.filter((block) => block !== '')
		.map((block) => {
			const lines = block.split('\n');
			const event = lines.find((line) => line.startsWith('event: '))?.slice('event: '.length);
			const data = lines
				.filter((line) => line.startsWith('data: '))
				.map((line) => line.slice('data: '.length))
				.join('\n');
			return [event, data];
		});
}

describe('the Responses face’s events', () => {
	it('are the SDK’s stream events, numbered from 0 without a gap, one response from created to completed', () => {
		const events = eventsOf(textRun).map(asSdkEvent);
		expect(events.map((event) => event.sequence_number)).toStrictEqual(events.map((_event, index) => index));
		expect(events.map((event) => event.type)).toStrictEqual([
			'response.created',
			'response.in_progress',
			'response.output_item.added',
			'response.reasoning_summary_part.added',
			'response.reasoning_summary_text.delta',
			'response.reasoning_summary_text.done',
			'response.reasoning_summary_part.done',
			'response.output_item.done',
			'response.output_item.added',
			'response.content_part.added',
			'response.output_text.delta',
			'response.output_text.delta',
			'response.output_text.done',
			'response.content_part.done',
			'response.output_item.done',
			'response.completed'
		]);
		expect(new Set(events.filter((event) => 'response' in event).map((event) => 'response' in event && event.response.id))).toStrictEqual(
			new Set(['resp_test'])
		);
	});

	it('stream a client tool call with its argument deltas, the response completed with the call waiting', () => {
		const events = eventsOf(clientToolRun);
		expect(events.map((event) => event.type)).toStrictEqual([
			'response.created',
			'response.in_progress',
			'response.output_item.added',
			'response.function_call_arguments.delta',
			'response.function_call_arguments.delta',
			'response.function_call_arguments.done',
			'response.output_item.done',
			'response.completed'
		]);
		expect(events.at(-1)).toMatchObject({
			response: {
				status: 'completed',
				output: [{ type: 'function_call', call_id: 'call_1', name: 'weather', arguments: '{"city":"Oslo"}', status: 'completed' }]
			}
		});
	});

	it('echo the request on every response object', () => {
		const context = contextFor({
			instructions: 'Be brief.',
			tools: [{ type: 'function', name: 'weather', parameters: { type: 'object' } }],
			tool_choice: { type: 'function', name: 'weather' },
			parallel_tool_calls: false,
			temperature: 0.5,
			top_p: 0.9,
			max_output_tokens: 100,
			metadata: { ticket: '42' },
			store: false,
			previous_response_id: 'resp_0'
		});
		for (const event of eventsOf(textRun, context)) {
			if (!('response' in event)) continue;
			expect(event.response).toMatchObject({
				model: 'assistant',
				instructions: 'Be brief.',
				tools: [{ type: 'function', name: 'weather', description: null, parameters: { type: 'object' }, strict: true }],
				tool_choice: { type: 'function', name: 'weather' },
				parallel_tool_calls: false,
				temperature: 0.5,
				top_p: 0.9,
				max_output_tokens: 100,
				metadata: { ticket: '42' },
				store: false,
				previous_response_id: 'resp_0'
			});
		}
	});

	it('close a run cut short as cancelled, keeping its partial text', () => {
		const events = eventsOf([
			runStart,
			{ type: 'step-start' },
			{ type: 'text-start', id: 't' },
			{ type: 'text-delta', id: 't', delta: 'Par' }
		]);
		expect(events.at(-1)).toMatchObject({
			type: 'response.incomplete',
			response: { status: 'cancelled', output: [{ type: 'message', status: 'incomplete', content: [{ text: 'Par' }] }] }
		});
	});

	it('end a failed run with response.failed carrying the error', () => {
		const events = eventsOf([runStart, { type: 'step-start' }, { type: 'run-error', message: 'The model failed.' }]);
		expect(events.map((event) => event.type)).toStrictEqual(['response.created', 'response.in_progress', 'response.failed']);
		expect(events.at(-1)).toMatchObject({ response: { status: 'failed', error: { code: 'server_error', message: 'The model failed.' } } });
	});

	it('are read by the openai SDK’s stream helper to the same final response', async () => {
		const events = eventsOf(textRun);
		const ndjson = new TextEncoder().encode(events.map((event) => JSON.stringify(event)).join('\n') + '\n');
		const stream = ResponseStream.fromReadableStream(
			new ReadableStream({
				start(controller) {
					controller.enqueue(ndjson);
					controller.close();
				}
			})
		);
		const final = await stream.finalResponse();
		expect(final.output_text).toBe('Hello there');
		expect(final.id).toBe('resp_test');
		expect(final.usage).toMatchObject({ input_tokens: 10, output_tokens: 4, total_tokens: 14 });
	});
});

describe('openResponsesStreamResponse', () => {
	it('sends each event as an SSE block whose event name is its type, then data: [DONE]', async () => {
		const response = openResponsesStreamResponse(streamOf(textRun), contextFor(), { 'x-parley-task-id': 'task-1' });
		expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
		expect(response.headers.get('x-parley-task-id')).toBe('task-1');
		const blocks = blocksOf(await response.text());
		expect(blocks.at(-1)).toStrictEqual([undefined, '[DONE]']);
		const events = blocks.slice(0, -1);
		for (const [name, data] of events) expect(JSON.parse(data).type).toBe(name);
		expect(events.map(([name]) => name).at(-1)).toBe('response.completed');
	});

	it('closes a stream whose run stops without an end, before [DONE]', async () => {
		const response = openResponsesStreamResponse(streamOf([runStart, { type: 'step-start' }]), contextFor());
		const names = blocksOf(await response.text()).map(([name]) => name);
		expect(names.slice(-2)).toStrictEqual(['response.incomplete', undefined]);
	});
});

describe('toResponseObject', () => {
	it('is the SDK’s response with the run’s output and usage, completed', async () => {
		const response = asSdkResponse(await toResponseObject(streamOf(textRun), contextFor()));
		expect(response).toMatchObject({
			id: 'resp_test',
			object: 'response',
			status: 'completed',
			created_at: NOW / 1000,
			completed_at: NOW / 1000,
			error: null,
			incomplete_details: null,
			usage: { input_tokens: 10, output_tokens: 4 }
		});
		expect(response.output.map((item) => item.type)).toStrictEqual(['reasoning', 'message']);
	});

	it('fails a run that has no events at all', async () => {
		const response = await toResponseObject(streamOf([]), contextFor());
		expect(response).toMatchObject({ status: 'failed', error: { code: 'server_error' } });
	});
});
