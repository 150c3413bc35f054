import type { UIMessage } from 'ai';
import { z } from 'zod';
import { AppError } from '../../errors';

/** A text part of a new user message. */
const textPart = z.object({ type: z.literal('text'), text: z.string().max(100_000) });

/** An image part of a new user message: a data URL or a link. */
const imagePart = z.object({ type: z.literal('image'), image: z.string().min(1) });

/**
 * `add-message`: a new user message. It follows `parentId` (the thread's end when absent); a
 * `parentId` before the end, or `null` with a `sourceId` (the message it edits), makes it a new
 * version of the question there.
 */
export const addMessageCommandSchema = z.object({
	type: z.literal('add-message'),
	message: z.object({
		role: z.literal('user'),
		id: z.string().min(1).max(128).optional(),
		parts: z.array(z.discriminatedUnion('type', [textPart, imagePart])).min(1, { message: 'The message is empty.' })
	}),
	parentId: z.string().max(128).nullish(),
	sourceId: z.string().max(128).nullish()
});

/** `add-tool-result`: the result of a client tool, or `{approved, reason?}` for a call waiting for approval. */
export const addToolResultCommandSchema = z.object({
	type: z.literal('add-tool-result'),
	toolCallId: z.string().min(1).max(256),
	toolName: z.string().max(128).optional(),
	result: z.unknown(),
	isError: z.boolean().optional(),
	artifact: z.unknown().optional(),
	modelContent: z.array(z.unknown()).optional()
});

/** A message of `state.messages` (see `state-message.ts`); parts are checked when they are imported. */
export const stateMessageSchema = z.looseObject({
	id: z.string().max(128).optional(),
	role: z.enum(['user', 'assistant', 'system']),
	content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]),
	status: z.unknown().optional()
});

/** The client's state: Parley reads `taskId` and `messages`; other keys are the app's own. */
export const threadStateSchema = z.looseObject({
	taskId: z.string().min(1).max(128).nullish(),
	/** At most `HISTORY_MESSAGE_LIMIT` messages and `HISTORY_TEXT_LIMIT` characters of text, with the new messages of `commands` (`historyOf`). */
	messages: z.array(stateMessageSchema).nullish()
});

/** A frontend tool the client declares (`toToolsJSONSchema` output): the model may call it, the client runs it. */
const frontendToolSchema = z.looseObject({
	description: z.string().max(10_000).optional(),
	parameters: z.record(z.string(), z.unknown())
});

/** The body `useAssistantTransportRuntime` posts, with Parley's `context` and `anonymous_id`. */
export const assistantRequestSchema = z.looseObject({
	commands: z.array(z.discriminatedUnion('type', [addMessageCommandSchema, addToolResultCommandSchema])).max(100),
	state: threadStateSchema.nullish(),
	threadId: z.string().max(256).nullish(),
	parentId: z.string().max(128).nullish(),
	system: z.string().nullish(),
	tools: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), frontendToolSchema).nullish(),
	config: z.looseObject({ agent: z.union([z.string().min(1).max(128), z.number().int()]).optional() }).nullish(),
	context: z.record(z.string(), z.unknown()).nullish(),
	anonymous_id: z.string().optional()
});

/** The query of `POST /assistant`. */
export const assistantQuerySchema = z.object({
	agent: z
		.string()
		.min(1)
		.max(128)
		.optional()
		.meta({ description: 'The agent (slug or id) of a new thread, as `config.agent` in the body. Default: the default agent.' }),
	protocol: z
		.enum(['data-stream', 'assistant-transport'])
		.optional()
		.meta({ description: 'The wire format. `Accept: text/event-stream` also asks for `assistant-transport`. Default: `data-stream`.' })
});

/** The query of `POST /assistant`, read. */
export type AssistantQuery = z.infer<typeof assistantQuerySchema>;

/** Reads the query of a request; `invalid_input` naming the parameter at fault. */
export function readQuery(url: URL): AssistantQuery {
	const result = assistantQuerySchema.safeParse(Object.fromEntries(url.searchParams));
	if (!result.success) {
		const issue = result.error.issues[0];
		const field = issue.path.join('.') || 'query';
		throw new AppError('invalid_input', `${field}: ${issue.message}`, { field });
	}
	return result.data;
}

