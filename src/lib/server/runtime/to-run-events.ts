/** The translation of the AI SDK's full stream into run events, one stream part at a time. */
import type { TextStreamPart, ToolSet } from 'ai';
import type { RunEvent } from './events';

/** Translates one part of the AI SDK's full stream into run events. */
export function toRunEvents(part: TextStreamPart<ToolSet>, tools: ToolSet): RunEvent[] {
	switch (part.type) {
		case 'start-step':
			return [{ type: 'step-start' }];
		case 'text-start':
		case 'text-end':
		case 'reasoning-start':
		case 'reasoning-end':
			return [{ type: part.type, id: part.id }];
		case 'text-delta':
		case 'reasoning-delta':
			return [{ type: part.type, id: part.id, delta: part.text }];
		case 'tool-input-start':
			return [{ type: 'tool-call-start', toolCallId: part.id, toolName: part.toolName }];
		case 'tool-input-delta':
			return [{ type: 'tool-call-delta', toolCallId: part.id, inputTextDelta: part.delta }];
		case 'tool-call':
			if (part.invalid) {
				return [
					{
						type: 'tool-call-invalid',
						toolCallId: part.toolCallId,
						toolName: part.toolName,
						input: part.input,
						errorText: errorText(part.error)
					}
				];
			}
			return [
				{
					type: 'tool-call-ready',
					toolCallId: part.toolCallId,
					toolName: part.toolName,
					input: part.input,
					clientExecuted: !tools[part.toolName]?.execute,
					...(part.title ? { title: part.title } : {})
				}
			];
		case 'tool-result':
			if (part.preliminary) return [];
			return [{ type: 'tool-output', toolCallId: part.toolCallId, output: part.output }];
		case 'tool-error':
			return [{ type: 'tool-error', toolCallId: part.toolCallId, errorText: errorText(part.error) }];
		case 'tool-output-denied':
			return [{ type: 'tool-denied', toolCallId: part.toolCallId }];
		case 'tool-approval-request':
			return [{ type: 'tool-approval-request', toolCallId: part.toolCall.toolCallId, approvalId: part.approvalId }];
		default:
			return [];
	}
}

/** The message of a tool error, which the model and the user both see. */
function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
