import type { Message, Part } from '@a2a-js/sdk';
import { z } from 'zod';
import { AppError } from '../../errors';
import { pendingToolCalls } from '../../runtime/turn-request';
import type { CallerTool } from '../../runtime/turn-input';
import type { ToolCallAnswer } from '../../runtime/turn-request';
import type { AgentWithTools } from '../../services/agents';
import type { StoredMessage } from '../../services/messages';
import type { CallerAsk, CallerPart } from '../../turns/caller-turn';
import { declaredTools } from '../caller-tools';

/** Most parts of one message. */
export const MAX_PARTS = 64;
/** Most client tools one message may define (`metadata.tools`). */
export const MAX_TOOLS = 128;

/** A task id, as A2A's `taskId`, `contextId` and `id` carry it. */
export const TASK_ID = /^[A-Za-z0-9_-]{8,64}$/;

/** The JSON-RPC envelope before its method's params are read. */
export const envelopeSchema = z.object({
	jsonrpc: z.literal('2.0'),
	method: z.string().min(1).max(128),
	id: z.union([z.string().max(256), z.number(), z.null()]).optional(),
	params: z.unknown().optional()
});
export type Envelope = z.infer<typeof envelopeSchema>;

/** The JSON-RPC 2.0 error of an envelope that is not one: `-32600`, naming what is wrong. */
export function checkEnvelope(
	body: unknown
): { ok: true; envelope: Envelope } | { ok: false; id: string | number | null; message: string } {
	const result = envelopeSchema.safeParse(body);
	if (result.success) return { ok: true, envelope: result.data };
	const id = typeof body === 'object' && body !== null && 'id' in body ? (body as { id: unknown }).id : null;
	const issue = result.error.issues[0];
	return {
		ok: false,
		id: typeof id === 'string' || typeof id === 'number' ? id : null,
		message: `Invalid JSON-RPC request: ${issue.path.join('.') || 'body'}: ${issue.message}`
	};
}

/** A client tool a caller defines in a message's (or the request's) `metadata.tools`. */
export const a2aToolSchema = z.object({
	name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'A tool name must be 1–64 letters, digits, "_" or "-".' }),
	description: z.string().max(10_000).optional(),
	parameters: z.record(z.string(), z.unknown()).optional()
});
const toolsSchema = z.array(a2aToolSchema).max(MAX_TOOLS);

/**
 * The caller's client tools: `metadata.tools` of the message, else of the request. An invalid list,
 * a name used twice or one of the agent's own is `invalid_input` on `metadata.tools`.
 */
export function toCallerTools(
	metadata: readonly (Record<string, unknown> | undefined)[],
	agent: Pick<AgentWithTools, 'tools'>
): CallerTool[] {
	const given = metadata.find((entry) => entry && entry.tools !== undefined)?.tools;
	if (given === undefined) return [];
	const result = toolsSchema.safeParse(given);
	if (!result.success) {
		const issue = result.error.issues[0];
		throw new AppError('invalid_input', `metadata.tools: ${issue.path.join('.')} ${issue.message}`.trim(), { field: 'metadata.tools' });
	}
	return declaredTools(result.data, agent, () => 'metadata.tools');
}

/** The text of a message's text parts. */
export function textOfParts(parts: readonly Part[]): string {
	return parts.flatMap((part) => (part.content?.$case === 'text' ? [part.content.value] : [])).join('\n');
}

/**
 * A user message's parts as the parts of a new message: text as text, data as its JSON text,
 * files inline (`raw` bytes, as data URLs) or by link (`url`: links to uploaded files,
 * `/api/files/{id}`), each checked by the usual upload rules later.
 */
export function toUserParts(parts: readonly Part[]): CallerPart[] {
	return parts.flatMap((part): CallerPart[] => {
		const content = part.content;
		if (!content) return [];
		switch (content.$case) {
			case 'text':
				return content.value.trim() === '' ? [] : [{ type: 'text', text: content.value }];
			case 'data':
				return [{ type: 'text', text: JSON.stringify(content.value ?? null) }];
			case 'raw': {
				const mediaType = part.mediaType || 'application/octet-stream';
				const url = `data:${mediaType};base64,${Buffer.from(content.value).toString('base64')}`;
				return [{ type: 'file', mediaType, url, ...(part.filename ? { filename: part.filename } : {}) }];
			}
			case 'url':
				return [
					{
						type: 'file',
						mediaType: part.mediaType || 'application/octet-stream',
						url: content.value,
						...(part.filename ? { filename: part.filename } : {})
					}
				];
		}
	});
}

/** A data part's value as an answer to a waiting call, when it is one (`{toolCallId, output}` or `{toolCallId, approved}`). */
function answerIn(value: unknown): ToolCallAnswer | undefined {
	if (typeof value !== 'object' || value === null) return undefined;
	const { toolCallId, output, approved, reason, error } = value as Record<string, unknown>;
	if (typeof toolCallId !== 'string' || toolCallId === '') return undefined;
	if (typeof error === 'string') return { toolCallId, errorText: error };
	if (typeof approved === 'boolean')
		return { toolCallId, output: { approved, ...(typeof reason === 'string' && reason !== '' ? { reason } : {}) } };
	return { toolCallId, output: output ?? null };
}

/** Words that approve a call when a text part answers an approval. */
const YES = /^\s*(y|yes|ok|okay|approve|approved|allow|true)\s*[.!]?\s*$/i;

/** The calls that wait for the caller in the task's stored history (the last answer's). */
export function waitingCalls(stored: readonly StoredMessage[] | null): ReturnType<typeof pendingToolCalls> {
	const last = stored?.at(-1);
	if (!last || last.role !== 'assistant') return [];
	return pendingToolCalls(last.parts);
}

/**
 * What a message asks of its task: answers to the calls that wait (data parts `{toolCallId,
 * output}` or `{toolCallId, approved}`; or, when one call waits, the message's text as its
 * output — for an approval, "yes"/"approve" approves and anything else denies), else a new user
 * message (`invalid_input` on `message.parts` when it is empty).
 */
export function toAsk(message: Pick<Message, 'parts'>, stored: readonly StoredMessage[] | null): CallerAsk {
	if (message.parts.length > MAX_PARTS) {
		throw new AppError('payload_too_large', `A message may have at most ${MAX_PARTS} parts.`, { field: 'message.parts' });
	}
	const answers = message.parts
		.flatMap((part) => (part.content?.$case === 'data' ? [answerIn(part.content.value)] : []))
		.filter((answer) => answer !== undefined);
	if (answers.length > 0) return { type: 'answers', answers };
	const waiting = waitingCalls(stored);
	const text = textOfParts(message.parts);
	if (waiting.length === 1 && text.trim() !== '' && message.parts.every((part) => part.content?.$case === 'text')) {
		const [call] = waiting;
		if (call.state === 'approval-requested')
			return { type: 'answers', answers: [{ toolCallId: call.toolCallId, output: { approved: YES.test(text) } }] };
		return { type: 'answers', answers: [{ toolCallId: call.toolCallId, output: text }] };
	}
	const parts = toUserParts(message.parts);
	if (parts.length === 0) throw new AppError('invalid_input', 'The message has no text, data or file part.', { field: 'message.parts' });
	return { type: 'message', parts };
}
