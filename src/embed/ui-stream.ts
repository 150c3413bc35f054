/**
 * The `<parley-chat>` widget's reader of the AI SDK UI message stream (`POST /api/chat`): server-sent
 * events of UI message chunks, applied to a message as they arrive. A small reader of its own keeps
 * the AI SDK out of the embed bundle.
 */
import type { UIMessageChunk } from 'ai';
import { SseParser } from '$lib/sse';
import type { ToolState } from '$lib/tool-state-labels';
import { WIDGET_PART_TYPE, WIDGET_SUBMIT_PART_TYPE, type WidgetData, type WidgetSubmission } from '$lib/widgets/contract';

export type { ToolState };

export interface TextPart {
	type: 'text';
	text: string;
	state?: 'streaming' | 'done';
}

export interface ReasoningPart {
	type: 'reasoning';
	text: string;
	state?: 'streaming' | 'done';
}

export interface ToolPart {
	type: `tool-${string}`;
	toolCallId: string;
	toolName: string;
	state: ToolState;
	input?: unknown;
	output?: unknown;
	errorText?: string;
	approval?: { id: string; approved?: boolean; reason?: string };
}

export interface WidgetPart {
	type: typeof WIDGET_PART_TYPE;
	id: string;
	data: WidgetData;
}

export interface WidgetSubmitPart {
	type: typeof WIDGET_SUBMIT_PART_TYPE;
	data: WidgetSubmission;
}

export interface FilePart {
	type: 'file';
	url: string;
	mediaType: string;
}

export type ChatPart = TextPart | ReasoningPart | ToolPart | WidgetPart | WidgetSubmitPart | FilePart;

/** How an answer ended; `streaming` while it arrives. */
export type MessageStatus = 'streaming' | 'complete' | 'interrupted' | 'error';

export interface ChatMessage {
	id: string;
	role: 'user' | 'assistant';
	parts: ChatPart[];
	status?: MessageStatus;
	/** What went wrong, when the answer ended with an error. */
	error?: string;
}

/** Whether a part is a tool call. */
export function isToolPart(part: ChatPart): part is ToolPart {
	return part.type.startsWith('tool-');
}

/**
 * The `data:` payloads of a server-sent event stream, one per event, up to `[DONE]` (excluded)
 * or the end of the body. The events are read by the app's own SSE parser (`$lib/sse`).
 */
export async function* readSseData(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
	const reader = body.getReader();
	const decoder = new TextDecoder();
	const parser = new SseParser();
	try {
		for (;;) {
			const { value, done } = await reader.read();
			const events = done ? [...parser.push(decoder.decode()), ...parser.end()] : parser.push(decoder.decode(value, { stream: true }));
			// Comments (`:`), `event:`, `id:` and `retry:` lines carry nothing this stream uses.
			for (const event of events) {
				if (!event.hasData) continue;
				if (event.data === '[DONE]') return;
				yield event.data;
			}
			if (done) return;
		}
	} finally {
		reader.releaseLock();
	}
}

/** A chunk from one event's data, or `undefined` when it is not one. */
export function parseChunk(data: string): UIMessageChunk | undefined {
	try {
		const value: unknown = JSON.parse(data);
		if (value && typeof value === 'object' && typeof (value as { type?: unknown }).type === 'string') {
			return value as UIMessageChunk;
		}
	} catch {
		// not JSON: skipped
	}
	return undefined;
}

/** What a stream said about how it ended. */
export type StreamEnd = { type: 'finish' } | { type: 'abort' } | { type: 'error'; errorText: string };

/**
 * Applies the chunks of one answer to an assistant message, which may already hold parts (an
 * answer continued after a tool output). Returns how the stream ended, if it said so.
 */
