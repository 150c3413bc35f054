import type { RunEvent } from '../../runtime/events';
import { SSE_HEADERS, sseStream, type SseEvent } from '../sse';
import type { StateOperations } from './state-operations';
import { StreamContext } from './stream-context';
import { toAssistantTransportChunks, type AssistantTransportChunk } from './to-assistant-transport-chunk';
import { formatDataStreamLine, toDataStreamChunks, type DataStreamChunk } from './to-data-stream-chunk';
import { errorResponse } from '../../errors';
import { renameField } from '../field-names';
import { FIELD_NAMES } from './field-names';

/** Headers of assistant-stream's data stream format (its `DataStreamEncoder` headers, uncached). */
export const DATA_STREAM_HEADERS = {
	'content-type': 'text/plain; charset=utf-8',
	'x-vercel-ai-data-stream': 'v1',
	'cache-control': 'no-cache, no-transform',
	'x-accel-buffering': 'no'
} as const;

/** Headers of assistant-stream's SSE format (`AssistantTransportEncoder`). */
export const ASSISTANT_TRANSPORT_HEADERS = SSE_HEADERS;

/** A thread's answer: the run's events, and the state they keep current. */
export interface ThreadAnswer {
	events: ReadableStream<RunEvent>;
	state: StateOperations;
}

/** Turns run events into data stream chunks, state operations first (at the start and per event). */
export function dataStreamChunkStream(state: StateOperations): TransformStream<RunEvent, DataStreamChunk> {
	const context = new StreamContext();
	return new TransformStream<RunEvent, DataStreamChunk>({
		start(controller) {
			controller.enqueue({ code: 'aui-state', value: state.start() });
		},
		transform(event, controller) {
			const operations = state.apply(event);
			if (operations.length > 0) controller.enqueue({ code: 'aui-state', value: operations });
			for (const chunk of toDataStreamChunks(event, context.next(event))) controller.enqueue(chunk);
		}
	});
}

/** Turns run events into assistant-transport chunks, state updates first (at the start and per event). */
export function assistantTransportChunkStream(state: StateOperations): TransformStream<RunEvent, AssistantTransportChunk> {
	const context = new StreamContext();
	return new TransformStream<RunEvent, AssistantTransportChunk>({
		start(controller) {
			controller.enqueue({ type: 'update-state', path: [], operations: state.start() });
		},
		transform(event, controller) {
			const operations = state.apply(event);
			if (operations.length > 0) controller.enqueue({ type: 'update-state', path: [], operations });
			for (const chunk of toAssistantTransportChunks(event, context.next(event))) controller.enqueue(chunk);
		}
	});
}

/** Headers of a streaming response: the format's own, over any extra ones given. */
function responseHeaders(own: Record<string, string>, extra?: HeadersInit): Headers {
	const headers = new Headers(extra);
	for (const [name, value] of Object.entries(own)) headers.set(name, value);
	return headers;
}

/** A streaming response in the data stream format (the stock client's default): one line per chunk, no end marker. */
export function dataStreamResponse(answer: ThreadAnswer, headers?: HeadersInit): Response {
	const encoder = new TextEncoder();
	const body = answer.events.pipeThrough(dataStreamChunkStream(answer.state)).pipeThrough(
		new TransformStream<DataStreamChunk, Uint8Array>({
			transform: (chunk, controller) => controller.enqueue(encoder.encode(formatDataStreamLine(chunk)))
		})
	);
	return new Response(body, { headers: responseHeaders(DATA_STREAM_HEADERS, headers) });
}

/** A streaming response in the SSE format: one `data:` event per chunk, `data: [DONE]` last. */
export function assistantTransportResponse(answer: ThreadAnswer, headers?: HeadersInit): Response {
	const body = answer.events
		.pipeThrough(assistantTransportChunkStream(answer.state))
		.pipeThrough(
			new TransformStream<AssistantTransportChunk, SseEvent>({
				transform: (chunk, controller) => controller.enqueue({ data: chunk })
			})
		)
		.pipeThrough(sseStream({ last: { data: '[DONE]' } }));
	return new Response(body, { headers: responseHeaders(ASSISTANT_TRANSPORT_HEADERS, headers) });
}

/** An error as assistant-ui answers it: Parley's JSON error, its field named as this face names it. */
export function threadErrorResponse(error: unknown, headers?: HeadersInit): Response {
	return errorResponse(renameField(error, FIELD_NAMES), headers);
}
