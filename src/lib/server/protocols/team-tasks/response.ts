import type { RunEvent } from '../../runtime/events';
import { SSE_HEADERS, sseStream, type SseEvent } from '../sse';
import { closingChunk, initialTeamTasksState, toTeamTasksChunk, type TeamTasksStart } from './to-team-tasks-chunk';

/** Headers of the team-agent tasks stream: plain SSE, `data:` lines only. */
export const TEAM_TASKS_STREAM_HEADERS = SSE_HEADERS;

/**
 * Turns run events into team-agent tasks lines (`data: <json>`, no `event:` field), making sure
 * exactly one closing line is sent even when the run ends without one.
 */
export function teamTasksChunkStream(start: TeamTasksStart): TransformStream<RunEvent, SseEvent> {
	let state = initialTeamTasksState(start);
	return new TransformStream<RunEvent, SseEvent>({
		transform(event, controller) {
			if (state.ended) return;
			const translated = toTeamTasksChunk(event, state);
			state = translated.state;
			if (translated.chunk) controller.enqueue({ data: translated.chunk });
		},
		flush(controller) {
			const closing = closingChunk(state);
			if (closing) controller.enqueue({ data: closing });
		}
	});
}

/** A streaming response of the team-agent tasks API, ending with `data: [DONE]`. */
export function teamTasksStreamResponse(events: ReadableStream<RunEvent>, start: TeamTasksStart, headers?: HeadersInit): Response {
	const body = events.pipeThrough(teamTasksChunkStream(start)).pipeThrough(sseStream({ last: { data: '[DONE]' } }));
	const responseHeaders = new Headers(headers);
	for (const [name, value] of Object.entries(TEAM_TASKS_STREAM_HEADERS)) responseHeaders.set(name, value);
	return new Response(body, { headers: responseHeaders });
}
