import {
	approvalOf,
	appendText,
	completeToolInput,
	endAnswer,
	failAnswer,
	field,
	pushPart,
	setToolResult,
	upsertTool
} from './answer-state';
import { previewWithout, sseEventParser, stringField } from './event-parsers';
import { randomId } from './random-id';
import { jsonRequest } from './request';
import type { AgentRef, AnswerState, PlaygroundProtocol, PlaygroundRequest, PlaygroundSession, RawEvent } from './types';
import { sessionOfKind } from './session-kind';

type A2ASession = Extract<PlaygroundSession, { kind: 'a2a' }>;

const a2aSession = (session: PlaygroundSession): A2ASession => sessionOfKind(session, 'a2a');

/** A fresh session: a new task, whose id the client proposes as the message's `contextId`. */
export function newSession(makeId: () => string = randomId): A2ASession {
	return { kind: 'a2a', taskId: makeId(), agent: null };
}

/** A JSON-RPC `SendStreamingMessage` (A2A 1.0) with a user message of these parts on the session's task. */
function sendRequest(
	agent: AgentRef,
	session: A2ASession,
	parts: unknown[],
	makeId: () => string
): { request: PlaygroundRequest; session: A2ASession } {
	const request = jsonRequest(
		`/a2a/${encodeURIComponent(agent.slug)}`,
		{
			jsonrpc: '2.0',
			id: makeId(),
			method: 'SendStreamingMessage',
			params: { message: { messageId: `msg_${makeId()}`, role: 'ROLE_USER', contextId: session.taskId, parts } }
		},
		{ accept: 'text/event-stream' }
	);
	return { request, session: { ...session, agent: agent.slug } };
}

/** `POST /a2a/{agent}`: `SendStreamingMessage` with the new text; the server keeps the task's history. */
export const buildRequest: PlaygroundProtocol['buildRequest'] = ({ agent, text, session, makeId = randomId }) =>
	sendRequest(agent, a2aSession(session), [{ text }], makeId);

/** What a JSON-RPC response of the stream carries: `task`, `statusUpdate`, `artifactUpdate`, or an `error`. */
function kindOf(data: unknown): string {
	if (field(data, 'error') !== undefined) return 'error';
	const result = field(data, 'result');
	if (typeof result !== 'object' || result === null) return 'message';
	return Object.keys(result)[0] ?? 'message';
}

/** The state a task or status update names (`TASK_STATE_…`). */
function stateOf(data: unknown): string | undefined {
	const result = field(data, 'result');
	return stringField(field(field(result, 'task') ?? field(result, 'statusUpdate'), 'status'), 'state');
}

/** A parser for A2A's stream: each SSE event is a JSON-RPC response, typed by what its result holds; the state is the detail. */
export function createParser() {
	return sseEventParser((_message, data) => {
		const state = stateOf(data);
		return {
			type: kindOf(data),
			...(state ? { detail: state.replace('TASK_STATE_', '').toLowerCase() } : {}),
			data,
			preview: previewWithout(field(data, 'result') ?? data, [])
		};
	});
}

/** The parts of a status update's message. */
function statusParts(update: unknown): unknown[] {
	const parts = field(field(field(update, 'status'), 'message'), 'parts');
	return Array.isArray(parts) ? parts : [];
}

/** The text of some parts. */
function textOf(parts: unknown[]): string {
	return parts.flatMap((part) => (stringField(part, 'text') !== undefined ? [stringField(part, 'text')!] : [])).join('');
}

/** The rendered answer after one A2A stream response. */
export function applyEvent(state: AnswerState, event: RawEvent): AnswerState {
	const data = event.data;
	const result = field(data, 'result');
	switch (event.type) {
		case 'error':
			return failAnswer(state, stringField(field(data, 'error'), 'message') ?? 'The request failed.');
		case 'task':
			return { ...state, taskId: stringField(field(result, 'task'), 'id') ?? state.taskId };
		case 'artifactUpdate': {
			const artifact = field(field(result, 'artifactUpdate'), 'artifact');
			const parts = field(artifact, 'parts');
			const key = `artifact:${stringField(artifact, 'artifactId') ?? ''}`;
			const text = textOf(Array.isArray(parts) ? parts : []);
			if (text === '') return state;
			const started = state.parts.length > 0 && state.parts.at(-1)?.type === 'text';
			return started
				? appendText(state, 'text', text, key)
				: appendText(pushPart(state, { type: 'text', text: '' }, key), 'text', text, key);
		}
		case 'statusUpdate':
			return applyStatus(state, field(result, 'statusUpdate'));
		default:
			return state;
	}
}

