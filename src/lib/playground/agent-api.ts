import {
	appendText,
	appendToolInput,
	completeToolInput,
	endAnswer,
	failAnswer,
	field,
	pushPart,
	toolKey,
	upsertTool
} from './answer-state';
import { previewWithout, sseEventParser, stringField } from './event-parsers';
import { tryJson } from './try-json';
import { jsonRequest } from './request';
import { newTaskSession, taskSession } from './task-session';
import type { AnswerState, PendingCall, PlaygroundProtocol, RawEvent } from './types';

/** `POST /api/agent/stream/` with the message, and the session to continue once there is one. */
export const buildRequest: PlaygroundProtocol['buildRequest'] = ({ agent, text, session }) => {
	const current = taskSession(session);
	const body = { agent_id: agent.slug, message: text, ...(current.taskId ? { session_id: current.taskId } : {}) };
	return { request: jsonRequest('/api/agent/stream/', body), session: current };
};

/** A parser for the agent API: named SSE events; `openai_event` is detailed by its Responses type. */
export function createParser() {
	return sseEventParser((message, data) => {
		const type = message.event ?? 'message';
		return type === 'openai_event'
			? { type, detail: stringField(data, 'type'), data, preview: previewWithout(data, ['type', 'sequence_number']) }
			: { type, data };
	});
}

/** The key of the text part that `text_delta` events currently add to. */
const CURRENT_TEXT = 'text:current';

const statusOf: Record<string, 'completed' | 'requires-action' | 'interrupted' | 'error'> = {
	completed: 'completed',
	requires_action: 'requires-action',
	interrupted: 'interrupted',
	error: 'error'
};

/** A call of `tool_call`/`done` (`{call_id, name, arguments, requires_approval}`) as a pending call. */
function pendingCallOf(raw: unknown): PendingCall | undefined {
	const toolCallId = stringField(raw, 'call_id');
	if (!toolCallId) return undefined;
	const argumentsText = stringField(raw, 'arguments') ?? '';
	return {
		toolCallId,
		toolName: stringField(raw, 'name') ?? '',
		input: tryJson(argumentsText) ?? argumentsText,
		argumentsText,
		requiresApproval: field(raw, 'requires_approval') === true
	};
}

/**
 * Tool calls of the previous step that still look waiting: a new step means the server ran them
 * (the agent API streams no tool results).
 */
function markExecuted(state: AnswerState): AnswerState {
	if (!state.parts.some((part) => part.type === 'tool' && part.state === 'input-available')) return state;
	return {
		...state,
		parts: state.parts.map((part) => (part.type === 'tool' && part.state === 'input-available' ? { ...part, state: 'executed' } : part))
	};
}

/**
 * One OpenAI Responses stream event applied to the answer (the agent API's `openai_event`; the
 * `/v1/responses` face reads its own text, tools and ends, and the rest through this).
 */
