import type { RunEvent } from '../../runtime/events';
import { SSE_HEADERS, sseStream, type SseEvent } from '../sse';
import { toUIMessageChunk } from './to-ui-message-chunk';

/** Headers of the AI SDK UI message stream (its `UI_MESSAGE_STREAM_HEADERS`). */
export const UI_MESSAGE_STREAM_HEADERS = {
	...SSE_HEADERS,
	'x-vercel-ai-ui-message-stream': 'v1'
} as const;

/** Turns run events into UI message stream SSE events. */
export function uiMessageChunkStream(): TransformStream<RunEvent, SseEvent> {
	return new TransformStream<RunEvent, SseEvent>({
		transform(event, controller) {
			const chunk = toUIMessageChunk(event);
			if (chunk) controller.enqueue({ data: chunk });
		}
	});
}

/** A streaming response in the AI SDK UI message stream format, ending with `[DONE]`. */
export function uiMessageStreamResponse(events: ReadableStream<RunEvent>, headers?: HeadersInit): Response {
	const body = events.pipeThrough(uiMessageChunkStream()).pipeThrough(sseStream({ last: { data: '[DONE]' } }));
	const responseHeaders = new Headers(headers);
	for (const [name, value] of Object.entries(UI_MESSAGE_STREAM_HEADERS)) responseHeaders.set(name, value);
	return new Response(body, { headers: responseHeaders });
}