export function createAssembler(message: ChatMessage) {
	/** Open text and reasoning parts by their stream id: the part's index in `message.parts`. */
	const open = new Map<string, number>();
	let end: StreamEnd | undefined;

	const tool = (toolCallId: string): ToolPart | undefined =>
		message.parts.find((part): part is ToolPart => isToolPart(part) && part.toolCallId === toolCallId);

	function upsertTool(toolCallId: string, toolName: string, fields: Partial<ToolPart>) {
		const existing = tool(toolCallId);
		if (existing) Object.assign(existing, fields);
		else message.parts.push({ type: `tool-${toolName}`, toolCallId, toolName, state: 'input-streaming', ...fields });
	}

	function apply(chunk: UIMessageChunk): void {
		switch (chunk.type) {
			case 'start':
				if (chunk.messageId) message.id = chunk.messageId;
				return;
			case 'text-start':
			case 'reasoning-start': {
				const type = chunk.type === 'text-start' ? 'text' : 'reasoning';
				open.set(`${type}:${chunk.id}`, message.parts.push({ type, text: '', state: 'streaming' }) - 1);
				return;
			}
			case 'text-delta':
			case 'reasoning-delta': {
				const type = chunk.type === 'text-delta' ? 'text' : 'reasoning';
				const key = `${type}:${chunk.id}`;
				let index = open.get(key);
				if (index === undefined) {
					index = message.parts.push({ type, text: '', state: 'streaming' }) - 1;
					open.set(key, index);
				}
				(message.parts[index] as TextPart | ReasoningPart).text += chunk.delta;
				return;
			}
			case 'text-end':
			case 'reasoning-end': {
				const key = `${chunk.type === 'text-end' ? 'text' : 'reasoning'}:${chunk.id}`;
				const index = open.get(key);
				if (index !== undefined) (message.parts[index] as TextPart | ReasoningPart).state = 'done';
				open.delete(key);
				return;
			}
			case 'tool-input-start':
				upsertTool(chunk.toolCallId, chunk.toolName, { state: 'input-streaming' });
				return;
			case 'tool-input-available':
				upsertTool(chunk.toolCallId, chunk.toolName, { state: 'input-available', input: chunk.input });
				return;
			case 'tool-input-error':
				upsertTool(chunk.toolCallId, chunk.toolName, {
					state: 'output-error',
					input: chunk.input,
					errorText: chunk.errorText
				});
				return;
			case 'tool-approval-request': {
				const part = tool(chunk.toolCallId);
				if (part) Object.assign(part, { state: 'approval-requested', approval: { id: chunk.approvalId } });
				return;
			}
			case 'tool-output-available': {
				const part = tool(chunk.toolCallId);
				if (part) Object.assign(part, { state: 'output-available', output: chunk.output });
				return;
			}
			case 'tool-output-error': {
				const part = tool(chunk.toolCallId);
				if (part) Object.assign(part, { state: 'output-error', errorText: chunk.errorText });
				return;
			}
			case 'tool-output-denied': {
				const part = tool(chunk.toolCallId);
				if (part) part.state = 'output-denied';
				return;
			}
			case 'file':
				message.parts.push({ type: 'file', url: chunk.url, mediaType: chunk.mediaType });
				return;
			case 'error':
				message.error = chunk.errorText;
				end = { type: 'error', errorText: chunk.errorText };
				return;
			case 'abort':
				end = { type: 'abort' };
				return;
			case 'finish':
				end ??= { type: 'finish' };
				return;
			case 'tool-input-delta':
			case 'start-step':
			case 'finish-step':
			case 'source-url':
			case 'source-document':
			case 'message-metadata':
				return;
			default:
				applyData(chunk);
		}
	}

	/** `data-*` parts: a widget replaces the one with the same id; transient ones are not kept. */
	function applyData(chunk: { type: string; id?: string; data?: unknown; transient?: boolean }) {
		if (chunk.type !== WIDGET_PART_TYPE || chunk.transient) return;
		const data = chunk.data as WidgetData | undefined;
		if (!data || typeof data.type !== 'string') return;
		const id = chunk.id ?? `widget-${message.parts.length}`;
		const existing = message.parts.find((part): part is WidgetPart => part.type === WIDGET_PART_TYPE && part.id === id);
		if (existing) existing.data = data;
		else message.parts.push({ type: WIDGET_PART_TYPE, id, data });
	}

	return {
		apply,
		/** How the stream said it ended, if it did. */
		get end(): StreamEnd | undefined {
			return end;
		},
		/** Marks text still open as done (the stream ended). */
		close() {
			for (const index of open.values()) (message.parts[index] as TextPart | ReasoningPart).state = 'done';
			open.clear();
		}
	};
}
