import type { PendingToolCall, RunEndReason, RunEvent } from '../../runtime/events';
import { summarizeRun, type RunSummary } from '../../runtime/summarize-run';
import { TextJoiner } from '../../runtime/text-joiner';
import { SSE_HEADERS, sseStream, type SseEvent } from '../sse';
import { ResponsesEventBuilder, type ResponsesEventBuilderOptions } from '../responses-event-builder';
import {
	agentApiStatusOf,
	toAgentApiChunk,
	toAgentApiToolCall,
	toDoneChunk,
	RUN_ERROR_CODE,
	type AgentApiChunk,
	type AgentApiDone,
	type AgentApiStatus,
	type AgentApiToolCall
} from './to-agent-api-chunk';
import { errorResponse } from '../../errors';
import { renameField } from '../field-names';
import { FIELD_NAMES } from './field-names';

/** Headers of the agent API's event stream. */
export const AGENT_API_STREAM_HEADERS = SSE_HEADERS;

/** Headers of the agent API's JSON answers. */
export const AGENT_API_JSON_HEADERS = { 'content-type': 'application/json' } as const;

/** What the stream knows before the run says it (a continuation knows its session and message). */
export interface AgentApiStreamOptions extends ResponsesEventBuilderOptions {
	sessionId?: string;
	messageId?: string;
}

/**
 * Turns run events into the agent API's named events: for each run event its `openai_event`s
 * first, then its own events (`text_delta`, `tool_call`, `error`), and `done` last, once the run
 * has ended.
 */
export function agentApiChunkStream(options: AgentApiStreamOptions = {}): TransformStream<RunEvent, AgentApiChunk> {
	const builder = new ResponsesEventBuilder(options);
	let sessionId = options.sessionId ?? '';
	let messageId = options.messageId ?? '';
	let ended: RunEndReason | 'error' | undefined;
	let pending: PendingToolCall[] = [];
	// `text_delta`s make one text, the texts of the answer's steps separated as the chat shows them.
	const joiner = new TextJoiner();
	return new TransformStream<RunEvent, AgentApiChunk>({
		transform(event, controller) {
			if (event.type === 'run-start') {
				sessionId = event.taskId;
				messageId = event.messageId;
			} else if (event.type === 'input-required') {
				pending = event.toolCalls;
			} else if (event.type === 'run-end') {
				ended = event.reason;
			} else if (event.type === 'run-error') {
				ended = 'error';
			}
			for (const data of builder.push(event)) controller.enqueue({ event: 'openai_event', data });
			const text = joiner.textOf(event);
			for (const chunk of toAgentApiChunk(text === undefined || event.type !== 'text-delta' ? event : { ...event, delta: text }) ?? []) {
				controller.enqueue(chunk);
			}
		},
		flush(controller) {
			// A stream that ends without saying why was cut short.
			const status = agentApiStatusOf(ended ?? 'interrupted');
			controller.enqueue(
				toDoneChunk({
					session_id: sessionId,
					message_id: messageId,
					status,
					pending_tool_calls: status === 'requires_action' ? pending.map(toAgentApiToolCall) : []
				})
			);
		}
	});
}

/** Agent API chunks as SSE events (the chunk's name is the event name). */
function toSseEvents(): TransformStream<AgentApiChunk, SseEvent> {
	return new TransformStream<AgentApiChunk, SseEvent>({
		transform(chunk, controller) {
			controller.enqueue({ event: chunk.event, data: chunk.data });
		}
	});
}

/** Response headers: the given ones, then the stream's own. */
function headersWith(headers: HeadersInit | undefined, own: Record<string, string>): Headers {
	const result = new Headers(headers);
	for (const [name, value] of Object.entries(own)) result.set(name, value);
	return result;
}

/** The agent API's streaming answer to a run: named SSE events ending with `done`. */
export function agentApiStreamResponse(events: ReadableStream<RunEvent>, headers?: HeadersInit, options?: AgentApiStreamOptions): Response {
	const body = events.pipeThrough(agentApiChunkStream(options)).pipeThrough(toSseEvents()).pipeThrough(sseStream());
	return new Response(body, { headers: headersWith(headers, AGENT_API_STREAM_HEADERS) });
}

/** A stream holding only `done`: a tool output was stored and other calls still wait. */
export function agentApiDoneResponse(done: AgentApiDone, headers?: HeadersInit): Response {
	const chunks = new ReadableStream<AgentApiChunk>({
		start(controller) {
			controller.enqueue(toDoneChunk(done));
			controller.close();
		}
	});
	return new Response(chunks.pipeThrough(toSseEvents()).pipeThrough(sseStream()), {
		headers: headersWith(headers, AGENT_API_STREAM_HEADERS)
	});
}

/** The JSON answer of `POST /api/agent/chat/`. */
export interface AgentApiChatAnswer {
	session_id: string;
	message_id: string;
	text: string;
	/** The calls the caller must answer before the run goes on (`status: requires_action`). */
	tool_calls: AgentApiToolCall[];
	status: AgentApiStatus;
	/** Why the run failed (`status: error`). */
	error?: { code: string; message: string };
}

/** The chat answer that sums up a run. */
export function toAgentApiChatAnswer(summary: RunSummary): AgentApiChatAnswer {
	const status = agentApiStatusOf(summary.endReason);
	return {
		session_id: summary.taskId,
		message_id: summary.messageId,
		text: summary.text,
		tool_calls: status === 'requires_action' ? summary.pendingToolCalls.map(toAgentApiToolCall) : [],
		status,
		...(status === 'error' ? { error: { code: RUN_ERROR_CODE, message: summary.error ?? 'The run failed.' } } : {})
	};
}

/** A readable stream of the given items. */
function streamOf<T>(items: T[]): ReadableStream<T> {
	return new ReadableStream<T>({
		start(controller) {
			for (const item of items) controller.enqueue(item);
			controller.close();
		}
	});
}

/**
 * The JSON answer to a run, sent once it ends or needs action. The body is a stream that stays
 * open while the run goes on, so that a caller going away cancels `events` (and its run).
 */
export function agentApiChatResponse(events: ReadableStream<RunEvent>, headers?: HeadersInit): Response {
	const seen: RunEvent[] = [];
	const encoder = new TextEncoder();
	const body = events.pipeThrough(
		new TransformStream<RunEvent, Uint8Array>({
			transform(event) {
				seen.push(event);
			},
			async flush(controller) {
				const answer = toAgentApiChatAnswer(await summarizeRun(streamOf(seen)));
				controller.enqueue(encoder.encode(JSON.stringify(answer)));
			}
		})
	);
	return new Response(body, { headers: headersWith(headers, AGENT_API_JSON_HEADERS) });
}

/** An error as the agent API answers it: Parley's JSON error, its field named as this face names it. */
export function agentApiErrorResponse(error: unknown, headers?: HeadersInit): Response {
	return errorResponse(renameField(error, FIELD_NAMES), headers);
}
