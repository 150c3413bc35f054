import { stringField } from './event-parsers';
import { jsonRequest } from './request';
import { taskSession } from './task-session';
import { applyStateOperations, readOperations } from './thread-state';
import type { AgentRef, AnswerState, PlaygroundProtocol, PlaygroundRequest } from './types';

/** The wire formats of `POST /assistant`. */
export type AssistantFormat = 'data-stream' | 'assistant-transport';

/** The response header naming the thread's task. */
const TASK_ID_HEADER = 'x-parley-task-id';

/** The URL of a request: the agent for a new thread, and the SSE format when asked for. */
function assistantUrl(agent: AgentRef, format: AssistantFormat): string {
	const query = new URLSearchParams({ agent: agent.slug });
	if (format === 'assistant-transport') query.set('protocol', 'assistant-transport');
	return `/assistant?${query}`;
}

/**
 * A request with commands and the thread's state. The state carries only `taskId` (set by the
 * server on the first turn): the server reads the history of an existing thread from its own
 * store, so the messages the stock client would also send are left out to keep requests short.
 */
function commandsRequest(agent: AgentRef, format: AssistantFormat, taskId: string | null, commands: unknown[]): PlaygroundRequest {
	return jsonRequest(assistantUrl(agent, format), { commands, state: taskId ? { taskId } : {} });
}

/** The request builder of one format: an `add-message` command with the user's text. */
export function assistantBuildRequest(format: AssistantFormat): PlaygroundProtocol['buildRequest'] {
	return ({ agent, text, session }) => {
		const current = taskSession(session);
		const command = {
			type: 'add-message',
			message: { role: 'user', parts: [{ type: 'text', text }] },
			parentId: null,
			sourceId: null
		};
		return { request: commandsRequest(agent, format, current.taskId, [command]), session: current };
	};
}

/** The continuation of one format: an `add-tool-result` command for the thread's task. */
export function assistantContinuation(format: AssistantFormat): PlaygroundProtocol['continuation'] {
	return ({ agent, session, call, output }) => {
		const current = taskSession(session);
		if (!current.taskId) return null;
		const command = { type: 'add-tool-result', toolCallId: call.toolCallId, toolName: call.toolName, result: output, isError: false };
		return { request: commandsRequest(agent, format, current.taskId, [command]), session: current };
	};
}

/** The thread state after some state operations; `state.taskId` becomes the answer's task id. */
export function applyThreadOperations(state: AnswerState, value: unknown): AnswerState {
	const threadState = applyStateOperations(state.threadState ?? {}, readOperations(value));
	const taskId = stringField(threadState, 'taskId');
	return { ...state, threadState, ...(taskId ? { taskId } : {}) };
}

/** The session once the state (or the `X-Parley-Task-Id` header) named the thread's task. */
export const assistantAfterResponse: PlaygroundProtocol['afterResponse'] = (session, { answer, headers }) => {
	const current = taskSession(session);
	const taskId = answer.taskId ?? headers[TASK_ID_HEADER];
	return taskId ? { ...current, taskId } : current;
};

/** The status an answer ends with, by the stream's finish reason (`other` is a stopped answer). */
export function statusOfFinish(finishReason: string): 'completed' | 'requires-action' | 'interrupted' {
	if (finishReason === 'tool-calls') return 'requires-action';
	if (finishReason === 'other') return 'interrupted';
	return 'completed';
}
