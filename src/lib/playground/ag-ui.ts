import {
	appendText,
	approvalOf,
	asText,
	completeToolInput,
	endAnswer,
	failAnswer,
	field,
	pushPart,
	setToolResult,
	upsertTool,
	appendToolInput
} from './answer-state';
import { previewWithout, sseEventParser, stringField } from './event-parsers';
import { randomId } from './random-id';
import { jsonRequest } from './request';
import { tryJson } from './try-json';
import type { AgentRef, AnswerState, PlaygroundProtocol, PlaygroundRequest, PlaygroundSession, RawEvent } from './types';
import { sessionOfKind } from './session-kind';

type AgUiSession = Extract<PlaygroundSession, { kind: 'ag-ui' }>;

const agUiSession = (session: PlaygroundSession): AgUiSession => sessionOfKind(session, 'ag-ui');

/** A fresh session: a new thread, whose id the client chooses (it becomes the task's). */
export function newSession(makeId: () => string = randomId): AgUiSession {
	return { kind: 'ag-ui', taskId: makeId(), agent: null, runId: null };
}

/** A run on the session's thread: `RunAgentInput` with a new run id and the messages that are new. */
function runRequest(
	agent: AgentRef,
	session: AgUiSession,
	body: { messages: unknown[]; resume?: unknown[] },
	makeId: () => string
): { request: PlaygroundRequest; session: AgUiSession } {
	const runId = `run_${makeId()}`;
	const request = jsonRequest(
		`/ag-ui/${encodeURIComponent(agent.slug)}`,
		{ threadId: session.taskId, runId, messages: body.messages, tools: [], context: [], ...(body.resume ? { resume: body.resume } : {}) },
		{ accept: 'text/event-stream' }
	);
	return { request, session: { ...session, agent: agent.slug, runId } };
}

/** `POST /ag-ui/{agent}` with the new user message: the server keeps the thread's history. */
export const buildRequest: PlaygroundProtocol['buildRequest'] = ({ agent, text, session, makeId = randomId }) =>
	runRequest(agent, agUiSession(session), { messages: [{ id: `msg_${makeId()}`, role: 'user', content: text }] }, makeId);

/** A parser for AG-UI events: each SSE event's data is the event, typed by `type`; its `id:` is shown as the detail. */
export function createParser() {
	return sseEventParser((message, data) => ({
		type: stringField(data, 'type') ?? 'message',
		...(message.id !== undefined ? { detail: `#${message.id}` } : {}),
		data,
		preview: previewWithout(data, ['type'])
	}));
}

/** The rendered answer after one AG-UI event. */
export function applyEvent(state: AnswerState, event: RawEvent): AnswerState {
	const data = event.data;
	const messageKey = `message:${stringField(data, 'messageId') ?? ''}`;
	const toolCallId = stringField(data, 'toolCallId') ?? '';
	switch (event.type) {
		case 'RUN_STARTED':
			return { ...state, taskId: stringField(data, 'threadId') ?? state.taskId, messageId: stringField(data, 'runId') ?? state.messageId };
		case 'TEXT_MESSAGE_START':
			return pushPart(state, { type: 'text', text: '' }, messageKey);
		case 'TEXT_MESSAGE_CONTENT':
			return appendText(state, 'text', stringField(data, 'delta') ?? '', messageKey);
		case 'REASONING_MESSAGE_START':
			return pushPart(state, { type: 'reasoning', text: '' }, messageKey);
		case 'REASONING_MESSAGE_CONTENT':
			return appendText(state, 'reasoning', stringField(data, 'delta') ?? '', messageKey);
		case 'TOOL_CALL_START':
			return upsertTool(state, toolCallId, { toolName: stringField(data, 'toolCallName') ?? '' });
		case 'TOOL_CALL_ARGS':
			return appendToolInput(state, toolCallId, stringField(data, 'delta') ?? '');
		case 'TOOL_CALL_END':
			return completeToolInput(state, toolCallId);
		case 'TOOL_CALL_RESULT': {
			const content = stringField(data, 'content') ?? '';
			return setToolResult(state, toolCallId, { output: tryJson(content) ?? content });
		}
		case 'ACTIVITY_SNAPSHOT':
			return pushPart(state, {
				type: 'note',
				text: `Widget: ${stringField(field(data, 'content'), 'type') ?? stringField(data, 'activityType')}`
			});
		case 'RUN_FINISHED':
			return finish({ ...state, ...(field(data, 'usage') !== undefined ? { usage: field(data, 'usage') } : {}) }, field(data, 'outcome'));
		case 'RUN_ERROR':
			return failAnswer(state, stringField(data, 'message') ?? 'The run failed.');
		default:
			return state;
	}
}