export function applyResponsesEvent(state: AnswerState, event: unknown): AnswerState {
	const item = field(event, 'item');
	const itemId = stringField(event, 'item_id') ?? '';
	switch (stringField(event, 'type')) {
		case 'response.created': {
			const sessionId = stringField(field(field(event, 'response'), 'metadata'), 'session_id');
			return markExecuted(sessionId ? { ...state, taskId: sessionId } : state);
		}
		case 'response.output_item.added': {
			const id = stringField(item, 'id') ?? '';
			switch (stringField(item, 'type')) {
				case 'message': {
					const next = pushPart(state, { type: 'text', text: '' }, `item:${id}`);
					return { ...next, keys: { ...next.keys, [CURRENT_TEXT]: next.parts.length - 1 } };
				}
				case 'reasoning':
					return pushPart(state, { type: 'reasoning', text: '' }, `item:${id}`);
				case 'function_call': {
					const callId = stringField(item, 'call_id') ?? id;
					const next = upsertTool(state, callId, { toolName: stringField(item, 'name') ?? '' });
					return { ...next, keys: { ...next.keys, [`item:${id}`]: next.keys[toolKey(callId)] } };
				}
				default:
					return state;
			}
		}
		case 'response.reasoning_summary_text.delta':
			return appendText(state, 'reasoning', stringField(event, 'delta') ?? '', `item:${itemId}`);
		case 'response.function_call_arguments.delta': {
			const part = state.parts[state.keys[`item:${itemId}`] ?? -1];
			return part?.type === 'tool' ? appendToolInput(state, part.toolCallId, stringField(event, 'delta') ?? '') : state;
		}
		case 'response.output_item.done': {
			if (stringField(item, 'type') !== 'function_call') return state;
			const callId = stringField(item, 'call_id') ?? '';
			return completeToolInput(state, callId, {
				toolName: stringField(item, 'name') ?? '',
				inputText: stringField(item, 'arguments') ?? ''
			});
		}
		case 'response.failed':
			return failAnswer(state, stringField(field(field(event, 'response'), 'error'), 'message') ?? 'The response failed.');
		case 'error':
			return failAnswer(state, stringField(event, 'message') ?? 'The response failed.');
		default:
			// Text comes from `text_delta`, the protocol's own text events.
			return state;
	}
}

/** The rendered answer after one agent API event. */
export function applyEvent(state: AnswerState, event: RawEvent): AnswerState {
	const data = event.data;
	switch (event.type) {
		case 'openai_event':
			return applyResponsesEvent(state, data);
		case 'text_delta':
			return appendText(state, 'text', stringField(data, 'delta') ?? '', CURRENT_TEXT);
		case 'tool_call': {
			const call = pendingCallOf(data);
			if (!call) return state;
			return completeToolInput(state, call.toolCallId, {
				toolName: call.toolName,
				inputText: call.argumentsText,
				state: call.requiresApproval ? 'approval-requested' : 'input-available'
			});
		}
		case 'error':
			return failAnswer(state, stringField(data, 'message') ?? 'The run failed.');
		case 'done': {
			const status = statusOf[stringField(data, 'status') ?? ''] ?? 'completed';
			const pendingRaw = field(data, 'pending_tool_calls');
			const pending = (Array.isArray(pendingRaw) ? pendingRaw : []).flatMap((raw) => pendingCallOf(raw) ?? []);
			const ended = {
				...state,
				taskId: stringField(data, 'session_id') ?? state.taskId,
				messageId: stringField(data, 'message_id') ?? state.messageId
			};
			if (status === 'error') return { ...ended, status: 'error', error: ended.error ?? 'The run failed.', pending: [] };
			return endAnswer(ended, status, { finishReason: stringField(data, 'status'), pending });
		}
		default:
			return state;
	}
}

/** The session once the answer named it (`done.session_id`). */
export const afterResponse: PlaygroundProtocol['afterResponse'] = (session, { answer }) => {
	const current = taskSession(session);
	return answer.taskId ? { ...current, taskId: answer.taskId } : current;
};

/** `POST /api/agent/tool-output/` with the session, the call and its output. */
export const continuation: PlaygroundProtocol['continuation'] = ({ session, call, output }) => {
	const current = taskSession(session);
	if (!current.taskId) return null;
	const body = { session_id: current.taskId, call_id: call.toolCallId, output };
	return { request: jsonRequest('/api/agent/tool-output/', body), session: current };
};

/** The Django agent platform's interface. */
export const agentApiProtocol: PlaygroundProtocol = {
	info: {
		id: 'agent-api',
		label: 'Agent API',
		endpoint: 'POST /api/agent/stream/',
		description: 'Named SSE events: `openai_event` (Responses events), `text_delta`, `tool_call`, `error`, and `done` last.',
		sessionName: 'session_id',
		continues: true
	},
	newSession: newTaskSession,
	buildRequest,
	createParser,
	applyEvent,
	continuation,
	afterResponse
};
