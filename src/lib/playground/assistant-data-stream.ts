import {
	appendText,
	appendToolInput,
	asText,
	completeToolInput,
	endAnswer,
	failAnswer,
	field,
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
import { lineEventParser, stringField } from './event-parsers';
import { tryJson } from './try-json';
import { newTaskSession } from './task-session';
import type { AnswerState, PlaygroundProtocol, RawEvent } from './types';

/** What each data stream code means, shown beside it. */
export const DATA_STREAM_CODES: Record<string, string> = {
	'0': 'text',
	g: 'reasoning',
	b: 'tool call start',
	c: 'tool args delta',
	'9': 'tool call',
	a: 'tool result',
	'3': 'error',
	f: 'step start',
	e: 'step finish',
	d: 'message finish',
	'aui-state': 'state operations',
	'aui-tool-call-approval': 'approval request'
};

/**
 * A parser for assistant-stream's data stream: one `code:JSON` line per event, typed by its
 * code. The code is what comes before the first colon (`aui-state` included).
 */
export function createParser() {
	return lineEventParser((line) => {
		const colon = line.indexOf(':');
		if (colon < 0) return { type: 'unknown', payload: line };
		const type = line.slice(0, colon);
		const payload = line.slice(colon + 1);
		return { type, detail: DATA_STREAM_CODES[type], payload, data: tryJson(payload) };
	});
}

/** The rendered answer after one data stream line. */
export function applyEvent(state: AnswerState, event: RawEvent): AnswerState {
	const value = event.data;
	const toolCallId = stringField(value, 'toolCallId') ?? '';
	switch (event.type) {
		case 'aui-state':
			return applyThreadOperations(state, value);
		case '0':
			return typeof value === 'string' ? appendText(state, 'text', value) : state;
		case 'g':
			return typeof value === 'string' ? appendText(state, 'reasoning', value) : state;
		case 'b':
			return upsertTool(state, toolCallId, { toolName: stringField(value, 'toolName') ?? '' });
		case 'c':
			return appendToolInput(state, toolCallId, stringField(value, 'argsTextDelta') ?? '');
		case '9':
			return completeToolInput(state, toolCallId, {
				toolName: stringField(value, 'toolName') ?? '',
				input: field(value, 'args') ?? {}
			});
		case 'a': {
			const result = field(value, 'result');
			return field(value, 'isError') === true
				? setToolResult(state, toolCallId, { errorText: asText(result) })
				: setToolResult(state, toolCallId, { output: result });
		}
		case 'aui-tool-call-approval':
			return upsertTool(state, toolCallId, {
				state: 'approval-requested',
				approvalId: stringField(field(value, 'approval'), 'id') ?? ''
			});
		case 'f': {
			const messageId = stringField(value, 'messageId');
			return messageId ? { ...state, messageId } : state;
		}
		case 'd': {
			const finishReason = stringField(value, 'finishReason') ?? 'stop';
			return endAnswer({ ...state, usage: field(value, 'usage') }, statusOfFinish(finishReason), { finishReason });
		}
		case '3':
			return failAnswer(state, typeof value === 'string' ? value : (stringField(value, 'error') ?? 'The answer failed.'));
		default:
			return state;
	}
}

/** assistant-ui's assistant transport in its default data stream format. */
export const assistantDataStreamProtocol: PlaygroundProtocol = {
	info: {
		id: 'assistant-data-stream',
		label: 'Assistant transport (data stream)',
		endpoint: 'POST /assistant',
		description:
			'assistant-ui’s default format: `code:JSON` lines (`aui-state`, `0` text, `b`/`c`/`9` tool calls, `a` results, `d` finish).',
		sessionName: 'state.taskId',
		continues: true
	},
	newSession: newTaskSession,
	buildRequest: assistantBuildRequest('data-stream'),
	createParser,
	applyEvent,
	continuation: assistantContinuation('data-stream'),
	afterResponse: assistantAfterResponse
};
