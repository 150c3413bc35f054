import {
	answerText,
	appendText,
	appendToolInput,
	asText,
	completeToolInput,
	endAnswer,
	failAnswer,
	field,
	upsertTool
} from './answer-state';
import { sseEventParser, stringField } from './event-parsers';
import { jsonRequest } from './request';
import type {
	AgentRef,
	AnswerPart,
	AnswerState,
	OpenAIMessage,
	PlaygroundProtocol,
	PlaygroundRequest,
	PlaygroundSession,
	RawEvent,
	ToolPart
} from './types';
import { sessionOfKind } from './session-kind';

type OpenAISession = Extract<PlaygroundSession, { kind: 'openai' }>;

/** The response header naming the task a completion was stored in. */
export const TASK_ID_HEADER = 'x-parley-task-id';

const openAISession = (session: PlaygroundSession): OpenAISession => sessionOfKind(session, 'openai');

/** A fresh session: no history, no task yet. */
export function newSession(): OpenAISession {
	return { kind: 'openai', taskId: null, messages: [] };
}

/**
 * A streamed Chat Completions request with the whole history, as OpenAI clients send it; once
 * the first answer named its task, `metadata.task_id` appends to that task instead of making a
 * new one.
 */
function completionRequest(agent: AgentRef, session: OpenAISession, messages: OpenAIMessage[]): PlaygroundRequest {
	return jsonRequest('/v1/chat/completions', {
		model: agent.slug,
		messages,
		stream: true,
		stream_options: { include_usage: true },
		...(session.taskId ? { metadata: { task_id: session.taskId } } : {})
	});
}

/** `POST /v1/chat/completions` with the history and the new user message. */
export const buildRequest: PlaygroundProtocol['buildRequest'] = ({ agent, text, session }) => {
	const current = openAISession(session);
	const messages: OpenAIMessage[] = [...current.messages, { role: 'user', content: text }];
	return { request: completionRequest(agent, current, messages), session: { ...current, messages } };
};

/** A parser for Chat Completions chunks; each is detailed by what its delta carries. */
export function createParser() {
	return sseEventParser((_message, data) => {
		if (field(data, 'error') !== undefined) return { type: 'error', data };
		const choice = firstChoice(data);
		const delta = field(choice, 'delta');
		const finish = stringField(choice, 'finish_reason');
		let detail: string | undefined;
		if (finish) detail = `finish_reason: ${finish}`;
		else if (field(delta, 'tool_calls') !== undefined) detail = 'tool_calls';
		else if (field(delta, 'role') !== undefined) detail = 'role';
		else if (field(delta, 'content') !== undefined) detail = 'content';
		else if (field(data, 'usage')) detail = 'usage';
		// The id, model and time repeat on every chunk: the preview shows what changes.
		const preview = JSON.stringify(choice === undefined ? { usage: field(data, 'usage') } : delta);
		return { type: stringField(data, 'object') ?? 'message', detail, data, preview };
	});
}

function firstChoice(chunk: unknown): unknown {
	const choices = field(chunk, 'choices');
	return Array.isArray(choices) ? choices[0] : undefined;
}

/** The key of the tool call at a `tool_calls[].index`. */
const indexKey = (index: number) => `call-index:${index}`;

/** The rendered answer after one Chat Completions chunk. */
export function applyEvent(state: AnswerState, event: RawEvent): AnswerState {
	const chunk = event.data;
	if (event.type === 'error') {
		return failAnswer(state, stringField(field(chunk, 'error'), 'message') ?? 'The completion failed.');
	}
	if (event.type !== 'chat.completion.chunk') return state;
	let next = field(chunk, 'usage') ? { ...state, usage: field(chunk, 'usage') } : state;
	const choice = firstChoice(chunk);
	const delta = field(choice, 'delta');
	const content = stringField(delta, 'content');
	if (content) next = appendText(next, 'text', content);
	const toolCalls = field(delta, 'tool_calls');
	for (const call of Array.isArray(toolCalls) ? toolCalls : []) {
		const index = Number(field(call, 'index') ?? 0);
		const id = stringField(call, 'id');
		const fn = field(call, 'function');
		let part: AnswerPart | undefined = next.parts[next.keys[indexKey(index)] ?? -1];
		if (id && part?.type !== 'tool') {
			next = upsertTool(next, id, { toolName: stringField(fn, 'name') ?? '' });
			next = { ...next, keys: { ...next.keys, [indexKey(index)]: next.parts.length - 1 } };
			part = next.parts.at(-1);
		}
		const argumentsDelta = stringField(fn, 'arguments');
		if (part?.type === 'tool' && argumentsDelta) next = appendToolInput(next, part.toolCallId, argumentsDelta);
	}
	const finishReason = stringField(choice, 'finish_reason');
	if (!finishReason) return next;
	for (const part of next.parts) {
		if (part.type === 'tool' && part.state === 'input-streaming') next = completeToolInput(next, part.toolCallId);
	}
	return endAnswer(next, finishReason === 'tool_calls' ? 'requires-action' : 'completed', { finishReason });
}

/** The answer as the assistant message an OpenAI client keeps in its history. */
function assistantMessage(answer: AnswerState): OpenAIMessage | undefined {
	const text = answerText(answer);
	const calls = answer.parts.filter((part): part is ToolPart => part.type === 'tool');
	if (text === '' && calls.length === 0) return undefined;
	return {
		role: 'assistant',
		content: text === '' ? null : text,
		...(calls.length > 0
			? {
					tool_calls: calls.map((call) => ({
						id: call.toolCallId,
						type: 'function' as const,
						function: { name: call.toolName, arguments: call.inputText }
					}))
				}
			: {})
	};
}

/** The session with the answer in its history and the task from `X-Parley-Task-Id`. */
export const afterResponse: PlaygroundProtocol['afterResponse'] = (session, { answer, headers }) => {
	const current = openAISession(session);
	const message = assistantMessage(answer);
	return {
		...current,
		taskId: headers[TASK_ID_HEADER] ?? current.taskId,
		messages: message ? [...current.messages, message] : current.messages
	};
};

/** A follow-up request: the history, a `tool` message with the output, and the task to append to. */
export const continuation: PlaygroundProtocol['continuation'] = ({ agent, session, call, output }) => {
	const current = openAISession(session);
	const messages: OpenAIMessage[] = [...current.messages, { role: 'tool', tool_call_id: call.toolCallId, content: asText(output) }];
	return { request: completionRequest(agent, current, messages), session: { ...current, messages } };
};

/** The OpenAI-compatible face. */
export const openAIProtocol: PlaygroundProtocol = {
	info: {
		id: 'openai',
		label: 'OpenAI-compatible',
		endpoint: 'POST /v1/chat/completions',
		description:
			'Chat Completions with `stream: true`: `chat.completion.chunk` events, `[DONE]` last; the task id comes back in `X-Parley-Task-Id`.',
		sessionName: 'metadata.task_id',
		continues: true
	},
	newSession,
	buildRequest,
	createParser,
	applyEvent,
	continuation,
	afterResponse
};
