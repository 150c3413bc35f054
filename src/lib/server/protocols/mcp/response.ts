import { toAppError } from '../../errors';
import type { AnswerText } from './answer';

/** A result of an agent's tool, in the shape MCP's `tools/call` answers. */
export interface AskToolResult {
	[key: string]: unknown;
	content: { type: 'text'; text: string }[];
	structuredContent?: { task_id: string; text: string };
	isError?: boolean;
}

/** A tool error: the message, for the calling model to read. */
export function toToolError(message: string): AskToolResult {
	return { content: [{ type: 'text', text: message }], isError: true };
}

/** Anything thrown while asking, as a tool error that never shows an unexpected error's detail. */
export function toToolErrorOf(thrown: unknown): AskToolResult {
	const error = toAppError(thrown);
	if (error.code === 'internal') console.error('[parley] unexpected error in an MCP tool call', error.cause);
	return toToolError(error.field && !error.message.startsWith(error.field) ? `${error.field}: ${error.message}` : error.message);
}

/**
 * The result of a finished answer: its text, with `{task_id, text}`; a failed run, an answer that
 * was cut short or one that waits for tool calls the MCP caller cannot answer is a tool error.
 */
export function toToolResult(taskId: string, answer: Pick<AnswerText, 'text' | 'error' | 'pending' | 'endReason'>): AskToolResult {
	if (answer.error !== undefined) return toToolError(answer.error || 'The model failed while answering. Try again.');
	if (answer.pending.length > 0) {
		const names = [...new Set(answer.pending.map((call) => call.toolName))].join(', ');
		return toToolError(
			`The answer in task "${taskId}" waits for tool calls to be approved or answered (${names}): open the task in Parley to go on.`
		);
	}
	if (answer.endReason === undefined || answer.endReason === 'interrupted')
		return toToolError(`The answer in task "${taskId}" was stopped before it ended.`);
	return { content: [{ type: 'text', text: answer.text }], structuredContent: { task_id: taskId, text: answer.text } };
}

/** JSON-RPC's error codes for a request that cannot be read. */
export const JSON_RPC_PARSE_ERROR = -32700;
export const JSON_RPC_INVALID_REQUEST = -32600;
/** The code the MCP transport uses for errors of the HTTP exchange itself. */
export const JSON_RPC_SERVER_ERROR = -32000;

/** A JSON-RPC error answer with no request id (the request could not be read), as its own HTTP response. */
export function jsonRpcErrorResponse(status: number, code: number, message: string, headers?: HeadersInit): Response {
	return Response.json({ jsonrpc: '2.0', error: { code, message }, id: null }, { status, headers });
}

/** Whether a JSON-RPC body (one message or a batch) calls a tool: such requests count against the caller's limits. */
export function callsTool(body: unknown): boolean {
	const messages = Array.isArray(body) ? (body as unknown[]) : [body];
	return messages.some(
		(message) => typeof message === 'object' && message !== null && (message as { method?: unknown }).method === 'tools/call'
	);
}
