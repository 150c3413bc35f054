import { AppError, errorResponse } from '../../errors';
import type { RunEvent } from '../../runtime/events';
import { renameField } from '../field-names';
import { SSE_HEADERS, sseStream, type SseEvent } from '../sse';
import { FIELD_NAMES } from './field-names';
import { agUiEventStream, type AgUiRunContext, type NumberedAgUiEvent } from './to-ag-ui-event';

/** Headers of an AG-UI event stream: plain SSE. */
export const AG_UI_STREAM_HEADERS = { ...SSE_HEADERS } as const;

/** One AG-UI event as an SSE event: its `id` is its place in the run, its data the event. */
export function toAgUiSseEvent({ id, event }: NumberedAgUiEvent): SseEvent {
	return { id: String(id), data: event };
}

/**
 * A run's events as an AG-UI SSE stream, each with its `id:`; with `startingAfter`, only the
 * events after that id (a replay after `Last-Event-ID`).
 */
export function agUiStreamResponse(
	events: ReadableStream<RunEvent>,
	context: AgUiRunContext,
	headers?: HeadersInit,
	startingAfter?: number
): Response {
	const body = events
		.pipeThrough(agUiEventStream(context, startingAfter))
		.pipeThrough(
			new TransformStream<NumberedAgUiEvent, SseEvent>({ transform: (event, controller) => controller.enqueue(toAgUiSseEvent(event)) })
		)
		.pipeThrough(sseStream());
	const responseHeaders = new Headers(headers);
	for (const [name, value] of Object.entries(AG_UI_STREAM_HEADERS)) responseHeaders.set(name, value);
	return new Response(body, { headers: responseHeaders });
}

/**
 * The event id a replay starts after: `Last-Event-ID` (or `last_event_id` in the query), -1 for
 * the whole run; `invalid_input` when it is not a whole number.
 */
export function lastEventIdOf(header: string | null, query: string | null): number {
	const given = header ?? query;
	if (given === null || given.trim() === '') return -1;
	if (!/^\d{1,9}$/.test(given.trim())) {
		throw new AppError('invalid_input', 'Last-Event-ID must be the id of an event of the run (a whole number).', {
			field: 'Last-Event-ID'
		});
	}
	return Number(given.trim());
}

/** An error of the AG-UI face: Parley's JSON error, its field named as this face names it. */
export function agUiErrorResponse(error: unknown, headers?: HeadersInit): Response {
	return errorResponse(renameField(error, FIELD_NAMES), headers);
}
