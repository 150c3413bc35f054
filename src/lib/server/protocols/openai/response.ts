import type { RunEvent } from '../../runtime/events';
import type { ActiveRun } from '../../runtime/run-registry';
import { runSseStream } from '../run-sse';
import { TextJoiner } from '../../runtime/text-joiner';
import { SSE_HEADERS, type SseEvent } from '../sse';
import { contentChunkWriter, toOpenAIChunk, type OpenAIChunkContext } from './to-openai-chunk';

/** Headers of a streamed completion: plain SSE, as OpenAI sends it. */
export const OPENAI_STREAM_HEADERS = { ...SSE_HEADERS } as const;

/** The response header that names the task a completion was stored in. */
export const TASK_ID_HEADER = 'x-parley-task-id';

/** Turns run events into Chat Completions SSE events (`data: <chunk>`), one event at a time. */
export function openAIChunkMapper(context: OpenAIChunkContext): (event: RunEvent) => SseEvent[] {
	// Text deltas are most of a stream: their JSON comes from a template rather than a whole object.
	const contentChunk = contentChunkWriter(context);
	// The texts of the answer's steps are one `content`, separated as the chat shows them.
	const joiner = new TextJoiner();
	return (event) => {
		const text = joiner.textOf(event);
		if (text !== undefined) return [{ data: contentChunk(text) }];
		return (toOpenAIChunk(event, context) ?? []).map((item) => ({ data: item }));
	};
}

/**
 * A streamed completion: `data: {chat.completion.chunk}` events, then `data: [DONE]`; of a run in
 * this process (stopped with `onCancel` when the caller goes away), or of events as a stream.
 */
export function openAIStreamResponse(
	events: ActiveRun | ReadableStream<RunEvent>,
	context: OpenAIChunkContext,
	headers?: HeadersInit,
	options: { onCancel?: () => void } = {}
): Response {
	const body = runSseStream(events, { map: openAIChunkMapper(context), last: { data: '[DONE]' }, onCancel: options.onCancel });
	const responseHeaders = new Headers(headers);
	for (const [name, value] of Object.entries(OPENAI_STREAM_HEADERS)) responseHeaders.set(name, value);
	return new Response(body, { headers: responseHeaders });
}