/** A status update: a server tool's call or result while working, else the end of the turn. */
function applyStatus(state: AnswerState, update: unknown): AnswerState {
	const taskState = stringField(field(update, 'status'), 'state');
	const parts = statusParts(update);
	const data = parts.map((part) => field(part, 'data')).filter((value) => value !== undefined);
	switch (taskState) {
		case 'TASK_STATE_WORKING': {
			let next = state;
			for (const entry of data) {
				const toolCallId = stringField(entry, 'toolCallId');
				if (!toolCallId) continue;
				const toolName = stringField(entry, 'toolName');
				const error = stringField(entry, 'error');
				if (toolName) next = completeToolInput(upsertTool(next, toolCallId, { toolName }), toolCallId, { input: field(entry, 'input') });
				else if (error !== undefined) next = setToolResult(next, toolCallId, { errorText: error });
				else next = setToolResult(next, toolCallId, { output: field(entry, 'output') });
			}
			return next;
		}
		case 'TASK_STATE_INPUT_REQUIRED': {
			let next = state;
			for (const entry of data) {
				const calls = field(entry, 'toolCalls');
				for (const call of Array.isArray(calls) ? calls : []) {
					const toolCallId = stringField(call, 'toolCallId');
					if (!toolCallId) continue;
					const approval = stringField(call, 'kind') === 'approval';
					next = completeToolInput(upsertTool(next, toolCallId, { toolName: stringField(call, 'toolName') ?? '' }), toolCallId, {
						input: field(call, 'input'),
						state: approval ? 'approval-requested' : 'input-available',
						...(approval ? { approvalId: toolCallId } : {})
					});
				}
			}
			return endAnswer(next, 'requires-action', { finishReason: 'input-required' });
		}
		case 'TASK_STATE_COMPLETED':
			return endAnswer(state, 'completed', { finishReason: 'completed' });
		case 'TASK_STATE_CANCELED':
			return endAnswer(state, 'interrupted', { finishReason: 'canceled' });
		case 'TASK_STATE_FAILED':
			return failAnswer(state, textOf(parts) || 'The task failed.');
		default:
			return state;
	}
}

/** The session once a response has ended: its task, as the stream named it. */
export const afterResponse: PlaygroundProtocol['afterResponse'] = (session, { answer }) => {
	const current = a2aSession(session);
	return { ...current, taskId: answer.taskId ?? current.taskId };
};

/** The next message on the task, answering a pending call with a data part: its output, or the approval. */
export const continuation: PlaygroundProtocol['continuation'] = ({ agent, session, call, output }) => {
	const current = a2aSession(session);
	const answer = call.requiresApproval
		? { toolCallId: call.toolCallId, ...(approvalOf(output) ?? { approved: false }) }
		: { toolCallId: call.toolCallId, output };
	return sendRequest(agent, current, [{ data: answer }], randomId);
};

/** Runs go on when the reader goes: stopping cancels the task (`CancelTask`). */
export function stopRequest(session: PlaygroundSession): PlaygroundRequest | null {
	const { agent, taskId } = a2aSession(session);
	if (!agent) return null;
	return jsonRequest(`/a2a/${encodeURIComponent(agent)}`, { jsonrpc: '2.0', id: 'cancel', method: 'CancelTask', params: { id: taskId } });
}

/** A2A: the protocol agents use to call agents (`@a2a-js/sdk`'s client, LangSmith, Mastra). */
export const a2aProtocol: PlaygroundProtocol = {
	info: {
		id: 'a2a',
		label: 'A2A',
		endpoint: 'POST /a2a/{agent}',
		description:
			'A2A 1.0 JSON-RPC (`SendStreamingMessage`): an SSE stream of JSON-RPC responses — the task, artifact updates with the answer’s text, status updates, ending with the final state; the task goes on when the page goes.',
		sessionName: 'taskId',
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
