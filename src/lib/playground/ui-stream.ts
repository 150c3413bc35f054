import {
	appendText,
	appendToolInput,
	approvalOf,
	completeToolInput,
	endAnswer,
	failAnswer,
	field,
	setToolResult,
	upsertTool
} from './answer-state';
import { previewWithout, sseEventParser, stringField } from './event-parsers';
import { randomId } from './random-id';
import { jsonRequest } from './request';
import type {
	AnswerPart,
	AnswerState,
	PendingCall,
	PlaygroundProtocol,
	PlaygroundRequest,
	PlaygroundSession,
	RawEvent,
	UiMessage
} from './types';
import { sessionOfKind } from './session-kind';

type UiSession = Extract<PlaygroundSession, { kind: 'ui-stream' }>;

const uiSession = (session: PlaygroundSession): UiSession => sessionOfKind(session, 'ui-stream');

/** A fresh UI stream session: the client proposes the new task's id, as the AI SDK client does. */
export function newSession(makeId: () => string = randomId): UiSession {
	return { kind: 'ui-stream', taskId: makeId(), messages: [] };
}

/** The body `DefaultChatTransport` posts, plus the agent. */
function chatRequest(session: UiSession, agentSlug: string, messages: UiMessage[], messageId?: string): PlaygroundRequest {
	return jsonRequest('/api/chat', {
		id: session.taskId,
		messages,
		trigger: 'submit-message',
		...(messageId ? { messageId } : {}),
		agentId: agentSlug
	});
}

/**
 * `POST /api/chat` with the history the client knows and the new user message last; the server
 * keeps its own copy and takes only what is new.
 */
export const buildRequest: PlaygroundProtocol['buildRequest'] = ({ agent, text, session, makeId = randomId }) => {
	const current = uiSession(session);
	const user: UiMessage = { id: makeId(), role: 'user', parts: [{ type: 'text', text }] };
	const messages = [...current.messages, user];
	return { request: chatRequest(current, agent.slug, messages), session: { ...current, messages } };
};

/** A parser for the UI message stream: `data: {"type": …}` events, `[DONE]` last. */
export function createParser() {
	return sseEventParser((_message, data) => ({
		type: stringField(data, 'type') ?? 'message',
		data,
		preview: previewWithout(data, ['type'])
	}));
}

const finishStatus: Record<string, 'completed' | 'requires-action' | 'error'> = {
	'tool-calls': 'requires-action',
	error: 'error'
};

/** The rendered answer after one UI message stream chunk. */
export function applyEvent(state: AnswerState, event: RawEvent): AnswerState {
	const chunk = event.data;
	const id = stringField(chunk, 'id') ?? '';
	const toolCallId = stringField(chunk, 'toolCallId') ?? '';
	switch (event.type) {
		case 'start': {
			const messageId = stringField(chunk, 'messageId');
			return messageId ? { ...state, messageId } : state;
		}
		case 'text-start':
			return appendText(state, 'text', '', `text:${id}`);
		case 'text-delta':
			return appendText(state, 'text', stringField(chunk, 'delta') ?? '', `text:${id}`);
		case 'reasoning-start':
			return appendText(state, 'reasoning', '', `reasoning:${id}`);
		case 'reasoning-delta':
			return appendText(state, 'reasoning', stringField(chunk, 'delta') ?? '', `reasoning:${id}`);
		case 'finish-step': {
			// The next step may reuse the same text ids for new parts.
			const keys = Object.fromEntries(
				Object.entries(state.keys).filter(([key]) => !key.startsWith('text:') && !key.startsWith('reasoning:'))
			);
			return { ...state, keys };
		}
		case 'tool-input-start':
			return upsertTool(state, toolCallId, { toolName: stringField(chunk, 'toolName') ?? '' });
		case 'tool-input-delta':
			return appendToolInput(state, toolCallId, stringField(chunk, 'inputTextDelta') ?? '');
		case 'tool-input-available':
			return completeToolInput(state, toolCallId, {
				toolName: stringField(chunk, 'toolName') ?? '',
				input: field(chunk, 'input')
			});
		case 'tool-input-error':
			return completeToolInput(state, toolCallId, {
				toolName: stringField(chunk, 'toolName') ?? '',
				input: field(chunk, 'input'),
				state: 'output-error',
				errorText: stringField(chunk, 'errorText') ?? 'The input was invalid.'
			});
		case 'tool-approval-request':
			return upsertTool(state, toolCallId, {
				state: 'approval-requested',
				approvalId: stringField(chunk, 'approvalId') ?? ''
			});
		case 'tool-output-available':
			return setToolResult(state, toolCallId, { output: field(chunk, 'output') });
		case 'tool-output-error':
			return setToolResult(state, toolCallId, { errorText: stringField(chunk, 'errorText') ?? 'The tool failed.' });
		case 'tool-output-denied':
			return upsertTool(state, toolCallId, { state: 'output-denied' });
		case 'finish': {
			const finishReason = stringField(chunk, 'finishReason') ?? 'stop';
			return endAnswer(state, finishStatus[finishReason] ?? 'completed', { finishReason });
		}
		case 'abort':
			return endAnswer(state, 'interrupted', { finishReason: 'abort' });
		case 'error':
			return failAnswer(state, stringField(chunk, 'errorText') ?? 'The answer failed.');
		default:
			return state;
	}
}

