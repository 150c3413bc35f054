import {
	appendToolInput,
	asText,
	completeToolInput,
	endAnswer,
	failAnswer,
	field,
	pushPart,
	setToolResult,
	upsertTool
} from './answer-state';
import {
	applyThreadOperations,
	assistantAfterResponse,
	assistantBuildRequest,
	assistantContinuation,
	statusOfFinish
} from './assistant-request';
import { previewWithout, sseEventParser, stringField } from './event-parsers';
import { newTaskSession } from './task-session';
import type { AnswerState, PlaygroundProtocol, RawEvent } from './types';

/** A parser for assistant-stream's SSE format: `data: {"type": …}` chunks, `[DONE]` last. */
export function createParser() {
	return sseEventParser((_message, data) => ({
		type: stringField(data, 'type') ?? 'message',
		data,
		preview: previewWithout(data, ['type'])
	}));
}

/** The index a chunk's `path: [i]` points at: the i-th part this stream started. */
function pathIndex(chunk: unknown): number | undefined {
	const path = field(chunk, 'path');
	return Array.isArray(path) && typeof path[0] === 'number' ? path[0] : undefined;
}

/** The rendered answer after one assistant-transport chunk. */
export function applyEvent(state: AnswerState, event: RawEvent): AnswerState {
	const chunk = event.data;
	const index = pathIndex(chunk);
	const part = index === undefined ? undefined : state.parts[index];
	switch (event.type) {
		case 'update-state':
			return applyThreadOperations(state, field(chunk, 'operations'));
		case 'part-start': {
			// Parts are numbered in the order they start, which is their order in `parts`.
			const started = field(chunk, 'part');
			const type = stringField(started, 'type');
			if (type === 'text' || type === 'reasoning') return pushPart(state, { type, text: '' });
			if (type === 'tool-call') {
				return upsertTool(state, stringField(started, 'toolCallId') ?? `part-${state.parts.length}`, {
					toolName: stringField(started, 'toolName') ?? ''
				});
			}
			return pushPart(state, { type: 'note', text: `A ${type ?? 'new'} part` });
		}
		case 'text-delta': {
			const delta = stringField(chunk, 'textDelta') ?? '';
			if (index === undefined || !part) return state;
			if (part.type === 'tool') return appendToolInput(state, part.toolCallId, delta);
			if (part.type !== 'text' && part.type !== 'reasoning') return state;
			const parts = state.parts.slice();
			parts[index] = { ...part, text: part.text + delta };
			return { ...state, parts };
		}
		case 'tool-call-args-text-finish':
			return part?.type === 'tool' ? completeToolInput(state, part.toolCallId) : state;
		case 'result': {
			if (part?.type !== 'tool') return state;
			const result = field(chunk, 'result');
			return field(chunk, 'isError') === true
				? setToolResult(state, part.toolCallId, { errorText: asText(result) })
				: setToolResult(state, part.toolCallId, { output: result });
		}
		case 'tool-call-approval':
			return part?.type === 'tool'
				? upsertTool(state, part.toolCallId, {
						state: 'approval-requested',
						approvalId: stringField(field(chunk, 'approval'), 'id') ?? ''
					})
				: state;
		case 'step-start': {
			const messageId = stringField(chunk, 'messageId');
			return messageId ? { ...state, messageId } : state;
		}
		case 'message-finish': {
			const finishReason = stringField(chunk, 'finishReason') ?? 'stop';
			return endAnswer({ ...state, usage: field(chunk, 'usage') }, statusOfFinish(finishReason), { finishReason });
		}
		case 'error':
			return failAnswer(state, stringField(chunk, 'error') ?? 'The answer failed.');
		default:
			return state;
	}
}

/** assistant-ui's assistant transport in its SSE format. */
export const assistantTransportProtocol: PlaygroundProtocol = {
	info: {
		id: 'assistant-transport',
		label: 'Assistant transport (SSE)',
		endpoint: 'POST /assistant?protocol=assistant-transport',
		description:
			'assistant-stream’s SSE format: `update-state`, `part-start`, `text-delta` by part path, `result`, `message-finish`, `[DONE]` last.',
		sessionName: 'state.taskId',
		continues: true
	},
	newSession: newTaskSession,
	buildRequest: assistantBuildRequest('assistant-transport'),
	createParser,
	applyEvent,
	continuation: assistantContinuation('assistant-transport'),
	afterResponse: assistantAfterResponse
};
