import { newId } from '../../ids';
import type { RunEvent } from '../../runtime/events';
import {
	ResponsesEventBuilder,
	type FullResponsesResponse,
	type ResponsesEventBuilderOptions,
	type ResponsesFaceOptions,
	type ResponsesRequestEcho,
	type ResponsesStreamEvent,
	type ResponsesTextFormat,
	type ResponsesUsage
} from '../responses-event-builder';
import type { CreateResponseRequest } from './request';

/**
 * A response object of the Responses face: every field the Open Responses specification requires,
 * null where it has no value. Its error and incomplete reason are the codes OpenAI defines.
 */
export type OpenResponsesResponse = Omit<FullResponsesResponse, 'error' | 'incomplete_details' | 'usage'> & {
	error: { code: 'server_error'; message: string } | null;
	incomplete_details: { reason: 'max_output_tokens' } | null;
	usage: (ResponsesUsage & { input_tokens_details: { cached_tokens: number; cache_write_tokens: number } }) | null;
};

/** An event with the face's response object in place of the builder's. */
type WithFaceResponse<E> = E extends { response: unknown } ? Omit<E, 'response'> & { response: OpenResponsesResponse } : E;

/**
 * One event of the Responses face's stream. The face always opens its response first, so a failure
 * is `response.failed`, never a bare `error` event.
 */
export type OpenResponsesStreamEvent = WithFaceResponse<Exclude<ResponsesStreamEvent, { type: 'error' }>>;

/** What the face knows of a response before its run: its id and the request it echoes. */
export interface OpenResponsesContext
	extends Pick<ResponsesEventBuilderOptions, 'makeId' | 'now'>, Pick<ResponsesFaceOptions, 'hostedTools' | 'priorCalls'> {
	id: string;
	request: ResponsesRequestEcho;
}

/** A new response id, `resp_…`. */
export function newResponseId(): string {
	return `resp_${newId()}`;
}

/**
 * The context of a response's builders: the same ids for the same run events in every builder
 * (the stream, the stored object and a replay all name an item alike, so that a caller's
 * `item_reference` finds it), and the response's creation time fixed.
 */
export function responseContext(
	input: Pick<OpenResponsesContext, 'id' | 'request' | 'hostedTools' | 'priorCalls'> & { createdAt: number }
): OpenResponsesContext {
	const base = input.id.replace(/^resp_/, '');
	let next = 0;
	let started = false;
	return {
		...input,
		makeId: (prefix) => `${prefix}_${base}${(next++).toString(36)}`,
		now: () => {
			if (started) return Date.now();
			started = true;
			return input.createdAt;
		}
	};
}

/**
 * The request as a response echoes it, with OpenAI's defaults: `store` true, tools in parallel,
 * `tool_choice` auto. `model` is the agent's slug as the caller sent it.
 */
export function toRequestEcho(body: CreateResponseRequest): ResponsesRequestEcho {
	return {
		model: body.model,
		instructions: body.instructions ?? null,
		metadata: { ...(body.metadata ?? {}) },
		parallel_tool_calls: body.parallel_tool_calls ?? true,
		temperature: body.temperature ?? null,
		top_p: body.top_p ?? null,
		tool_choice: body.tool_choice ?? 'auto',
		tools: (body.tools ?? []).map((tool) => ({
			type: 'function',
			name: tool.name,
			description: tool.description ?? null,
			parameters: tool.parameters ?? null,
			strict: tool.strict ?? true
		})),
		max_output_tokens: body.max_output_tokens ?? null,
		previous_response_id: body.previous_response_id ?? null,
		store: body.store ?? true,
		text: textFormatOf(body)
	};
}

/** `text.format` as a response echoes it: plain text unless JSON was asked for. */
function textFormatOf(body: CreateResponseRequest): ResponsesTextFormat {
	const format = body.text?.format;
	if (format?.type === 'json_object') return { type: 'json_object' };
	if (format?.type === 'json_schema') {
		return {
			type: 'json_schema',
			name: format.name,
			schema: format.schema,
			...(format.description ? { description: format.description } : {}),
			strict: format.strict ?? null
		};
	}
	return { type: 'text' };
}

/**
 * Builds the face's stream events and its response object from run events, one at a time. The
 * builder made with `face` only emits full responses and never a bare `error` event: that is
 * what makes its events the face's own.
 */
export class OpenResponsesBuilder {
	private readonly builder: ResponsesEventBuilder;
	private ended = false;

	constructor(context: OpenResponsesContext) {
		this.builder = new ResponsesEventBuilder({
			makeId: context.makeId,
			now: context.now,
			face: { id: context.id, request: context.request, hostedTools: context.hostedTools, priorCalls: context.priorCalls }
		});
	}

	/** The stream events for one run event, numbered from 0 across the response. */
	push(event: RunEvent): OpenResponsesStreamEvent[] {
		if (this.ended) return [];
		if (event.type === 'run-end' || event.type === 'run-error') this.ended = true;
		return this.builder.push(event) as OpenResponsesStreamEvent[];
	}

	/**
	 * The events that end a run cut short (its events stopped without an end): the response is
	 * cancelled, keeping its partial output, or failed when nothing started. None once the run has ended.
	 */
	close(): OpenResponsesStreamEvent[] {
		if (this.ended) return [];
		// No event at all: the run failed before it started.
		if (!this.builder.response()) return this.push({ type: 'run-error', message: 'The run ended before it started.' });
		return this.push({ type: 'run-end', reason: 'interrupted', usage: { inputTokens: undefined, outputTokens: undefined } });
	}

	/** The response object as it stands (null before the run starts). */
	response(): OpenResponsesResponse | null {
		return this.builder.response() as OpenResponsesResponse | null;
	}
}

/**
 * The final response object of a run that is read to its end (a request without `stream`): the
 * events in order, cut-short runs cancelled.
 */
export async function toResponseObject(events: ReadableStream<RunEvent>, context: OpenResponsesContext): Promise<OpenResponsesResponse> {
	const builder = new OpenResponsesBuilder(context);
	const reader = events.getReader();
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			builder.push(value);
		}
	} finally {
		reader.releaseLock();
	}
	builder.close();
	return builder.response() as OpenResponsesResponse;
}
