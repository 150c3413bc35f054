import type { RunEvent } from '../../runtime/events';
import { TextJoiner } from '../../runtime/text-joiner';
import { SSE_HEADERS, sseStream, type SseEvent } from '../sse';
import { contentChunkWriter, toOpenAIChunk, type OpenAIChunkContext } from './to-openai-chunk';

/** Headers of a streamed completion: plain SSE, as OpenAI sends it. */
export const OPENAI_STREAM_HEADERS = { ...SSE_HEADERS } as const;

/** The response header that names the task a completion was stored in. */
export const TASK_ID_HEADER = 'x-parley-task-id';

/** Turns run events into Chat Completions SSE events (`data: <chunk>`). */
export function openAIChunkStream(context: OpenAIChunkContext): TransformStream<RunEvent, SseEvent> {
	// Text deltas are most of a stream: their JSON comes from a template rather than a whole object.
	const contentChunk = contentChunkWriter(context);
	// The texts of the answer's steps are one `content`, separated as the chat shows them.
	const joiner = new TextJoiner();
	return new TransformStream<RunEvent, SseEvent>({
		transform(event, controller) {
			const text = joiner.textOf(event);
			if (text !== undefined) {
				controller.enqueue({ data: contentChunk(text) });
				return;
			}
			for (const item of toOpenAIChunk(event, context) ?? []) controller.enqueue({ data: item });
		}
	});
}

/** A streamed completion: `data: {chat.completion.chunk}` events, then `data: [DONE]`. */
export function openAIStreamResponse(events: ReadableStream<RunEvent>, context: OpenAIChunkContext, headers?: HeadersInit): Response {
	const body = events.pipeThrough(openAIChunkStream(context)).pipeThrough(sseStream({ last: { data: '[DONE]' } }));
	const responseHeaders = new Headers(headers);
	for (const [name, value] of Object.entries(OPENAI_STREAM_HEADERS)) responseHeaders.set(name, value);
	return new Response(body, { headers: responseHeaders });
}
