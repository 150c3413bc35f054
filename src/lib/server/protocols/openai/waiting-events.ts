import type { PendingToolCall, RunEvent } from '../../runtime/events';
import type { ToolPart } from '../../runtime/message-parts';

/**
 * A finished "run" that only says which calls still wait: nothing ran, since not all were
 * answered. Read as any answer's events.
 */
export function waitingEvents(taskId: string, model: string, messageId: string, pending: ToolPart[]): ReadableStream<RunEvent> {
	const toolCalls: PendingToolCall[] = pending.map((part) => ({
		toolCallId: part.toolCallId,
		toolName: part.type.slice('tool-'.length),
		input: part.input,
		...(part.approval ? { approvalId: part.approval.id } : {})
	}));
	const usage = { inputTokens: 0, outputTokens: 0 };
	const events: RunEvent[] = [
		{ type: 'run-start', taskId, messageId, model },
		{ type: 'input-required', toolCalls },
		{ type: 'run-end', reason: 'awaiting-input', usage }
	];
	return new ReadableStream<RunEvent>({
		start(controller) {
			for (const event of events) controller.enqueue(event);
			controller.close();
		}
	});
}
