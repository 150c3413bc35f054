import type { PendingToolCall, RunEvent, RunUsage } from '../../runtime/events';

/**
 * AG-UI events (`@ag-ui/core` 1.0) as this face sends them. Types only: the events are built
 * here and checked against `@ag-ui/core/schemas` in the tests.
 */
export type AgUiEvent = { type: string } & Record<string, unknown>;

/** What every event of one run knows: its thread and its id. */
export interface AgUiRunContext {
	threadId: string;
	runId: string;
}

/** The reason an interrupt of an approval gives. */
export const APPROVAL_REASON = 'tool_approval';

/** A string for a tool result's `content`: text as it is, anything else as JSON. */
export function resultContent(output: unknown): string {
	if (typeof output === 'string') return output;
	return JSON.stringify(output) ?? 'null';
}

/** A run's usage as AG-UI token usage (one entry, for the agent's model). */
function usageOf(usage: RunUsage, model: string | undefined): Record<string, unknown>[] {
	const entry: Record<string, unknown> = {};
	if (model) entry.model = model;
	if (usage.inputTokens !== undefined) entry.inputTokens = usage.inputTokens;
	if (usage.outputTokens !== undefined) entry.outputTokens = usage.outputTokens;
	if (usage.inputTokens !== undefined && usage.outputTokens !== undefined) entry.totalTokens = usage.inputTokens + usage.outputTokens;
	if (usage.reasoningTokens !== undefined) entry.reasoningTokens = usage.reasoningTokens;
	if (usage.cachedInputTokens !== undefined) entry.cachedInputTokens = usage.cachedInputTokens;
	return Object.keys(entry).length > 0 ? [entry] : [];
}

/**
 * Turns one run's events into AG-UI events, in order: `RUN_STARTED`, text and reasoning messages
 * (each segment its own message, with an id made of the run's id, so that a run told again gives
 * the same ids), tool calls with the results of the server's tools, widgets as activity
 * snapshots, and one `RUN_FINISHED` (success, naming the client calls that wait; an interrupt for
 * each approval that waits; cancelled when stopped) or `RUN_ERROR`. Whatever is open is closed
 * before the end.
 */
export class AgUiEventMapper {
	private started = false;
	private ended = false;
	private model: string | undefined;
	private count = 0;
	/** Open text and reasoning messages: the runtime's segment id → the AG-UI message id. */
	private readonly texts = new Map<string, string>();
	private readonly reasonings = new Map<string, string>();
	/** Tool calls started and not yet ended, with whether their arguments were streamed. */
	private readonly openCalls = new Map<string, { args: boolean }>();
	private readonly endedCalls = new Set<string>();
	private pending: PendingToolCall[] = [];

	constructor(private readonly context: AgUiRunContext) {}

