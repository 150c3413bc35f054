import type { UIMessageChunk } from 'ai';
import { WIDGET_PART_TYPE } from '$lib/widgets/contract';
import type { RunEndReason, RunEvent } from '../../runtime/events';

const finishReasons: Record<Exclude<RunEndReason, 'interrupted'>, 'stop' | 'tool-calls' | 'length'> = {
	completed: 'stop',
	'awaiting-input': 'tool-calls',
	limit: 'length'
};

/** Translates a run event into an AI SDK UI message stream chunk; `undefined` drops it. */
export function toUIMessageChunk(event: RunEvent): UIMessageChunk | undefined {
	switch (event.type) {
		case 'run-start':
			return { type: 'start', messageId: event.messageId };
		case 'step-start':
			return { type: 'start-step' };
		case 'step-end':
			return { type: 'finish-step' };
		case 'text-start':
		case 'text-end':
		case 'reasoning-start':
		case 'reasoning-end':
			return { type: event.type, id: event.id };
		case 'text-delta':
		case 'reasoning-delta':
			return { type: event.type, id: event.id, delta: event.delta };
		case 'tool-call-start':
			return { type: 'tool-input-start', toolCallId: event.toolCallId, toolName: event.toolName };
		case 'tool-call-delta':
			return { type: 'tool-input-delta', toolCallId: event.toolCallId, inputTextDelta: event.inputTextDelta };
		case 'tool-call-ready':
			return {
				type: 'tool-input-available',
				toolCallId: event.toolCallId,
				toolName: event.toolName,
				input: event.input,
				...(event.title ? { title: event.title } : {})
			};
		case 'tool-call-invalid':
			return {
				type: 'tool-input-error',
				toolCallId: event.toolCallId,
				toolName: event.toolName,
				input: event.input,
				errorText: event.errorText
			};
		case 'tool-approval-request':
			return { type: 'tool-approval-request', approvalId: event.approvalId, toolCallId: event.toolCallId };
		case 'tool-output':
			return { type: 'tool-output-available', toolCallId: event.toolCallId, output: event.output };
		case 'tool-error':
			return { type: 'tool-output-error', toolCallId: event.toolCallId, errorText: event.errorText };
		case 'tool-denied':
			return { type: 'tool-output-denied', toolCallId: event.toolCallId };
		case 'widget':
			return { type: WIDGET_PART_TYPE, id: event.id, data: event.widget };
		case 'input-required':
			// The client learns this from the tool parts themselves.
			return undefined;
		case 'run-end':
			if (event.reason === 'interrupted') return { type: 'abort' };
			return { type: 'finish', finishReason: finishReasons[event.reason] };
		case 'run-error':
			return { type: 'error', errorText: event.message };
		default: {
			const unhandled: never = event;
			throw new Error(`Unhandled run event ${JSON.stringify(unhandled)}`);
		}
	}
}
