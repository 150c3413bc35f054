import type { UIMessage } from 'ai';
import type { StoredMessage as Message } from '../../services/messages';
import { isToolPart, type ToolPart } from '../../runtime/message-parts';
import { pendingToolCalls } from '../../runtime/turn-request';
import { isObject } from '../../../is-object';

/**
 * A part of a message in `state.messages`. The shapes are those of assistant-ui's
 * `ThreadMessageLike` content, so that a client's `converter` can hand them on unchanged.
 */
export type StatePart =
	| { type: 'text'; text: string }
	| { type: 'reasoning'; text: string }
	| { type: 'image'; image: string; filename?: string }
	| { type: 'file'; data: string; mimeType: string; filename?: string }
	| StateToolCallPart;

/** A tool call in `state.messages`: its arguments, and its result once there is one. */
export type StateToolCallPart = {
	type: 'tool-call';
	toolCallId: string;
	toolName: string;
	args: Record<string, unknown>;
	argsText: string;
	result?: unknown;
	isError?: boolean;
	/** Set while the call waits for approval (no `approved` yet) and once it is answered. */
	approval?: { id: string; approved?: boolean; reason?: string };
};

/** Where an answer stands, as assistant-ui's `MessageStatus`. */
export type StateMessageStatus =
	| { type: 'running' }
	| { type: 'requires-action'; reason: 'tool-calls' }
	| { type: 'complete'; reason: 'stop' }
	| { type: 'incomplete'; reason: 'cancelled' | 'length' | 'error'; error?: string };

/** One message of a thread in `state.messages`; `status` is set on answers only. */
export type StateMessage = {
	id: string;
	role: 'user' | 'assistant' | 'system';
	content: StatePart[];
	status?: StateMessageStatus;
};

/** What the answer of a denied tool call says. */
export const DENIED_RESULT = 'The tool call was denied.';

/** The JSON text of a tool input; a string input (an unparsed one) is kept as it is. */
function argsTextOf(input: unknown): string {
	if (input === undefined) return '';
	return typeof input === 'string' ? input : (JSON.stringify(input) ?? '');
}

/** A stored tool part as a `tool-call` part. */
function toStateToolCall(part: ToolPart): StateToolCallPart {
	const input = part.state === 'input-streaming' ? undefined : (part.input ?? part.rawInput);
	const call: StateToolCallPart = {
		type: 'tool-call',
		toolCallId: part.toolCallId,
		toolName: part.type.slice('tool-'.length),
		args: isObject(part.input) ? part.input : {},
		argsText: argsTextOf(input)
	};
	if (part.approval) {
		call.approval = {
			id: part.approval.id,
			...(part.approval.approved !== undefined ? { approved: part.approval.approved } : {}),
			...(part.approval.reason ? { reason: part.approval.reason } : {})
		};
	}
	switch (part.state) {
		case 'output-available':
			return { ...call, result: part.output ?? null };
		case 'output-error':
			return { ...call, result: part.errorText ?? 'The tool failed.', isError: true };
		case 'output-denied':
			return {
				...call,
				result: DENIED_RESULT,
				isError: true,
				approval: { ...(call.approval ?? { id: part.toolCallId }), approved: false }
			};
		default:
			return call;
	}
}

/**
 * Stored message parts as `state.messages` content: text, reasoning, images and other files,
 * tool calls. Step boundaries and parts assistant-ui has no content type for are left out.
 */
export function toStateParts(parts: readonly (UIMessage['parts'][number] | ToolPart)[]): StatePart[] {
	const content: StatePart[] = [];
	for (const part of parts) {
		if (isToolPart(part)) {
			content.push(toStateToolCall(part));
			continue;
		}
		switch (part.type) {
			case 'text':
			case 'reasoning':
				content.push({ type: part.type, text: part.text });
				break;
			case 'file':
				content.push(
					part.mediaType.startsWith('image/')
						? { type: 'image', image: part.url, ...(part.filename ? { filename: part.filename } : {}) }
						: {
								type: 'file',
								data: part.url,
								mimeType: part.mediaType,
								...(part.filename ? { filename: part.filename } : {})
							}
				);
				break;
		}
	}
	return content;
}

/** The status of a stored answer. */
function statusOf(message: Pick<Message, 'status' | 'error' | 'parts'>): StateMessageStatus {
	switch (message.status) {
		case 'streaming':
			return { type: 'running' };
		case 'interrupted':
			return { type: 'incomplete', reason: 'cancelled' };
		case 'error':
			return { type: 'incomplete', reason: 'error', error: message.error ?? 'The answer failed.' };
		case 'complete':
			return pendingToolCalls(message.parts).length > 0
				? { type: 'requires-action', reason: 'tool-calls' }
				: { type: 'complete', reason: 'stop' };
	}
}

/** A stored message as it appears in `state.messages`. */
export function toStateMessage(message: Pick<Message, 'id' | 'role' | 'parts' | 'status' | 'error'>): StateMessage {
	return {
		id: message.id,
		role: message.role,
		content: toStateParts(message.parts),
		...(message.role === 'assistant' ? { status: statusOf(message) } : {})
	};
}
