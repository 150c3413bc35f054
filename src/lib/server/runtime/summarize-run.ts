import type { PendingToolCall, RunEndReason, RunEvent, RunUsage } from './events';
import { TextJoiner } from './text-joiner';

/** A tool call made during a run, with how it ended. */
export interface RunToolCall {
	toolCallId: string;
	toolName: string;
	input: unknown;
	state: 'pending' | 'output' | 'error' | 'denied' | 'awaiting-approval';
	output?: unknown;
	errorText?: string;
}

/** What a whole run produced, for faces that answer once rather than stream. */
export interface RunSummary {
	taskId: string;
	messageId: string;
	model: string;
	/** The answer's text: the texts of its steps joined as the chat shows them (see `TextJoiner`). */
	text: string;
	reasoning: string;
	toolCalls: RunToolCall[];
	/** Calls the caller must answer before the run can go on. */
	pendingToolCalls: PendingToolCall[];
	endReason: RunEndReason | 'error';
	error?: string;
	usage: RunUsage;
}

/** Reads a run's events to the end and sums them up. */
export async function summarizeRun(events: ReadableStream<RunEvent>): Promise<RunSummary> {
	const summary: RunSummary = {
		taskId: '',
		messageId: '',
		model: '',
		text: '',
		reasoning: '',
		toolCalls: [],
		pendingToolCalls: [],
		endReason: 'interrupted',
		usage: { inputTokens: undefined, outputTokens: undefined }
	};
	const call = (toolCallId: string) => summary.toolCalls.find((candidate) => candidate.toolCallId === toolCallId);
	const joiner = new TextJoiner();
	for await (const event of events) {
		summary.text += joiner.textOf(event) ?? '';
		switch (event.type) {
			case 'run-start':
				Object.assign(summary, { taskId: event.taskId, messageId: event.messageId, model: event.model });
				break;
			case 'reasoning-delta':
				summary.reasoning += event.delta;
				break;
			case 'tool-call-ready':
			case 'tool-call-invalid':
				summary.toolCalls.push({
					toolCallId: event.toolCallId,
					toolName: event.toolName,
					input: event.input,
					state: event.type === 'tool-call-invalid' ? 'error' : 'pending',
					...(event.type === 'tool-call-invalid' ? { errorText: event.errorText } : {})
				});
				break;
			case 'tool-approval-request':
				Object.assign(call(event.toolCallId) ?? {}, { state: 'awaiting-approval' });
				break;
			case 'tool-output':
				Object.assign(call(event.toolCallId) ?? {}, { state: 'output', output: event.output });
				break;
			case 'tool-error':
				Object.assign(call(event.toolCallId) ?? {}, { state: 'error', errorText: event.errorText });
				break;
			case 'tool-denied':
				Object.assign(call(event.toolCallId) ?? {}, { state: 'denied' });
				break;
			case 'input-required':
				summary.pendingToolCalls = event.toolCalls;
				break;
			case 'run-end':
				summary.endReason = event.reason;
				summary.usage = event.usage;
				break;
			case 'run-error':
				summary.endReason = 'error';
				summary.error = event.message;
				break;
			default:
				break;
		}
	}
	return summary;
}
