import { AppError } from '../../errors';
import { JsonInputError, parseJsonWithin } from '../../http/json-depth';
import type { RunEvent } from '../../runtime/events';
import { TextJoiner } from '../../runtime/text-joiner';

/** Why an answer failed, as the chat-widget stack names it. */
export type FrameErrorKind = 'timeout' | 'cancelled' | 'system_error';

/** The server frame types of the WebSocket chat (`api.md` §7). */
export type ServerFrameType = 'loading' | 'chunk' | 'message' | 'error';

/** One tool output of an answer. */
export interface ToolResult {
	tool: string;
	result: unknown;
}

/** The `metadata` of every server frame; `task_id` and `anonymous_id` are Parley's additions. */
export interface FrameMetadata {
	context_used: boolean;
	confidence: number | null;
	error: FrameErrorKind | null;
	tool_results: ToolResult[];
	selected_product: unknown;
	task_id: string | null;
	anonymous_id?: string;
	/** The error's code (`unauthorized`, `not_found`…) on error frames. */
	code?: string;
	/** The text produced before an answer was stopped. */
	partial_message?: string;
}

/** A frame the server sends. */
export interface ServerFrame {
	type: ServerFrameType;
	role: 'assistant';
	message: string;
	timestamp: string;
	metadata: FrameMetadata;
}

/** A message frame from the client, once checked. */
export interface ClientMessage {
	type: 'message';
	role: 'user';
	message: string;
	timestamp?: string;
}

/** Tools whose outputs are knowledge search results. */
const SEARCH_TOOLS = new Set(['search_knowledge', 'search_products']);

/** The metadata of a frame with nothing to report. */
export function emptyMetadata(extra: Partial<FrameMetadata> = {}): FrameMetadata {
	return {
		context_used: false,
		confidence: null,
		error: null,
		tool_results: [],
		selected_product: null,
		task_id: null,
		...extra
	};
}

/** A server frame of a type, with its text and metadata, stamped now. */
export function serverFrame(
	type: ServerFrameType,
	message: string,
	metadata: Partial<FrameMetadata> = {},
	now: Date = new Date()
): ServerFrame {
	return { type, role: 'assistant', message, timestamp: now.toISOString(), metadata: emptyMetadata(metadata) };
}

/** An error frame for anything thrown: an AppError's message and code, else a plain message. */
export function errorFrame(error: unknown, metadata: Partial<FrameMetadata> = {}, kind: FrameErrorKind = 'system_error'): ServerFrame {
	const message = error instanceof AppError ? error.message : 'Something went wrong on our side. Please try again.';
	const code = error instanceof AppError ? error.code : 'internal';
	return serverFrame('error', message, { ...metadata, error: kind, code });
}

/**
 * Reads a client frame. Text that is not JSON is `unsupported_media_type`; JSON that is not a
 * `message` frame with a non-empty `message` string is `invalid_input` naming the field.
 */
export function parseClientFrame(raw: string): ClientMessage {
	let value: unknown;
	try {
		value = parseJsonWithin(raw, { field: 'message', subject: 'A frame' });
	} catch (error) {
		if (error instanceof JsonInputError && error.reason === 'syntax') {
			throw new AppError('unsupported_media_type', 'Frames must be JSON objects.');
		}
		throw error;
	}
	if (typeof value !== 'object' || value === null || Array.isArray(value)) {
		throw new AppError('invalid_input', 'A frame must be a JSON object.', { field: 'type' });
	}
	const frame = value as Record<string, unknown>;
	if (frame.type !== 'message') {
		throw new AppError('invalid_input', 'Only frames of type "message" are accepted.', { field: 'type' });
	}
	if (frame.role !== undefined && frame.role !== 'user') {
		throw new AppError('invalid_input', 'A message frame\'s role must be "user".', { field: 'role' });
	}
	if (typeof frame.message !== 'string' || frame.message.trim() === '') {
		throw new AppError('invalid_input', 'A message frame needs a non-empty "message" string.', { field: 'message' });
	}
	return {
		type: 'message',
		role: 'user',
		message: frame.message,
		...(typeof frame.timestamp === 'string' ? { timestamp: frame.timestamp } : {})
	};
}

/** The search results in a tool output shaped as the widget stack's envelope, `{data: [...]}`. */
function resultsOf(output: unknown): unknown[] {
	if (typeof output !== 'object' || output === null) return [];
	const data = (output as { data?: unknown }).data;
	return Array.isArray(data) ? data : [];
}

/**
 * Turns one answer's run events into server frames: a `chunk` per text delta, then the final
 * `message` with the whole text, or an `error` frame. Tool outputs are gathered into
 * `tool_results`; search results set `context_used`, and the first product of a
 * `search_products` result is the `selected_product`.
 */
export class AnswerFrames {
	private text = '';
	/** The texts of the answer's steps make one text, separated as the chat shows them. */
	private readonly joiner = new TextJoiner();
	private readonly toolNames = new Map<string, string>();
	private readonly toolResults: ToolResult[] = [];
	private contextUsed = false;
	private selectedProduct: unknown = null;

	/** `base` goes into every frame's metadata (the task id, an anonymous id). */
	constructor(private readonly base: Partial<FrameMetadata> = {}) {}

	/** The frame opening the answer. */
	loading(): ServerFrame {
		return serverFrame('loading', '', this.metadata());
	}

	/**
	 * The frames one run event yields. `interruptedBy` says why an interrupted run stopped
	 * (`timeout` for its time limit, else `cancelled`).
	 */
	next(event: RunEvent, interruptedBy: () => 'timeout' | 'cancelled' = () => 'cancelled'): ServerFrame[] {
		const text = this.joiner.textOf(event);
		switch (event.type) {
			case 'text-delta':
				this.text += text ?? '';
				return text ? [serverFrame('chunk', text, this.metadata())] : [];
			case 'tool-call-ready':
			case 'tool-call-invalid':
				this.toolNames.set(event.toolCallId, event.toolName);
				return [];
			case 'tool-output':
				this.addToolOutput(event.toolCallId, event.output);
				return [];
			case 'run-error':
				return [serverFrame('error', event.message, this.metadata({ error: 'system_error', code: 'upstream' }))];
			case 'run-end':
				return [this.endFrame(event.reason === 'interrupted' ? interruptedBy() : null)];
			default:
				return [];
		}
	}

	/** The text so far. */
	get fullText(): string {
		return this.text;
	}

	private endFrame(interruption: 'timeout' | 'cancelled' | null): ServerFrame {
		if (interruption === null) return serverFrame('message', this.text, this.metadata());
		const message = interruption === 'timeout' ? 'The answer took too long and was stopped.' : 'The answer was stopped.';
		return serverFrame('error', message, this.metadata({ error: interruption, partial_message: this.text }));
	}

	private addToolOutput(toolCallId: string, output: unknown): void {
		const tool = this.toolNames.get(toolCallId) ?? 'unknown';
		this.toolResults.push({ tool, result: output });
		if (!SEARCH_TOOLS.has(tool)) return;
		const results = resultsOf(output);
		if (results.length > 0) this.contextUsed = true;
		if (tool === 'search_products' && this.selectedProduct === null && results.length > 0) {
			this.selectedProduct = results[0];
		}
	}

	private metadata(extra: Partial<FrameMetadata> = {}): Partial<FrameMetadata> {
		return {
			...this.base,
			context_used: this.contextUsed,
			tool_results: [...this.toolResults],
			selected_product: this.selectedProduct,
			...extra
		};
	}
}
