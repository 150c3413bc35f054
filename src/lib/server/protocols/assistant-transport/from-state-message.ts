import type { UIMessage } from 'ai';
import { z } from 'zod';
import { AppError } from '../../errors';
import type { ToolPart } from '../../runtime/message-parts';
import { imageMediaType, type stateMessageSchema } from './request';

/** A message taken from `state.messages`, ready to be stored. */
export interface ImportedMessage {
	id?: string;
	role: 'user' | 'assistant' | 'system';
	parts: UIMessage['parts'];
}

const text = z.object({ type: z.enum(['text', 'reasoning']), text: z.string().max(100_000) });
const image = z.object({ type: z.literal('image'), image: z.string().min(1), filename: z.string().max(255).optional() });
const file = z.object({
	type: z.literal('file'),
	data: z.string().min(1),
	mimeType: z.string().min(1).max(255),
	filename: z.string().max(255).optional()
});
const toolCall = z.object({
	type: z.literal('tool-call'),
	toolCallId: z.string().min(1).max(256),
	toolName: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
	args: z.record(z.string(), z.unknown()).optional(),
	result: z.unknown().optional(),
	isError: z.boolean().optional(),
	approval: z.object({ id: z.string().min(1), approved: z.boolean().optional(), reason: z.string().optional() }).optional()
});

/** The content part types Parley stores; others (sources, data, app-specific ones) are left out. */
const knownPart = z.discriminatedUnion('type', [text, image, file, toolCall]);
const knownTypes = new Set(['text', 'reasoning', 'image', 'file', 'tool-call']);

/**
 * A `tool-call` part as a stored tool part. A call of a tool the server runs must be settled (a
 * result, or a denial): the server did not make it, so it can neither wait for an answer nor be
 * approved into running (`invalid_input` on `field`).
 */
function toToolPart(part: z.infer<typeof toolCall>, serverTools: ReadonlySet<string>, field: string): ToolPart {
	const base = { type: `tool-${part.toolName}` as const, toolCallId: part.toolCallId, input: part.args ?? {} };
	if (part.approval?.approved === false) return { ...base, state: 'output-denied', approval: part.approval };
	if (part.result !== undefined) {
		if (!part.isError) return { ...base, state: 'output-available', output: part.result };
		const errorText = typeof part.result === 'string' ? part.result : JSON.stringify(part.result);
		return { ...base, state: 'output-error', errorText };
	}
	if (serverTools.has(part.toolName)) {
		throw new AppError(
			'invalid_input',
			`${field}: the call "${part.toolCallId}" of the agent's tool "${part.toolName}" has no result, and this server did not make it, so it cannot run or be approved. Continue the thread it came from by its state.taskId.`,
			{ field }
		);
	}
	if (part.approval) return { ...base, state: 'approval-requested', approval: { id: part.approval.id } };
	return { ...base, state: 'input-available' };
}

/** The `filename` of a file part, when it has one. */
function filenameOf(part: { filename?: string }): { filename?: string } {
	return part.filename ? { filename: part.filename } : {};
}

/** One known part as a stored part. */
function toStoredPart(
	part: z.infer<typeof knownPart>,
	serverTools: ReadonlySet<string>,
	field: string
): UIMessage['parts'][number] | ToolPart {
	switch (part.type) {
		case 'text':
		case 'reasoning':
			return { type: part.type, text: part.text };
		case 'image':
			return { type: 'file', mediaType: imageMediaType(part.image), url: part.image, ...filenameOf(part) };
		case 'file':
			return { type: 'file', mediaType: part.mimeType, url: part.data, ...filenameOf(part) };
		case 'tool-call':
			return toToolPart(part, serverTools, field);
	}
}

/**
 * The messages of `state.messages` as stored messages, for a thread that Parley does not have yet.
 * Content may be a string (text). Parts of the types in `state-message.ts` must be well formed
 * (`invalid_input` naming the part otherwise); parts of other types are left out, and so are
 * messages left with no part. The history is the caller's: calls of tools the server runs
 * (`serverTools`) are stored as history only when settled, and never run; calls of the caller's
 * own tools may wait for it.
 */
export function fromStateMessages(
	messages: readonly z.infer<typeof stateMessageSchema>[],
	options: { serverTools?: ReadonlySet<string> } = {}
): ImportedMessage[] {
	const serverTools = options.serverTools ?? new Set<string>();
	return messages.flatMap((message, messageIndex) => {
		const content = typeof message.content === 'string' ? [{ type: 'text', text: message.content }] : message.content;
		const parts = content.flatMap((raw, partIndex) => {
			if (!knownTypes.has(raw.type)) return [];
			const part = knownPart.safeParse(raw);
			if (!part.success) {
				const field = ['state', 'messages', messageIndex, 'content', partIndex, ...part.error.issues[0].path].join('.');
				throw new AppError('invalid_input', `${field}: ${part.error.issues[0].message}`, { field });
			}
			if (part.data.type === 'text' && part.data.text === '') return [];
			return [toStoredPart(part.data, serverTools, ['state', 'messages', messageIndex, 'content', partIndex].join('.'))];
		});
		if (parts.length === 0) return [];
		return [{ ...(message.id ? { id: message.id } : {}), role: message.role, parts: parts as UIMessage['parts'] }];
	});
}
