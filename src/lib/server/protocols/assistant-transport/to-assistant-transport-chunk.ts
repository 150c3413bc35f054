import type { RunEvent } from '../../runtime/events';
import { DENIED_RESULT } from './state-message';
import type { StateOperation } from './state-operations';
import type { ChunkContext } from './stream-context';
import { finishReasons, streamUsage, type FinishReason, type StreamUsage } from './to-data-stream-chunk';
import { isObject } from '../../../is-object';

/**
 * One chunk of assistant-stream's SSE format (`AssistantStreamChunk`). `path` addresses a part of
 * the streamed message by its index; chunks about the whole message carry `path: []`.
 */
export type AssistantTransportChunk =
	| { type: 'data'; path: []; data: unknown[] }
	| {
			type: 'part-start';
			path: [];
			part: { type: 'text' } | { type: 'reasoning' } | { type: 'tool-call'; toolCallId: string; toolName: string };
	  }
	| { type: 'text-delta'; path: [number]; textDelta: string }
	| { type: 'part-finish'; path: [number] }
	| { type: 'tool-call-args-text-finish'; path: [number] }
	| { type: 'tool-call-approval'; path: [number]; approval: { id: string } }
	| { type: 'result'; path: [number]; result: unknown; isError: boolean }
	| { type: 'step-start'; path: []; messageId: string }
	| { type: 'step-finish'; path: []; finishReason: FinishReason; usage: StreamUsage; isContinued: false }
	| { type: 'message-finish'; path: []; finishReason: FinishReason; usage: StreamUsage }
	| { type: 'error'; path: []; error: string }
	| { type: 'update-state'; path: []; operations: StateOperation[] };

/** A result chunk for the part at `index`, when the part was opened in this stream. */
function resultAt(index: number | undefined, result: unknown, isError: boolean): AssistantTransportChunk[] {
	return index === undefined ? [] : [{ type: 'result', path: [index], result, isError }];
}

/**
 * Translates a run event into assistant-transport chunks; an empty list drops it. A tool call
 * first seen finished (no `tool-call-start`) is opened and given its arguments in one go; results
 * of calls opened by an earlier request have no part to address and are left to the state.
 */
export function toAssistantTransportChunks(event: RunEvent, context: ChunkContext): AssistantTransportChunk[] {
	const index = context.partIndex;
	switch (event.type) {
		case 'run-start':
		case 'input-required':
			return [];
		case 'widget':
			return [{ type: 'data', path: [], data: [{ type: 'widget', id: event.id, widget: JSON.parse(JSON.stringify(event.widget)) }] }];
		case 'step-start':
			return [{ type: 'step-start', path: [], messageId: context.messageId }];
		case 'text-start':
		case 'reasoning-start':
			return [{ type: 'part-start', path: [], part: { type: event.type === 'text-start' ? 'text' : 'reasoning' } }];
		case 'text-delta':
		case 'reasoning-delta':
			return index === undefined ? [] : [{ type: 'text-delta', path: [index], textDelta: event.delta }];
		case 'text-end':
		case 'reasoning-end':
			return index === undefined ? [] : [{ type: 'part-finish', path: [index] }];
		case 'tool-call-start':
			return [{ type: 'part-start', path: [], part: { type: 'tool-call', toolCallId: event.toolCallId, toolName: event.toolName } }];
		case 'tool-call-delta':
			return index === undefined ? [] : [{ type: 'text-delta', path: [index], textDelta: event.inputTextDelta }];
		case 'tool-call-ready': {
			if (index === undefined) return [];
			const chunks: AssistantTransportChunk[] = [];
			if (context.opensPart) {
				chunks.push({
					type: 'part-start',
					path: [],
					part: { type: 'tool-call', toolCallId: event.toolCallId, toolName: event.toolName }
				});
			}
			if (!context.argsStreamed) {
				chunks.push({
					type: 'text-delta',
					path: [index],
					textDelta: JSON.stringify(isObject(event.input) ? event.input : {})
				});
			}
			chunks.push({ type: 'tool-call-args-text-finish', path: [index] });
			return chunks;
		}
		case 'tool-call-invalid': {
			if (index === undefined) return [];
			const result = resultAt(index, event.errorText, true);
			if (!context.opensPart) return result;
			return [
				{ type: 'part-start', path: [], part: { type: 'tool-call', toolCallId: event.toolCallId, toolName: event.toolName } },
				...result
			];
		}
		case 'tool-approval-request':
			return index === undefined ? [] : [{ type: 'tool-call-approval', path: [index], approval: { id: event.approvalId } }];
		case 'tool-output':
			return resultAt(index, event.output ?? null, false);
		case 'tool-error':
			return resultAt(index, event.errorText, true);
		case 'tool-denied':
			return resultAt(index, DENIED_RESULT, true);
		case 'step-end':
			return [
				{
					type: 'step-finish',
					path: [],
					finishReason: context.stepCalledTools ? 'tool-calls' : 'stop',
					usage: streamUsage(event.usage),
					isContinued: false
				}
			];
		case 'run-end':
			return [{ type: 'message-finish', path: [], finishReason: finishReasons[event.reason], usage: streamUsage(event.usage) }];
		case 'run-error':
			return [{ type: 'error', path: [], error: event.message }];
		default: {
			const unhandled: never = event;
			throw new Error(`Unhandled run event ${JSON.stringify(unhandled)}`);
		}
	}
}