/** The answer as `RUN_FINISHED` ends it: approvals wait as interrupts, the caller's calls by id. */
function finish(state: AnswerState, outcome: unknown): AnswerState {
	const type = stringField(outcome, 'type') ?? 'success';
	if (type === 'cancelled') return endAnswer(state, 'interrupted', { finishReason: 'cancelled' });
	if (type === 'interrupt') {
		const interrupts = field(outcome, 'interrupts');
		let next = state;
		for (const interrupt of Array.isArray(interrupts) ? interrupts : []) {
			const callId = stringField(interrupt, 'toolCallId');
			const id = stringField(interrupt, 'id');
			if (callId && id) next = completeToolInput(next, callId, { state: 'approval-requested', approvalId: id });
		}
		return endAnswer(next, 'requires-action', { finishReason: 'interrupt' });
	}
	const pendingIds = field(outcome, 'pendingToolCallIds');
	return Array.isArray(pendingIds) && pendingIds.length > 0
		? endAnswer(state, 'requires-action', { finishReason: 'success' })
		: endAnswer(state, 'completed', { finishReason: 'success' });
}

/** The session once a run has ended: its thread, as the stream named it. */
export const afterResponse: PlaygroundProtocol['afterResponse'] = (session, { answer }) => {
	const current = agUiSession(session);
	return { ...current, taskId: answer.taskId ?? current.taskId };
};

/**
 * The next run, answering a pending call: a `tool` message with a call's output, or a `resume`
 * entry answering the interrupt of a call that waits for approval.
 */
export const continuation: PlaygroundProtocol['continuation'] = ({ agent, session, call, output }) => {
	const current = agUiSession(session);
	if (call.requiresApproval) {
		const approval = approvalOf(output) ?? { approved: false };
		const resume = [{ interruptId: call.approvalId ?? call.toolCallId, status: 'resolved', payload: approval }];
		return runRequest(agent, current, { messages: [], resume }, randomId);
	}
	const message = { id: `msg_${randomId()}`, role: 'tool', toolCallId: call.toolCallId, content: asText(output) };
	return runRequest(agent, current, { messages: [message] }, randomId);
};

/** Runs go on when the reader goes: stopping asks the server to cancel the run. */
export function stopRequest(session: PlaygroundSession): PlaygroundRequest | null {
	const { agent, runId } = agUiSession(session);
	if (!agent || !runId) return null;
	return {
		method: 'POST',
		url: `/ag-ui/${encodeURIComponent(agent)}/runs/${encodeURIComponent(runId)}/cancel`,
		headers: {},
		body: { kind: 'none' }
	};
}

/** AG-UI: the event protocol of agent front ends (CopilotKit, `@ag-ui/client`'s `HttpAgent`). */
export const agUiProtocol: PlaygroundProtocol = {
	info: {
		id: 'ag-ui',
		label: 'AG-UI',
		endpoint: 'POST /ag-ui/{agent}',
		description:
			'AG-UI 1.0 events (`RUN_STARTED`, `TEXT_MESSAGE_CONTENT`, `TOOL_CALL_START`, … `RUN_FINISHED`), one per SSE event with its `id:`; the thread is the task, and runs go on when the page goes.',
		sessionName: 'threadId',
		continues: true
	},
	newSession,
	buildRequest,
	createParser,
	applyEvent,
	continuation,
	afterResponse,
	stopRequest
};