/** The body of `POST /assistant`, validated. */
export type AssistantRequest = z.infer<typeof assistantRequestSchema>;
/** An `add-message` command, validated. */
export type AddMessageCommand = z.infer<typeof addMessageCommandSchema>;
/** An `add-tool-result` command, validated. */
export type AddToolResultCommand = z.infer<typeof addToolResultCommandSchema>;

/** The commands of one request, sorted: at most one new message, or tool results. */
export interface SortedCommands {
	message?: AddMessageCommand;
	toolResults: AddToolResultCommand[];
}

/**
 * Sorts a request's commands. One request carries either one new message or tool results:
 * the thread answers one of them at a time.
 */
export function sortCommands(commands: AssistantRequest['commands']): SortedCommands {
	const messages = commands.filter((command) => command.type === 'add-message');
	const toolResults = commands.filter((command) => command.type === 'add-tool-result');
	if (messages.length > 1) {
		throw new AppError('invalid_input', 'Send one add-message command per request.', { field: 'commands' });
	}
	if (messages.length > 0 && toolResults.length > 0) {
		throw new AppError('invalid_input', 'Send tool results and a new message in separate requests.', {
			field: 'commands'
		});
	}
	return { message: messages[0], toolResults };
}

/**
 * The history a request carries, for the history limits: `state.messages`, then the new
 * messages of its `add-message` commands.
 */
export function historyOf(body: Pick<AssistantRequest, 'state' | 'commands'>): unknown[] {
	const added = body.commands.flatMap((command) => (command.type === 'add-message' ? [command.message] : []));
	return [...(body.state?.messages ?? []), ...added];
}

/** The prefix of the thread ids assistant-ui makes up for threads it has not yet stored anywhere. */
export const LOCAL_THREAD_ID_PREFIX = '__LOCALID_';

/**
 * The task a request continues and the field that named it: `state.taskId` (set by Parley on
 * the first turn), else `threadId`, unless that is a local id the client made up itself.
 */
export function threadTaskIdOf(body: Pick<AssistantRequest, 'state' | 'threadId'>): { id: string; field: string } | null {
	if (body.state?.taskId) return { id: body.state.taskId, field: 'state.taskId' };
	if (body.threadId && !body.threadId.startsWith(LOCAL_THREAD_ID_PREFIX)) return { id: body.threadId, field: 'threadId' };
	return null;
}

/** Where a new message goes in a thread: after `parentId`; `sourceId` names the message it edits. */
export interface MessagePlace {
	parentId?: string | null;
	sourceId?: string | null;
}

/**
 * How many messages of a thread a new message keeps before it: none when it edits the first
 * message (`parentId: null` with a `sourceId`), all of them without a `parentId`, else those up
 * to and including the parent.
 */
export function keptBefore(history: readonly { id?: string }[], { parentId, sourceId }: MessagePlace): number {
	if (parentId === null && sourceId) return 0;
	if (!parentId) return history.length;
	const index = history.findIndex((message) => message.id === parentId);
	if (index < 0) {
		throw new AppError('invalid_input', `No message "${parentId}" is in this thread.`, { field: 'parentId' });
	}
	return index + 1;
}

/** Media types of the image file extensions a link may end with. */
const imageTypes: Record<string, string> = {
	png: 'image/png',
	jpg: 'image/jpeg',
	jpeg: 'image/jpeg',
	gif: 'image/gif',
	webp: 'image/webp',
	svg: 'image/svg+xml'
};

/** The media type of an image given as a data URL or a link; `image/*` when it cannot tell. */
export function imageMediaType(image: string): string {
	const dataUrl = /^data:([\w.+-]+\/[\w.+-]+)[;,]/i.exec(image);
	if (dataUrl) return dataUrl[1].toLowerCase();
	const extension = /\.(\w+)(?:[?#]|$)/.exec(image)?.[1].toLowerCase();
	return (extension && imageTypes[extension]) || 'image/*';
}

/** The parts a new user message is stored with: text, and images as files. */
export function toUserParts(message: AddMessageCommand['message']): UIMessage['parts'] {
	return message.parts.map((part) =>
		part.type === 'text'
			? { type: 'text' as const, text: part.text }
			: { type: 'file' as const, mediaType: imageMediaType(part.image), url: part.image }
	);
}
