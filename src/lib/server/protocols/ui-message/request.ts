import { z } from 'zod';
import { WIDGET_SUBMIT_PART_TYPE } from '$lib/widgets/contract';
import type { StoredMessage as Message } from '../../services/messages';
import { AppError } from '../../errors';
import { pendingToolCalls, type ApprovalInput, type ToolOutputInput, type TurnRequest } from '../../runtime/turn-request';

/** A text part a client may send. */
const textPart = z.object({ type: z.literal('text'), text: z.string().max(100_000) });

/** A file part a client may send: a data URL (or a link to an uploaded file). */
const filePart = z.object({
	type: z.literal('file'),
	mediaType: z.string().min(1).max(255),
	url: z.string().min(1),
	filename: z.string().max(255).optional()
});

/** The answer to a widget a user message may carry beside its text (see `$lib/widgets/contract`). */
const widgetSubmitPart = z.object({
	type: z.literal(WIDGET_SUBMIT_PART_TYPE),
	data: z.object({
		widgetId: z.string().min(1).max(128),
		type: z.string().min(1).max(100),
		value: z.unknown()
	})
});

/** A message in the body `DefaultChatTransport` sends; parts other than text and files are kept loosely. */
const uiMessage = z.object({
	id: z.string().max(128).optional(),
	role: z.enum(['user', 'assistant', 'system']),
	parts: z.array(z.looseObject({ type: z.string() }))
});

/** The body of `POST /api/chat`: what the AI SDK client sends, plus the agent and context. */
export const chatRequestSchema = z.object({
	id: z.string().min(1).max(64),
	messages: z.array(uiMessage).min(1, { message: 'At least one message is required.' }),
	trigger: z.enum(['submit-message', 'regenerate-message']).default('submit-message'),
	messageId: z.string().max(128).nullish(),
	agentId: z.union([z.string().min(1).max(128), z.number().int()]).nullish(),
	context: z.record(z.string(), z.unknown()).nullish(),
	anonymous_id: z.string().optional()
});

export type ChatRequest = z.infer<typeof chatRequestSchema>;

/** The parts of a new user message that the server accepts: text, files and answers to widgets. */
export const userPartsSchema = z
	.array(z.discriminatedUnion('type', [textPart, filePart, widgetSubmitPart]))
	.min(1, { message: 'The message is empty.' });

/** A tool part as clients send it back. */
const toolPartSchema = z.looseObject({
	type: z.string(),
	toolCallId: z.string(),
	state: z.string(),
	output: z.unknown().optional(),
	errorText: z.string().optional(),
	approval: z.object({ id: z.string(), approved: z.boolean().optional(), reason: z.string().optional() }).optional()
});

/**
 * What a chat request asks for, given the task's stored messages: the server keeps the history
 * and takes from the body only what is new (`api.md` §1).
 * - the last message is the assistant's: its new tool outputs and approval answers continue it;
 * - `regenerate-message`: a new version of the answer `messageId` (of the answer to the question
 *   `messageId`), by default of the last answer;
 * - otherwise the last user message, replacing a stored one with the same id (an edit).
 */
export function toTurnRequest(body: ChatRequest, stored: Pick<Message, 'id' | 'role' | 'parts'>[]): TurnRequest {
	if (body.trigger === 'regenerate-message') return regeneration(body.messageId, stored);
	const last = body.messages[body.messages.length - 1];
	if (last.role === 'assistant') return continuation(last, stored.at(-1));
	if (last.role !== 'user') {
		throw new AppError('invalid_input', 'The last message must be the user’s or the assistant’s.', {
			field: 'messages'
		});
	}
	const parts = userPartsSchema.safeParse(last.parts);
	if (!parts.success) {
		throw new AppError('invalid_input', `messages.parts: ${parts.error.issues[0].message}`, { field: 'messages' });
	}
	const edited = [body.messageId, last.id].find((id) => id && stored.some((message) => message.id === id && message.role === 'user'));
	return {
		type: 'message',
		parts: parts.data,
		messageId: last.id,
		...(edited ? { replaceFrom: edited } : {})
	};
}

/**
 * What `regenerate-message` asks for: the AI SDK names the message to regenerate, an answer, or a
 * question whose answer is wanted again; none for the last answer.
 */
function regeneration(messageId: string | null | undefined, stored: Pick<Message, 'id' | 'role'>[]): TurnRequest {
	if (!messageId) return { type: 'regenerate' };
	const at = stored.findIndex((message) => message.id === messageId);
	if (at < 0) {
		throw new AppError('invalid_input', `No message "${messageId}" is in this task.`, { field: 'messageId' });
	}
	const answer = stored[at].role === 'user' ? stored[at + 1] : stored[at];
	if (answer?.role === 'assistant') return { type: 'regenerate', messageId: answer.id };
	// A question still without an answer (the last one) is answered.
	if (stored[at].role === 'user' && at === stored.length - 1) return { type: 'regenerate' };
	throw new AppError('invalid_input', 'Only an answer, or a question, can be answered again.', { field: 'messageId' });
}

/** The tool outputs and approval answers a returned assistant message adds to the stored one. */
function continuation(sent: z.infer<typeof uiMessage>, storedLast: Pick<Message, 'id' | 'role' | 'parts'> | undefined): TurnRequest {
	if (!storedLast || storedLast.role !== 'assistant' || !sent.id || sent.id !== storedLast.id) {
		throw new AppError('conflict', 'Only the last answer of a task can be continued.', { field: 'messages' });
	}
	const pending = pendingToolCalls(storedLast.parts);
	const toolOutputs: ToolOutputInput[] = [];
	const approvals: ApprovalInput[] = [];
	for (const raw of sent.parts) {
		const part = toolPartSchema.safeParse(raw);
		if (!part.success) continue;
		const waiting = pending.find((candidate) => candidate.toolCallId === part.data.toolCallId);
		if (!waiting) continue;
		if (waiting.state === 'input-available' && part.data.state === 'output-available') {
			toolOutputs.push({ toolCallId: part.data.toolCallId, output: part.data.output });
		} else if (waiting.state === 'input-available' && part.data.state === 'output-error') {
			toolOutputs.push({ toolCallId: part.data.toolCallId, errorText: part.data.errorText ?? 'The tool failed.' });
		} else if (
			waiting.state === 'approval-requested' &&
			part.data.state === 'approval-responded' &&
			part.data.approval?.approved !== undefined
		) {
			approvals.push({
				approvalId: part.data.approval.id,
				approved: part.data.approval.approved,
				reason: part.data.approval.reason
			});
		}
	}
	return { type: 'continue', messageId: storedLast.id, toolOutputs, approvals };
}
