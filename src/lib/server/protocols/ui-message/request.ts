import { z } from 'zod';

/** A text part a client may send. */
const textPart = z.object({ type: z.literal('text'), text: z.string().max(100_000) });

/** A file part a client may send: a data URL (or a link to an uploaded file). */
const filePart = z.object({
	type: z.literal('file'),
	mediaType: z.string().min(1).max(255),
	url: z.string().min(1),
	filename: z.string().max(255).optional()
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

/** The parts of a new user message that the server accepts: text and files only. */
export const userPartsSchema = z
	.array(z.discriminatedUnion('type', [textPart, filePart]))
	.min(1, { message: 'The message is empty.' });
