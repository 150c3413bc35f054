import { tryJson } from './try-json';
import { isObject } from '../is-object';
import { textOf } from '../text-of';
import type { AnswerPart, AnswerState, AnswerStatus, PendingCall, ToolPart } from './types';

/** An answer before its first event. */
export function initialAnswer(): AnswerState {
	return { parts: [], status: 'streaming', pending: [], keys: {} };
}

/** The answer with the part at `index` replaced. */
function replacePart(state: AnswerState, index: number, part: AnswerPart): AnswerState {
	const parts = state.parts.slice();
	parts[index] = part;
	return { ...state, parts };
}

/** The answer with a new part at the end, remembered under `key` when given. */
export function pushPart(state: AnswerState, part: AnswerPart, key?: string): AnswerState {
	const keys = key === undefined ? state.keys : { ...state.keys, [key]: state.parts.length };
	return { ...state, parts: [...state.parts, part], keys };
}

/**
 * Adds text or reasoning. With a key, to the part opened under that key (opening it if needed);
 * without one, to the last part when it is of the same kind, else to a new part.
 */
export function appendText(state: AnswerState, kind: 'text' | 'reasoning', delta: string, key?: string): AnswerState {
	const index = key === undefined ? state.parts.length - 1 : state.keys[key];
	const part = index === undefined ? undefined : state.parts[index];
	if (index !== undefined && part?.type === kind) return replacePart(state, index, { type: kind, text: part.text + delta });
	return pushPart(state, { type: kind, text: delta }, key);
}

/** The key a tool call is remembered under. */
export const toolKey = (toolCallId: string) => `tool:${toolCallId}`;

/** The tool part of a call, if the answer has one. */
export function findTool(state: AnswerState, toolCallId: string): ToolPart | undefined {
	const index = state.keys[toolKey(toolCallId)];
	const part = index === undefined ? undefined : state.parts[index];
	return part?.type === 'tool' ? part : undefined;
}

/** Creates or changes the part of a tool call; a new part starts with empty arguments, streaming. */
export function upsertTool(state: AnswerState, toolCallId: string, change: Partial<Omit<ToolPart, 'type' | 'toolCallId'>>): AnswerState {
	const index = state.keys[toolKey(toolCallId)];
	const part = index === undefined ? undefined : state.parts[index];
	if (index !== undefined && part?.type === 'tool') return replacePart(state, index, { ...part, ...change });
	const created: ToolPart = { type: 'tool', toolCallId, toolName: '', inputText: '', state: 'input-streaming', ...change };
	return pushPart(state, created, toolKey(toolCallId));
}

/** Adds streamed argument text to a tool call. */
export function appendToolInput(state: AnswerState, toolCallId: string, delta: string): AnswerState {
	const part = findTool(state, toolCallId);
	return upsertTool(state, toolCallId, { inputText: (part?.inputText ?? '') + delta });
}

/** Marks a tool call's arguments complete, parsing them from their text unless given. */
export function completeToolInput(state: AnswerState, toolCallId: string, change: Partial<ToolPart> = {}): AnswerState {
	const part = findTool(state, toolCallId);
	const inputText = change.inputText ?? part?.inputText ?? '';
	const input = 'input' in change ? change.input : inputText === '' ? {} : (tryJson(inputText) ?? inputText);
	return upsertTool(state, toolCallId, {
		...change,
		inputText: inputText !== '' ? inputText : (JSON.stringify(input) ?? ''),
		input,
		state: change.state ?? 'input-available'
	});
}

/** Sets a tool call's result: its output, or an error. */
export function setToolResult(state: AnswerState, toolCallId: string, result: { output: unknown } | { errorText: string }): AnswerState {
	return 'output' in result
		? upsertTool(state, toolCallId, { output: result.output, state: 'output-available' })
		: upsertTool(state, toolCallId, { errorText: result.errorText, state: 'output-error' });
}

/** A waiting tool part as a pending call. */
export function toPendingCall(part: ToolPart): PendingCall {
	return {
		toolCallId: part.toolCallId,
		toolName: part.toolName,
		input: part.input,
		argumentsText: part.inputText,
		requiresApproval: part.state === 'approval-requested',
		...(part.approvalId ? { approvalId: part.approvalId } : {})
	};
}

/** The tool parts of an answer that wait for the caller: arguments complete, no result. */
export function waitingToolParts(state: AnswerState): ToolPart[] {
	return state.parts.filter(
		(part): part is ToolPart => part.type === 'tool' && (part.state === 'input-available' || part.state === 'approval-requested')
	);
}

/**
 * Ends the answer. An answer that ends needing action waits for its tool calls that have no
 * result (unless the protocol names the pending calls itself).
 */
export function endAnswer(
	state: AnswerState,
	status: Exclude<AnswerStatus, 'streaming'>,
	details: { finishReason?: string; pending?: PendingCall[] } = {}
): AnswerState {
	const pending = status === 'requires-action' ? (details.pending ?? waitingToolParts(state).map(toPendingCall)) : [];
	return {
		...state,
		status,
		pending,
		...(details.finishReason !== undefined ? { finishReason: details.finishReason } : {})
	};
}

/** Records an error the stream reported; the answer has failed. */
export function failAnswer(state: AnswerState, message: string): AnswerState {
	return { ...state, status: 'error', error: message, pending: [] };
}

/**
 * Marks a pending call answered, as the caller sent its output: the tool part shows the output
 * and the call no longer waits. A call the answer has no part for (the agent API names calls in
 * `done` alone) gets one.
 */
export function answerPendingCall(state: AnswerState, call: PendingCall, output: unknown): AnswerState {
	const approval = call.requiresApproval ? approvalOf(output) : undefined;
	let next = findTool(state, call.toolCallId)
		? state
		: upsertTool(state, call.toolCallId, { toolName: call.toolName, inputText: call.argumentsText, input: call.input });
	next =
		approval && !approval.approved
			? upsertTool(next, call.toolCallId, { state: 'output-denied', output })
			: upsertTool(next, call.toolCallId, { state: 'output-available', output });
	return { ...next, pending: next.pending.filter((pending) => pending.toolCallId !== call.toolCallId) };
}

/** An approval answer (`{"approved": true|false, "reason"?}`), if the output is one. */
export function approvalOf(output: unknown): { approved: boolean; reason?: string } | undefined {
	if (typeof output !== 'object' || output === null) return undefined;
	const { approved, reason } = output as Record<string, unknown>;
	if (typeof approved !== 'boolean') return undefined;
	return typeof reason === 'string' ? { approved, reason } : { approved };
}

/** The text of an answer: its text parts joined. */
export function answerText(state: AnswerState): string {
	return textOf(state.parts, '');
}

/** A JSON object's field, when the value is an object. */
export function field(data: unknown, name: string): unknown {
	return isObject(data) ? data[name] : undefined;
}

/** A value as text: strings as they are, anything else as JSON. */
export function asText(value: unknown): string {
	return typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
}
