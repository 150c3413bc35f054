import type { RunEvent } from '../../runtime/events';
import { SSE_HEADERS, sseStream, type SseEvent } from '../sse';
import { OpenResponsesBuilder, type OpenResponsesContext, type OpenResponsesStreamEvent } from './response-object';

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
export function openResponsesChunkStream(context: OpenResponsesContext): TransformStream<RunEvent, SseEvent> {
	const builder = new OpenResponsesBuilder(context);
	return new TransformStream<RunEvent, SseEvent>({
		transform(event, controller) {
			for (const item of builder.push(event)) controller.enqueue(toOpenResponsesSseEvent(item));
		},
		flush(controller) {
			for (const item of builder.close()) controller.enqueue(toOpenResponsesSseEvent(item));
		}
	});
}

/** A streamed response: `event: <type>` / `data: <event>` blocks, then `data: [DONE]`. */
export function openResponsesStreamResponse(
	events: ReadableStream<RunEvent>,
	context: OpenResponsesContext,
	headers?: HeadersInit
): Response {
	const body = events.pipeThrough(openResponsesChunkStream(context)).pipeThrough(sseStream({ last: { data: '[DONE]' } }));
	const responseHeaders = new Headers(headers);
	for (const [name, value] of Object.entries(OPEN_RESPONSES_STREAM_HEADERS)) responseHeaders.set(name, value);
	return new Response(body, { headers: responseHeaders });
}
