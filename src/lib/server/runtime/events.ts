import type { WidgetData } from '$lib/widgets/contract';

/** Why a run ended without an error. */
export type RunEndReason =
	/** The model finished its answer. */
	| 'completed'
	/** Tool calls wait for the caller's output or an approval answer. */
	| 'awaiting-input'
	/** Stopped, or its caller went away. */
	| 'interrupted'
	/** The step limit or the output limit was reached. */
	| 'limit';

/** A tool call that waits for the caller: its output (client tools) or an approval answer. */
export interface PendingToolCall {
	toolCallId: string;
	toolName: string;
	input: unknown;
	/** Set when the call waits for approval rather than for an output. */
	approvalId?: string;
}

/** Token counts of a step or a run. */
export interface RunUsage {
	inputTokens: number | undefined;
	outputTokens: number | undefined;
	/** Output tokens spent on reasoning, where the provider reports them (part of `outputTokens`). */
	reasoningTokens?: number;
	/** Input tokens read from the provider's prompt cache (part of `inputTokens`). */
	cachedInputTokens?: number;
}

/**
 * What one turn of an agent produces, in order. Protocol adapters translate these events into
 * their wire formats; nothing here knows about HTTP.
 */
export type RunEvent =
	| { type: 'run-start'; taskId: string; messageId: string; model: string }
	| { type: 'step-start' }
	| { type: 'reasoning-start'; id: string }
	| { type: 'reasoning-delta'; id: string; delta: string }
	| { type: 'reasoning-end'; id: string }
	| { type: 'text-start'; id: string }
	| { type: 'text-delta'; id: string; delta: string }
	| { type: 'text-end'; id: string }
	| { type: 'tool-call-start'; toolCallId: string; toolName: string }
	| { type: 'tool-call-delta'; toolCallId: string; inputTextDelta: string }
	| {
			type: 'tool-call-ready';
			toolCallId: string;
			toolName: string;
			input: unknown;
			clientExecuted: boolean;
			/** The tool's title, when it has one (an MCP tool's names its server). */
			title?: string;
	  }
	| { type: 'tool-call-invalid'; toolCallId: string; toolName: string; input: unknown; errorText: string }
	| { type: 'tool-approval-request'; toolCallId: string; approvalId: string }
	| { type: 'tool-output'; toolCallId: string; output: unknown }
	| { type: 'tool-error'; toolCallId: string; errorText: string }
	| { type: 'tool-denied'; toolCallId: string }
	| { type: 'step-end'; usage: RunUsage }
	/** A widget shown in the answer (a `data-widget` part with this id). */
	| { type: 'widget'; id: string; widget: WidgetData }
	/** The run stops here until the caller answers these calls (client outputs, approvals). */
	| { type: 'input-required'; toolCalls: PendingToolCall[] }
	| { type: 'run-end'; reason: RunEndReason; usage: RunUsage }
	| { type: 'run-error'; message: string };

/** The type names of run events. */
export type RunEventType = RunEvent['type'];
