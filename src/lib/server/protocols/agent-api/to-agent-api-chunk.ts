import type { PendingToolCall, RunEndReason, RunEvent } from '../../runtime/events';
import type { ToolPart } from '../../runtime/message-parts';
import { toolCallArguments, type ResponsesStreamEvent } from '../responses-event-builder';

/** How a run of the agent API ended, as `done` and the chat answer say it. */
export type AgentApiStatus = 'completed' | 'requires_action' | 'interrupted' | 'error';

/** A tool call the caller must answer: its output (client tools, handed-over calls) or an approval. */
export interface AgentApiToolCall {
	call_id: string;
	name: string;
	/** The arguments as a JSON string, as OpenAI sends them. */
	arguments: string;
	/** Answer with `{"approved": true|false, "reason"?}` rather than an output. */
	requires_approval: boolean;
}

/** The last event of every agent API stream. */
export interface AgentApiDone {
	session_id: string;
	message_id: string;
	status: AgentApiStatus;
	/** The calls still waiting for an answer (`POST /api/agent/tool-output/`). */
	pending_tool_calls: AgentApiToolCall[];
}

/** One named event of the agent API stream. */
export type AgentApiChunk =
	| { event: 'openai_event'; data: ResponsesStreamEvent }
	| { event: 'text_delta'; data: { delta: string } }
	| { event: 'tool_call'; data: AgentApiToolCall }
	| { event: 'error'; data: { code: string; message: string } }
	| { event: 'done'; data: AgentApiDone };

/** The error code of a run that failed after the stream began (a model or tool provider failure). */
export const RUN_ERROR_CODE = 'upstream';

/** The agent API status of a run that ended with `reason` (`error` for a failed run). */
export function agentApiStatusOf(reason: RunEndReason | 'error'): AgentApiStatus {
	switch (reason) {
		case 'completed':
		case 'limit':
			return 'completed';
		case 'awaiting-input':
			return 'requires_action';
		case 'interrupted':
			return 'interrupted';
		case 'error':
			return 'error';
	}
}

/** A pending call of the runtime as the agent API describes it. */
export function toAgentApiToolCall(call: PendingToolCall): AgentApiToolCall {
	return {
		call_id: call.toolCallId,
		name: call.toolName,
		arguments: toolCallArguments(call.input),
		requires_approval: call.approvalId !== undefined
	};
}

/** A stored tool part that waits for the caller, as the agent API describes it. */
export function toolPartToAgentApiToolCall(part: ToolPart): AgentApiToolCall {
	return {
		call_id: part.toolCallId,
		name: part.type.slice('tool-'.length),
		arguments: toolCallArguments(part.input),
		requires_approval: part.state === 'approval-requested'
	};
}

/**
 * Translates a run event into the agent API's own named events; `undefined` drops it.
 * - `text-delta` → `text_delta`;
 * - `input-required` → one `tool_call` per call the caller must answer (its client runs it, or it
 *   waits for approval). They come when the run has stopped for them, which is also the first
 *   moment the caller can answer, and they say exactly what each call waits for;
 * - `run-error` → `error`.
 *
 * The `openai_event` events come from the Responses event builder, and `done` ends the stream.
 */
export function toAgentApiChunk(event: RunEvent): AgentApiChunk[] | undefined {
	switch (event.type) {
		case 'text-delta':
			return [{ event: 'text_delta', data: { delta: event.delta } }];
		case 'input-required':
			return event.toolCalls.map((call): AgentApiChunk => ({ event: 'tool_call', data: toAgentApiToolCall(call) }));
		case 'run-error':
			return [{ event: 'error', data: { code: RUN_ERROR_CODE, message: event.message } }];
		case 'run-start':
		case 'widget':
		case 'step-start':
		case 'step-end':
		case 'reasoning-start':
		case 'reasoning-delta':
		case 'reasoning-end':
		case 'text-start':
		case 'text-end':
		case 'tool-call-start':
		case 'tool-call-delta':
		case 'tool-call-ready':
		case 'tool-call-invalid':
		case 'tool-approval-request':
		case 'tool-output':
		case 'tool-error':
		case 'tool-denied':
		case 'run-end':
			return undefined;
		default: {
			const unknown: never = event;
			return unknown;
		}
	}
}

/** The `done` event that ends a stream. */
export function toDoneChunk(done: AgentApiDone): AgentApiChunk {
	return { event: 'done', data: done };
}
