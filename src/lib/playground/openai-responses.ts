import { applyResponsesEvent } from './agent-api';
import { appendText, approvalOf, asText, completeToolInput, endAnswer, field, pushPart, setToolResult, upsertTool } from './answer-state';
import { previewWithout, sseEventParser, stringField } from './event-parsers';
import { TASK_ID_HEADER } from './openai-chat';
import { jsonRequest } from './request';
import type { AgentRef, AnswerState, PlaygroundProtocol, PlaygroundRequest, PlaygroundSession, RawEvent } from './types';
import { sessionOfKind } from './session-kind';

type ResponsesSession = Extract<PlaygroundSession, { kind: 'responses' }>;

const responsesSession = (session: PlaygroundSession): ResponsesSession => sessionOfKind(session, 'responses');

/** A fresh session: the first request starts a new conversation. */
export function newSession(): ResponsesSession {
	return { kind: 'responses', taskId: null, previousResponseId: null };
}

/** A streamed `POST /v1/responses` with `input`, continuing the last response once there is one. */
function responseRequest(agent: AgentRef, session: ResponsesSession, input: unknown): PlaygroundRequest {
	return jsonRequest('/v1/responses', {
		model: agent.slug,
		input,
		stream: true,
		...(session.previousResponseId ? { previous_response_id: session.previousResponseId } : {})
	});
}

/** `POST /v1/responses` with the new message as `input`: the server keeps what came before. */
export const buildRequest: PlaygroundProtocol['buildRequest'] = ({ agent, text, session }) => {
	const current = responsesSession(session);
	return { request: responseRequest(agent, current, text), session: current };
};

/** A parser for Responses events: each SSE block's `event:` is its `type`. */
export function createParser() {
	return sseEventParser((message, data) => ({
		type: message.event ?? stringField(data, 'type') ?? 'message',
		data,
		preview: previewWithout(data, ['type', 'sequence_number'])
	}));
}

/** The rendered answer after one Responses event. */
export function applyEvent(state: AnswerState, event: RawEvent): AnswerState {
	const data = event.data;
	const item = field(data, 'item');
	const itemId = stringField(data, 'item_id') ?? '';
	switch (event.type) {
		case 'response.created':
			// The response's id is what the next request continues.
			return { ...state, messageId: stringField(field(data, 'response'), 'id') ?? state.messageId };
		case 'response.output_text.delta':
			return appendText(state, 'text', stringField(data, 'delta') ?? '', `item:${itemId}`);
		case 'response.output_item.added':
			if (stringField(item, 'type') === 'message') return pushPart(state, { type: 'text', text: '' }, `item:${stringField(item, 'id')}`);
			if (stringField(item, 'type') === 'mcp_approval_request') {
				// One of the agent's tools waits for the caller's approval.
				const id = stringField(item, 'id') ?? '';
				return completeToolInput(upsertTool(state, id, { toolName: stringField(item, 'name') ?? '' }), id, {
					inputText: stringField(item, 'arguments') ?? '',
					state: 'approval-requested',
					approvalId: id
				});
			}
			return applyResponsesEvent(state, data);
		case 'response.output_item.done': {
			if (stringField(item, 'type') !== 'mcp_call') return applyResponsesEvent(state, data);
			// One of the agent's tools, run on the server, with its result.
			const id = stringField(item, 'id') ?? '';
			const called = completeToolInput(upsertTool(state, id, { toolName: stringField(item, 'name') ?? '' }), id, {
				inputText: stringField(item, 'arguments') ?? ''
			});
			const error = stringField(item, 'error');
			return setToolResult(called, id, error ? { errorText: error } : { output: field(item, 'output') ?? null });
		}
		case 'response.completed':
			// Calls of the caller's own tools, and approvals, wait for the next request.
			return endAnswer(state, state.parts.some(isWaitingTool) ? 'requires-action' : 'completed', { finishReason: 'completed' });
		case 'response.incomplete':
			return endAnswer(state, 'interrupted', {
				finishReason: stringField(field(field(data, 'response'), 'incomplete_details'), 'reason') ?? 'incomplete'
			});
		default:
			return applyResponsesEvent(state, data);
	}
}

function isWaitingTool(part: AnswerState['parts'][number]): boolean {
	return part.type === 'tool' && (part.state === 'input-available' || part.state === 'approval-requested');
}

/** The session continuing the response just read, in the task named by `X-Parley-Task-Id`. */
export const afterResponse: PlaygroundProtocol['afterResponse'] = (session, { answer, headers }) => {
	const current = responsesSession(session);
	return {
		...current,
		taskId: headers[TASK_ID_HEADER] ?? current.taskId,
		previousResponseId: answer.messageId ?? current.previousResponseId
	};
};

/**
 * A follow-up request on the last response: a `function_call_output` for a call of the caller's
 * tool, or an `mcp_approval_response` for a call waiting for approval.
 */
export const continuation: PlaygroundProtocol['continuation'] = ({ agent, session, call, output }) => {
	const current = responsesSession(session);
	if (!current.previousResponseId) return null;
	const approval = call.requiresApproval ? approvalOf(output) : undefined;
	const item = call.requiresApproval
		? {
				type: 'mcp_approval_response',
				approval_request_id: call.approvalId ?? call.toolCallId,
				approve: approval?.approved ?? false,
				...(approval?.reason ? { reason: approval.reason } : {})
			}
		: { type: 'function_call_output', call_id: call.toolCallId, output: asText(output) };
	return { request: responseRequest(agent, current, [item]), session: current };
};

/** The OpenAI Responses face (Open Responses). */
export const openAIResponsesProtocol: PlaygroundProtocol = {
	info: {
		id: 'openai-responses',
		label: 'OpenAI Responses',
		endpoint: 'POST /v1/responses',
		description:
			'Open Responses events (`response.created`, `response.output_text.delta`, … `response.completed`), each SSE `event:` its `type`, `[DONE]` last; the next request names `previous_response_id`.',
		sessionName: 'previous_response_id',
		continues: true
	},
	newSession,
	buildRequest,
	createParser,
	applyEvent,
	continuation,
	afterResponse
};
