import type { FileUIPart } from 'ai';
import { z } from 'zod';

/**
 * A session id as clients send it: text, or a number from old clients (`"session_id": 1`), read
 * as text.
 */
export const sessionIdSchema = z
	.union([z.string().trim().min(1, { message: 'must not be empty' }).max(128), z.number().int().nonnegative()])
	.transform(String)
	.meta({ description: 'The session (task) id; numbers sent by old clients are read as text.', example: 'k3v9q2x7m4p8r1t6w5y0z2a4b6' });

/** An agent id or slug. */
const agentIdSchema = z
	.union([z.string().trim().min(1, { message: 'must not be empty' }).max(128), z.number().int().positive()])
	.meta({ description: 'The agent: its integer id or its slug.', example: 'tool-demo' });

/** Base64 text, with an optional `data:<type>;base64,` prefix and white space allowed. */
const base64Schema = z
	.string()
	.transform((value) => value.replace(/^data:[^,]*;base64,/, '').replace(/\s+/g, ''))
	.refine((value) => value.length > 0 && value.length % 4 === 0 && /^[A-Za-z0-9+/]+={0,2}$/.test(value), {
		message: 'must be base64-encoded content'
	});

/** A file sent inline in a request. */
export const inlineFileSchema = z
	.object({
		name: z.string().trim().min(1, { message: 'must not be empty' }).max(255),
		mime_type: z
			.string()
			.trim()
			.toLowerCase()
			.regex(/^[a-z0-9][a-z0-9!#$&^_.+-]*\/[a-z0-9][a-z0-9!#$&^_.+-]*$/, { message: 'must be a media type such as image/png' }),
		base64: base64Schema
	})
	.meta({ description: 'A file sent inline, its content base64-encoded.' });

/** A file of a request: the id of an uploaded file (`POST /api/files`), or an inline file. */
export const agentFileSchema = z.union([z.string().trim().min(1).max(128), inlineFileSchema]);

/** The body of `POST /api/agent/stream/` and `POST /api/agent/chat/`. */
export const agentRunRequestSchema = z
	.object({
		message: z.string().max(100_000).meta({ description: 'The user’s message.' }),
		agent_id: agentIdSchema,
		session_id: sessionIdSchema.nullish().meta({ description: 'Continue this session; a new one when left out.' }),
		auto_execute_tools: z
			.boolean()
			.default(true)
			.meta({ description: 'When false, every tool call is handed to the caller, which posts its output back.' }),
		files: z
			.array(agentFileSchema)
			.default([])
			.meta({ description: 'Uploaded file ids, or inline `{name, mime_type, base64}` files; at most `FILES_PER_REQUEST_LIMIT` (20).' }),
		context: z
			.record(z.string(), z.unknown())
			.nullish()
			.meta({ description: 'Task context for a new session, checked against the agent’s context schema.' }),
		anonymous_id: z.string().optional().meta({ description: 'Anonymous callers of public agents: their id (or send `X-Anonymous-Id`).' })
	})
	.superRefine((body, context) => {
		if (body.message.trim() === '' && body.files.length === 0) {
			context.addIssue({ code: 'custom', path: ['message'], message: 'must not be empty' });
		}
	})
	.meta({ id: 'AgentRunRequest' });

/** A parsed agent run request. */
export type AgentRunRequest = z.infer<typeof agentRunRequestSchema>;

/** An inline file of a request, once parsed. */
export type InlineFile = z.infer<typeof inlineFileSchema>;

/** The body of `POST /api/agent/tool-output/`. */
export const toolOutputRequestSchema = z
	.object({
		session_id: sessionIdSchema,
		call_id: z.string().trim().min(1, { message: 'must not be empty' }).max(256),
		output: z
			.unknown()
			.refine((value) => value !== undefined, { message: 'is required' })
			.meta({
				description: 'The tool’s output (any JSON); for a call that waits for approval, `{"approved": true|false, "reason"?}`.'
			}),
		anonymous_id: z.string().optional()
	})
	.meta({ id: 'AgentToolOutputRequest' });

/** A parsed tool output request. */
export type ToolOutputRequest = z.infer<typeof toolOutputRequestSchema>;

/** An inline file as an AI SDK file part: its content as a data URL. */
export function toInlineFilePart(file: InlineFile, filename = file.name): FileUIPart {
	return {
		type: 'file',
		mediaType: file.mime_type,
		url: `data:${file.mime_type};base64,${file.base64}`,
		filename
	};
}