/** A rendered part as the AI SDK's message part, as the client would send it back. */
function toUiPart(part: AnswerPart): Record<string, unknown> | undefined {
	switch (part.type) {
		case 'text':
		case 'reasoning':
			return { type: part.type, text: part.text, state: 'done' };
		case 'tool':
			return {
				type: `tool-${part.toolName}`,
				toolCallId: part.toolCallId,
				state: part.state === 'executed' ? 'output-available' : part.state,
				input: part.input,
				...(part.state === 'output-available' ? { output: part.output } : {}),
				...(part.errorText !== undefined ? { errorText: part.errorText } : {}),
				...(part.approvalId ? { approval: { id: part.approvalId } } : {})
			};
		case 'note':
			return undefined;
	}
}

/**
 * Adds the answer to the history: a new assistant message, or, when the stream continued the
 * last one (same `start.messageId`), its new parts appended to it, as the AI SDK client does.
 */
export const afterResponse: PlaygroundProtocol['afterResponse'] = (session, { answer }) => {
	const current = uiSession(session);
	if (!answer.messageId) return current;
	const parts = answer.parts.map(toUiPart).filter((part): part is Record<string, unknown> => part !== undefined);
	const last = current.messages.at(-1);
	if (last?.role === 'assistant' && last.id === answer.messageId) {
		return { ...current, messages: [...current.messages.slice(0, -1), { ...last, parts: [...last.parts, ...parts] }] };
	}
	return { ...current, messages: [...current.messages, { id: answer.messageId, role: 'assistant', parts }] };
};

/** A tool part of the last answer with the caller's output (or approval answer) filled in. */
function answeredPart(part: Record<string, unknown>, call: PendingCall, output: unknown): Record<string, unknown> {
	if (part.toolCallId !== call.toolCallId) return part;
	const approval = call.approvalId ? approvalOf(output) : undefined;
	if (call.approvalId && approval) {
		return { ...part, state: 'approval-responded', approval: { id: call.approvalId, ...approval } };
	}
	return { ...part, state: 'output-available', output };
}

/**
 * The continuation the AI SDK client sends once a client tool's output is added: the same
 * history, the last assistant message's tool part now `output-available` (or
 * `approval-responded`), and `messageId` naming that message, which the answer continues.
 */
export const continuation: PlaygroundProtocol['continuation'] = ({ agent, session, call, output }) => {
	const current = uiSession(session);
	const last = current.messages.at(-1);
	if (!last || last.role !== 'assistant') return null;
	const updated: UiMessage = { ...last, parts: last.parts.map((part) => answeredPart(part, call, output)) };
	const messages = [...current.messages.slice(0, -1), updated];
	return { request: chatRequest(current, agent.slug, messages, last.id), session: { ...current, messages } };
};

/** Closing the stream does not stop a run of the app's own chat: `POST /api/chat/{id}/stop` does. */
export function stopRequest(session: PlaygroundSession): PlaygroundRequest {
	return { method: 'POST', url: `/api/chat/${encodeURIComponent(uiSession(session).taskId)}/stop`, headers: {}, body: { kind: 'none' } };
}

/** The app's own chat stream (AI SDK UI message stream). */
export const uiStreamProtocol: PlaygroundProtocol = {
	info: {
		id: 'ui-stream',
		label: 'UI message stream',
		endpoint: 'POST /api/chat',
		description: 'The AI SDK v6 UI message stream the app’s own chat uses: SSE chunks typed by `type`, `[DONE]` last.',
		sessionName: 'task',
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
