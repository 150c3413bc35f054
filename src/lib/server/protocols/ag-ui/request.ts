import { z } from 'zod';
import type { Config } from '../../config';
import { AppError } from '../../errors';
import { checkHistory } from '../history-limits';

/** Most tools a caller may define for one run. */
export const MAX_TOOLS = 128;
/** Most `context` entries of one run. */
export const MAX_CONTEXT = 64;
/** Most `resume` entries of one run. */
export const MAX_RESUME = 128;
const MAX_ID = 128;

/** A thread is a Parley task: its id follows the task ids' rule. */
export const threadIdSchema = z
	.string()
	.regex(/^[A-Za-z0-9_-]{8,64}$/, { message: 'A threadId is a task id: 8–64 letters, digits, "_" or "-".' });

/** A run id the caller chooses: it names the run for replay and cancel. */
export const runIdSchema = z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/, { message: 'A runId must be 1–128 letters, digits or "_.:-".' });

const id = z.string().min(1).max(MAX_ID);

/** A source of a non-text content part: inline (`data`, base64) or by link (`url`). */
const sourceSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('data'), value: z.string(), mimeType: z.string().min(1).max(255) }),
	z.object({ type: z.literal('url'), value: z.string().min(1).max(2048), mimeType: z.string().max(255).optional() }),
	z.object({ type: z.literal('file'), value: z.string().min(1).max(2048), mimeType: z.string().max(255).optional() })
]);

/** A part of a user or tool message's content. */
const contentPartSchema = z.discriminatedUnion('type', [
	z.object({ type: z.literal('text'), text: z.string(), id: z.string().max(MAX_ID).optional() }),
	...(['image', 'audio', 'video', 'document'] as const).map((type) =>
		z.object({ type: z.literal(type), source: sourceSchema, id: z.string().max(MAX_ID).optional() })
	)
]);

const contentSchema = z.union([z.string(), z.array(contentPartSchema).max(64)]);

const toolCallSchema = z.object({
	id,
	type: z.literal('function'),
	function: z.object({ name: z.string().min(1).max(128), arguments: z.string() })
});

const base = { id, name: z.string().max(MAX_ID).optional(), encryptedValue: z.string().optional(), metadata: z.unknown().optional() };

/** One message of the conversation, in AG-UI's roles. */
export const agUiMessageSchema = z.discriminatedUnion('role', [
	z.object({ ...base, role: z.literal('user'), content: contentSchema }),
	z.object({
		...base,
		role: z.literal('assistant'),
		content: z.string().nullish(),
		toolCalls: z.array(toolCallSchema).max(MAX_TOOLS).optional()
	}),
	z.object({ ...base, role: z.literal('system'), content: z.string() }),
	z.object({ ...base, role: z.literal('developer'), content: z.string() }),
	z.object({ ...base, role: z.literal('tool'), content: contentSchema, toolCallId: id, error: z.string().max(10_000).optional() }),
	z.object({ ...base, role: z.literal('reasoning'), content: z.string() }),
	z.object({ ...base, role: z.literal('activity'), activityType: z.string().max(MAX_ID), content: z.record(z.string(), z.unknown()) })
]);
export type AgUiMessage = z.infer<typeof agUiMessageSchema>;

/** A tool the front end defines and runs itself (a client tool). */
export const agUiToolSchema = z.object({
	name: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { message: 'A tool name must be 1–64 letters, digits, "_" or "-".' }),
	description: z.string().max(10_000),
	parameters: z.record(z.string(), z.unknown()).optional(),
	metadata: z.unknown().optional()
});
export type AgUiTool = z.infer<typeof agUiToolSchema>;

/** An answer to an interrupt of the run before (an approval). */
export const resumeEntrySchema = z.object({
	interruptId: id,
	status: z.enum(['resolved', 'cancelled']),
	payload: z.unknown().optional(),
	metadata: z.unknown().optional()
});
export type ResumeEntry = z.infer<typeof resumeEntrySchema>;

/**
 * `RunAgentInput` as `POST /ag-ui/{agent}` takes it: the thread (a Parley task), the run's id,
 * the conversation, the front end's tools, context entries, and the answers to interrupts.
 * `state` and `forwardedProps` are accepted (any JSON within the body's limits) and not used.
 */
export const runAgentInputSchema = z
	.object({
		threadId: threadIdSchema,
		runId: runIdSchema,
		protocolVersion: z.string().max(32).optional(),
		parentRunId: z.string().max(MAX_ID).optional(),
		state: z.unknown().optional(),
		messages: z.array(agUiMessageSchema),
		tools: z.array(agUiToolSchema).max(MAX_TOOLS).optional(),
		context: z
			.array(z.object({ description: z.string().max(10_000), value: z.string() }))
			.max(MAX_CONTEXT)
			.optional(),
		forwardedProps: z.unknown().optional(),
		resume: z.array(resumeEntrySchema).max(MAX_RESUME).optional()
	})
	.meta({ id: 'AgUiRunAgentInput' });
export type RunAgentInput = z.infer<typeof runAgentInputSchema>;

/**
 * The history limits of a run: at most `HISTORY_MESSAGE_LIMIT` messages, and the messages with
 * the context entries at most `HISTORY_TEXT_LIMIT` characters of text (413 otherwise).
 */
export function checkRunAgentInput(body: RunAgentInput, config: Pick<Config, 'HISTORY_MESSAGE_LIMIT' | 'HISTORY_TEXT_LIMIT'>): void {
	checkHistory(body.messages, config, 'messages');
	checkHistory([...body.messages, ...(body.context ?? [])], config, 'context');
}

/** `unsupported_media_type` (415) unless the body is declared as JSON. */
export function assertJsonContentType(contentType: string | null): void {
	const type = (contentType ?? '').split(';')[0].trim().toLowerCase();
	if (type !== 'application/json' && !/^application\/[a-z0-9.+-]+\+json$/.test(type)) {
		throw new AppError('unsupported_media_type', 'Send RunAgentInput as JSON (Content-Type: application/json).', {
			field: 'content-type'
		});
	}
}
