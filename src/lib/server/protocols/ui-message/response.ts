import type { RunEvent } from '../../runtime/events';
import type { ActiveRun } from '../../runtime/run-registry';
import { runSseStream } from '../run-sse';
import { SSE_HEADERS, type SseEvent } from '../sse';
import { toUIMessageChunk } from './to-ui-message-chunk';

/** Headers of the AI SDK UI message stream (its `UI_MESSAGE_STREAM_HEADERS`). */
export const UI_MESSAGE_STREAM_HEADERS = {
	...SSE_HEADERS,
	'x-vercel-ai-ui-message-stream': 'v1'
} as const;

/** A run event as a UI message stream SSE event; undefined for an event the stream does not carry. */
function toUIMessageSseEvent(event: RunEvent): SseEvent | undefined {
	const chunk = toUIMessageChunk(event);
	return chunk ? { data: chunk } : undefined;
}

/**
 * A streaming response in the AI SDK UI message stream format, ending with `[DONE]`: of a run in
 * this process, or of its events as a stream (a run resumed from another process).
 */
export function uiMessageStreamResponse(events: ActiveRun | ReadableStream<RunEvent>, headers?: HeadersInit): Response {
	const body = runSseStream(events, { map: toUIMessageSseEvent, last: { data: '[DONE]' } });
	const responseHeaders = new Headers(headers);
	for (const [name, value] of Object.entries(UI_MESSAGE_STREAM_HEADERS)) responseHeaders.set(name, value);
	return new Response(body, { headers: responseHeaders });
}
