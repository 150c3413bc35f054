import type { RunEvent } from '../../runtime/events';
import { SSE_HEADERS, sseStream, type SseEvent } from '../sse';
import {
	OpenResponsesBuilder,
	type OpenResponsesContext,
	type OpenResponsesResponse,
	type OpenResponsesStreamEvent
} from './response-object';

/** Headers of a streamed response: plain SSE, as OpenAI sends it. */
export const OPEN_RESPONSES_STREAM_HEADERS = { ...SSE_HEADERS } as const;

/** One stream event as an SSE event: its `event:` is its `type`. */
export function toOpenResponsesSseEvent(event: OpenResponsesStreamEvent): SseEvent {
	return { event: event.type, data: event };
}

/**
 * Turns run events into Responses stream events (`response.created` … `response.completed`), with
 * `sequence_number` increasing from 0. A run whose events stop without an end is closed as
 * cancelled, so every stream ends with one of `response.completed`, `response.incomplete` or
 * `response.failed`.
 */
export function openResponsesChunkStream(context: OpenResponsesContext, startingAfter = -1): TransformStream<RunEvent, SseEvent> {
	const builder = new OpenResponsesBuilder(context);
	const send = (items: OpenResponsesStreamEvent[], controller: TransformStreamDefaultController<SseEvent>) => {
		for (const item of items) if (item.sequence_number > startingAfter) controller.enqueue(toOpenResponsesSseEvent(item));
	};
	return new TransformStream<RunEvent, SseEvent>({
		transform(event, controller) {
			send(builder.push(event), controller);
		},
		flush(controller) {
			send(builder.close(), controller);
		}
	});
}

/**
 * The events of a response that has ended, told again from its final object: its start, each
 * output item whole, then its end (`response.completed`, `.incomplete` or `.failed`).
 */
export function endedResponseEvents(response: OpenResponsesResponse): OpenResponsesStreamEvent[] {
	const started: OpenResponsesResponse = {
		...response,
		status: 'in_progress',
		output: [],
		usage: null,
		error: null,
		incomplete_details: null,
		completed_at: null
	};
	const bodies: unknown[] = [
		{ type: 'response.created', response: started },
		{ type: 'response.in_progress', response: started }
	];
	response.output.forEach((item, output_index) => {
		bodies.push({ type: 'response.output_item.added', output_index, item }, { type: 'response.output_item.done', output_index, item });
	});
	const end =
		response.status === 'completed' ? 'response.completed' : response.status === 'failed' ? 'response.failed' : 'response.incomplete';
	bodies.push({ type: end, response });
	return bodies.map((body, sequence_number) => ({ ...(body as object), sequence_number }) as OpenResponsesStreamEvent);
}

/** A streamed response: `event: <type>` / `data: <event>` blocks, then `data: [DONE]`. */
export function openResponsesStreamResponse(
	events: ReadableStream<RunEvent>,
	context: OpenResponsesContext,
	headers?: HeadersInit,
	startingAfter?: number
): Response {
	const body = events.pipeThrough(openResponsesChunkStream(context, startingAfter)).pipeThrough(sseStream({ last: { data: '[DONE]' } }));
	const responseHeaders = new Headers(headers);
	for (const [name, value] of Object.entries(OPEN_RESPONSES_STREAM_HEADERS)) responseHeaders.set(name, value);
	return new Response(body, { headers: responseHeaders });
}

/** A response that has ended, streamed again from its final object (`GET /v1/responses/{id}?stream=true`). */
export function endedResponseStream(response: OpenResponsesResponse, headers?: HeadersInit, startingAfter = -1): Response {
	const events = endedResponseEvents(response).filter((event) => event.sequence_number > startingAfter);
	const source = new ReadableStream<SseEvent>({
		start(controller) {
			for (const event of events) controller.enqueue(toOpenResponsesSseEvent(event));
			controller.close();
		}
	});
	const responseHeaders = new Headers(headers);
	for (const [name, value] of Object.entries(OPEN_RESPONSES_STREAM_HEADERS)) responseHeaders.set(name, value);
	return new Response(source.pipeThrough(sseStream({ last: { data: '[DONE]' } })), { headers: responseHeaders });
}
