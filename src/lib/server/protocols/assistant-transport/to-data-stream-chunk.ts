import type { RunEndReason, RunEvent, RunUsage } from '../../runtime/events';
import { DENIED_RESULT } from './state-message';
import type { StateOperation } from './state-operations';
import type { ChunkContext } from './stream-context';
import { isObject } from '../../../is-object';

/** Why a step or a message finished, in the data stream's words. */
export type FinishReason = 'stop' | 'length' | 'tool-calls' | 'other';

/** Token counts as the data stream carries them (0 when unknown). */
export interface StreamUsage {
	inputTokens: number;
	outputTokens: number;
}

/**
 * One line of assistant-stream's data stream format (`<code>:<JSON>`), as its `DataStreamDecoder`
 * reads it: AI SDK v4 data stream codes plus assistant-ui's `aui-` extensions.
 */
export type DataStreamChunk =
	| { code: '0'; value: string }
	| { code: 'g'; value: string }
	| { code: '3'; value: string }
	| { code: 'b'; value: { toolCallId: string; toolName: string } }
	| { code: 'c'; value: { toolCallId: string; argsTextDelta: string } }
	| { code: '9'; value: { toolCallId: string; toolName: string; args: Record<string, unknown> } }
	| { code: 'a'; value: { toolCallId: string; result: unknown; isError?: true } }
	| { code: 'f'; value: { messageId: string } }
	| { code: '2'; value: unknown[] }
	| { code: 'e'; value: { finishReason: FinishReason; usage: StreamUsage; isContinued: false } }
	| { code: 'd'; value: { finishReason: FinishReason; usage: StreamUsage } }
	| { code: 'aui-tool-call-approval'; value: { toolCallId: string; approval: { id: string } } }
	| { code: 'aui-state'; value: StateOperation[] };

/** The finish reason of a message, by why its run ended. */
export const finishReasons: Record<RunEndReason, FinishReason> = {
	completed: 'stop',
	'awaiting-input': 'tool-calls',
	limit: 'length',
	interrupted: 'other'
};

/** Token counts with unknown ones as 0, as assistant-stream expects numbers. */
export function streamUsage(usage: RunUsage): StreamUsage {
	return { inputTokens: usage.inputTokens ?? 0, outputTokens: usage.outputTokens ?? 0 };
}

/**
 * Translates a run event into data stream lines; an empty list drops it. Text and reasoning need
 * no start or end (`0:`/`g:` append to the current part); a finished tool call is a `9:` line,
 * which opens the call when it streamed no `b:` before and closes its arguments otherwise. Results
 * of calls opened by an earlier request are left to the state, since the decoder refuses a result
 * for a call it has not seen.
 */
export function toDataStreamChunks(event: RunEvent, context: ChunkContext): DataStreamChunk[] {
	switch (event.type) {
		case 'run-start':
		case 'text-start':
		case 'text-end':
		case 'reasoning-start':
		case 'reasoning-end':
		case 'input-required':
			return [];
		case 'widget':
			return [{ code: '2', value: [{ type: 'widget', id: event.id, widget: event.widget }] }];
		case 'step-start':
			return [{ code: 'f', value: { messageId: context.messageId } }];
		case 'text-delta':
			return [{ code: '0', value: event.delta }];
		case 'reasoning-delta':
			return [{ code: 'g', value: event.delta }];
		case 'tool-call-start':
			return [{ code: 'b', value: { toolCallId: event.toolCallId, toolName: event.toolName } }];
		case 'tool-call-delta':
			if (context.partIndex === undefined) return [];
			return [{ code: 'c', value: { toolCallId: event.toolCallId, argsTextDelta: event.inputTextDelta } }];
		case 'tool-call-ready':
			return [
				{
					code: '9',
					value: {
						toolCallId: event.toolCallId,
						toolName: event.toolName,
						args: isObject(event.input) ? event.input : {}
					}
				}
			];
		case 'tool-call-invalid': {
			const result: DataStreamChunk = {
				code: 'a',
				value: { toolCallId: event.toolCallId, result: event.errorText, isError: true }
			};
			if (!context.opensPart) return [result];
			return [{ code: 'b', value: { toolCallId: event.toolCallId, toolName: event.toolName } }, result];
		}
		case 'tool-approval-request':
			if (context.partIndex === undefined) return [];
			return [{ code: 'aui-tool-call-approval', value: { toolCallId: event.toolCallId, approval: { id: event.approvalId } } }];
		case 'tool-output':
			if (context.partIndex === undefined) return [];
			return [{ code: 'a', value: { toolCallId: event.toolCallId, result: event.output ?? null } }];
		case 'tool-error':
			if (context.partIndex === undefined) return [];
			return [{ code: 'a', value: { toolCallId: event.toolCallId, result: event.errorText, isError: true } }];
		case 'tool-denied':
			if (context.partIndex === undefined) return [];
			return [{ code: 'a', value: { toolCallId: event.toolCallId, result: DENIED_RESULT, isError: true } }];
		case 'step-end':
			return [
				{
					code: 'e',
					value: {
						finishReason: context.stepCalledTools ? 'tool-calls' : 'stop',
						usage: streamUsage(event.usage),
						isContinued: false
					}
				}
			];
		case 'run-end':
			return [{ code: 'd', value: { finishReason: finishReasons[event.reason], usage: streamUsage(event.usage) } }];
		case 'run-error':
			return [{ code: '3', value: event.message }];
		default: {
			const unhandled: never = event;
			throw new Error(`Unhandled run event ${JSON.stringify(unhandled)}`);
		}
	}
}

/** One data stream line, newline included. */
export function formatDataStreamLine(chunk: DataStreamChunk): string {
	return `${chunk.code}:${JSON.stringify(chunk.value)}\n`;
}