	/** The AG-UI events for one run event. */
	push(event: RunEvent): AgUiEvent[] {
		if (this.ended) return [];
		const out: AgUiEvent[] = [];
		const { threadId, runId } = this.context;
		if (!this.started) {
			this.started = true;
			if (event.type === 'run-start') this.model = event.model;
			out.push({ type: 'RUN_STARTED', threadId, runId });
			if (event.type === 'run-start') return out;
		}
		switch (event.type) {
			case 'run-start':
			case 'step-start':
			case 'step-end':
			case 'tool-approval-request':
				break;
			case 'text-start':
				out.push(...this.openText(event.id));
				break;
			case 'text-delta': {
				if (!this.texts.has(event.id)) out.push(...this.openText(event.id));
				if (event.delta !== '') out.push({ type: 'TEXT_MESSAGE_CONTENT', messageId: this.texts.get(event.id)!, delta: event.delta });
				break;
			}
			case 'text-end':
				out.push(...this.closeText(event.id));
				break;
			case 'reasoning-start':
				out.push(...this.openReasoning(event.id));
				break;
			case 'reasoning-delta': {
				if (!this.reasonings.has(event.id)) out.push(...this.openReasoning(event.id));
				if (event.delta !== '') {
					out.push({ type: 'REASONING_MESSAGE_CONTENT', messageId: this.reasonings.get(event.id)!, delta: event.delta });
				}
				break;
			}
			case 'reasoning-end':
				out.push(...this.closeReasoning(event.id));
				break;
			case 'tool-call-start':
				out.push(...this.startCall(event.toolCallId, event.toolName));
				break;
			case 'tool-call-delta': {
				const open = this.openCalls.get(event.toolCallId);
				if (open && event.inputTextDelta !== '') {
					open.args = true;
					out.push({ type: 'TOOL_CALL_ARGS', toolCallId: event.toolCallId, delta: event.inputTextDelta });
				}
				break;
			}
			case 'tool-call-ready':
			case 'tool-call-invalid': {
				if (!this.openCalls.has(event.toolCallId) && !this.endedCalls.has(event.toolCallId)) {
					out.push(...this.startCall(event.toolCallId, event.toolName));
				}
				const open = this.openCalls.get(event.toolCallId);
				if (open && !open.args) out.push({ type: 'TOOL_CALL_ARGS', toolCallId: event.toolCallId, delta: resultContent(event.input ?? {}) });
				out.push(...this.endCall(event.toolCallId));
				if (event.type === 'tool-call-invalid') out.push(this.result(event.toolCallId, `Error: ${event.errorText}`));
				break;
			}
			case 'tool-output':
				out.push(...this.endCall(event.toolCallId), this.result(event.toolCallId, resultContent(event.output)));
				break;
			case 'tool-error':
				out.push(...this.endCall(event.toolCallId), this.result(event.toolCallId, `Error: ${event.errorText}`));
				break;
			case 'tool-denied':
				out.push(...this.endCall(event.toolCallId), this.result(event.toolCallId, 'The call was denied.'));
				break;
			case 'widget':
				out.push({
					type: 'ACTIVITY_SNAPSHOT',
					messageId: `${runId}-widget-${event.id}`,
					activityType: 'parley.widget',
					content: { id: event.id, ...event.widget }
				});
				break;
			case 'input-required':
				this.pending = event.toolCalls;
				break;
			case 'run-end':
				out.push(...this.closeAll(), this.finished(event.reason, event.usage));
				this.ended = true;
				break;
			case 'run-error':
				out.push(...this.closeAll(), { type: 'RUN_ERROR', message: event.message, code: 'run_failed' });
				this.ended = true;
				break;
			default: {
				const unhandled: never = event;
				throw new Error(`Unhandled run event ${JSON.stringify(unhandled)}`);
			}
		}
		return out;
	}

	/** The events that end a run whose events stopped without an end: it was cut off. */
	close(): AgUiEvent[] {
		if (this.ended) return [];
		const out: AgUiEvent[] = [];
		if (!this.started) {
			this.started = true;
			out.push({ type: 'RUN_STARTED', threadId: this.context.threadId, runId: this.context.runId });
		}
		out.push(...this.closeAll(), {
			type: 'RUN_FINISHED',
			threadId: this.context.threadId,
			runId: this.context.runId,
			outcome: { type: 'cancelled' }
		});
		this.ended = true;
		return out;
	}

	private nextId(kind: string): string {
		return `${this.context.runId}-${kind}-${this.count++}`;
	}

	private openText(id: string): AgUiEvent[] {
		if (this.texts.has(id)) return [];
		const messageId = this.nextId('text');
		this.texts.set(id, messageId);
		return [{ type: 'TEXT_MESSAGE_START', messageId, role: 'assistant' }];
	}

	private closeText(id: string): AgUiEvent[] {
		const messageId = this.texts.get(id);
		if (!messageId) return [];
		this.texts.delete(id);
		return [{ type: 'TEXT_MESSAGE_END', messageId }];
	}

	private openReasoning(id: string): AgUiEvent[] {
		if (this.reasonings.has(id)) return [];
		const messageId = this.nextId('reasoning');
		this.reasonings.set(id, messageId);
		return [
			{ type: 'REASONING_START', messageId },
			{ type: 'REASONING_MESSAGE_START', messageId, role: 'reasoning' }
		];
	}

	private closeReasoning(id: string): AgUiEvent[] {
		const messageId = this.reasonings.get(id);
		if (!messageId) return [];
		this.reasonings.delete(id);
		return [
			{ type: 'REASONING_MESSAGE_END', messageId },
			{ type: 'REASONING_END', messageId }
		];
	}

	private startCall(toolCallId: string, toolCallName: string): AgUiEvent[] {
		if (this.openCalls.has(toolCallId) || this.endedCalls.has(toolCallId)) return [];
		this.openCalls.set(toolCallId, { args: false });
		return [{ type: 'TOOL_CALL_START', toolCallId, toolCallName }];
	}

	private endCall(toolCallId: string): AgUiEvent[] {
		if (!this.openCalls.has(toolCallId)) return [];
		this.openCalls.delete(toolCallId);
		this.endedCalls.add(toolCallId);
		return [{ type: 'TOOL_CALL_END', toolCallId }];
	}

	private result(toolCallId: string, content: string): AgUiEvent {
		return { type: 'TOOL_CALL_RESULT', messageId: `${toolCallId}-result`, toolCallId, content, role: 'tool' };
	}

	private closeAll(): AgUiEvent[] {
		return [
			...[...this.texts.keys()].flatMap((id) => this.closeText(id)),
			...[...this.reasonings.keys()].flatMap((id) => this.closeReasoning(id)),
			...[...this.openCalls.keys()].flatMap((id) => this.endCall(id))
		];
	}

	private finished(reason: Extract<RunEvent, { type: 'run-end' }>['reason'], usage: RunUsage): AgUiEvent {
		const { threadId, runId } = this.context;
		const approvals = this.pending.filter((call) => call.approvalId !== undefined);
		const outcome =
			reason === 'interrupted'
				? { type: 'cancelled' }
				: approvals.length > 0
					? {
							type: 'interrupt',
							interrupts: approvals.map((call) => ({
								id: call.approvalId!,
								reason: APPROVAL_REASON,
								message: `Approve the call of ${call.toolName}?`,
								toolCallId: call.toolCallId,
								metadata: { toolName: call.toolName, input: call.input }
							}))
						}
					: {
							type: 'success',
							...(reason === 'awaiting-input' && this.pending.length > 0
								? { pendingToolCallIds: this.pending.map((call) => call.toolCallId) }
								: {})
						};
		const tokens = usageOf(usage, this.model);
		return { type: 'RUN_FINISHED', threadId, runId, outcome, ...(tokens.length > 0 ? { usage: tokens } : {}) };
	}
}

/** One AG-UI event with its place in the run (its SSE `id`). */
export interface NumberedAgUiEvent {
	id: number;
	event: AgUiEvent;
}

/**
 * Run events as numbered AG-UI events, numbered from 0 in the run; events up to `startingAfter`
 * are left out (a replay after `Last-Event-ID`). The same run events give the same events, ids
 * included, however often they are told.
 */
export function agUiEventStream(context: AgUiRunContext, startingAfter = -1): TransformStream<RunEvent, NumberedAgUiEvent> {
	const mapper = new AgUiEventMapper(context);
	let next = 0;
	const send = (events: AgUiEvent[], controller: TransformStreamDefaultController<NumberedAgUiEvent>) => {
		for (const event of events) {
			const id = next++;
			if (id > startingAfter) controller.enqueue({ id, event });
		}
	};
	return new TransformStream<RunEvent, NumberedAgUiEvent>({
		transform(event, controller) {
			send(mapper.push(event), controller);
		},
		flush(controller) {
			send(mapper.close(), controller);
		}
	});
}
