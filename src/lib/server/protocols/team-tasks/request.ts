import { z } from 'zod';
import 'zod-openapi';
import { AppError } from '../../errors';
import { JsonInputError, parseJsonWithin } from '../../http/json-depth';

/** The form fields that carry files, by kind. */
export const TEAM_FILE_FIELDS = ['images', 'videos', 'audios', 'documents'] as const;

/** The name of a form field that carries files. */
export type TeamFileField = (typeof TEAM_FILE_FIELDS)[number];

/** A required identifier field: an agent id or slug, a team, a task. */
const identifier = (description: string) =>
	z
		.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') })
		.trim()
		.min(1, { error: 'is required' })
		.max(128, { error: 'must be at most 128 characters' })
		.meta({ description });

/** The text of a question. */
const text = z
	.string({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be text') })
	.max(100_000, { error: 'must be at most 100,000 characters' });

/**
 * `context`: a form field holding a JSON object. Text that is not JSON, or JSON that is not an
 * object, is refused here (400); whether the object suits the agent is checked later (422).
 */
export const contextFieldSchema = z
	.string({ error: 'must be a JSON object, as text' })
	.optional()
	.meta({ description: 'A JSON object, as text, stored on the task and checked against the agent’s context schema.' })
	.transform((raw, context): Record<string, unknown> | undefined => {
		if (raw === undefined || raw.trim() === '') return undefined;
		let value: unknown;
		try {
			value = parseJsonWithin(raw, { field: 'context', subject: 'context' });
		} catch (error) {
			if (!(error instanceof JsonInputError)) throw error;
			context.addIssue({ code: 'custom', message: error.detail });
			return z.NEVER;
		}
		const object = z.record(z.string(), z.unknown()).safeParse(value);
		if (!object.success || Array.isArray(value)) {
			context.addIssue({ code: 'custom', message: 'must be a JSON object' });
			return z.NEVER;
		}
		return object.data;
	});

/** Files of one kind: the field repeated once per file. */
const fileList = (kind: string) =>
	z
		.array(z.file({ error: 'must be a file' }))
		.default([])
		.meta({ description: `${kind}; repeat the field for several files.` });

/** An anonymous caller's id, for callers that cannot send the `X-Anonymous-Id` header. */
const anonymousId = z.string().optional().meta({ description: 'Anonymous callers of public agents: their id (or send `X-Anonymous-Id`).' });

/** The form of `POST /api/teams/messages`. */
export const teamMessageFormSchema = z
	.object({
		id_team_agent: identifier('The agent: its id or slug.'),
		id_team: identifier('The team; created on first use.'),
		id_task: z
			.string({ error: 'must be text' })
			.trim()
			.max(128, { error: 'must be at most 128 characters' })
			.optional()
			.transform((value) => value || undefined)
			.meta({ description: 'An existing task of yours to continue; a new task when absent.' }),
		text,
		context: contextFieldSchema,
		images: fileList('Images'),
		videos: fileList('Videos'),
		audios: fileList('Audio files'),
		documents: fileList('Documents'),
		anonymous_id: anonymousId
	})
	.superRefine((form, context) => {
		const files = TEAM_FILE_FIELDS.reduce((count, field) => count + form[field].length, 0);
		if (form.text.trim() === '' && files === 0) {
			context.addIssue({ code: 'custom', path: ['text'], message: 'is empty: send a text or at least one file' });
		}
	});

export type TeamMessageForm = z.infer<typeof teamMessageFormSchema>;

/** The form of `POST /api/teams/tasks/{id_team_agent}`. */
export const teamTaskCreateFormSchema = z.object({
	id_team: identifier('The team; created on first use.'),
	text: text.refine((value) => value.trim() !== '', { error: 'is empty' }),
	context: contextFieldSchema,
	anonymous_id: anonymousId
});

export type TeamTaskCreateForm = z.infer<typeof teamTaskCreateFormSchema>;

/** The path of the task list and task creation. */
export const teamAgentPathSchema = z.object({
	id_team_agent: z.string().meta({ description: 'The agent: its id or slug.' })
});

/** The path of one task. */
export const teamTaskPathSchema = teamAgentPathSchema.extend({
	id_task: z.string().meta({ description: 'The task id.' })
});

/**
 * The fields of a form as an object to validate: file fields become lists (empty file inputs,
 * which browsers send when nothing was chosen, are left out); other fields keep their last value.
 */
export function formToObject(form: FormData, fileFields: readonly string[] = TEAM_FILE_FIELDS): Record<string, unknown> {
	const object: Record<string, unknown> = {};
	for (const [field, value] of form) {
		if (!fileFields.includes(field)) object[field] = value;
	}
	for (const field of fileFields) {
		if (!form.has(field)) continue;
		object[field] = form.getAll(field).filter((value) => !(value instanceof File && value.size === 0 && value.name === ''));
	}
	return object;
}

/** Validates a form against a schema: the first problem is a 400 naming its field. */
export function parseForm<T extends z.ZodType>(form: FormData, schema: T, fileFields: readonly string[] = TEAM_FILE_FIELDS): z.infer<T> {
	const result = schema.safeParse(formToObject(form, fileFields));
	if (result.success) return result.data;
	const issue = result.error.issues[0];
	const field = issue.path.length > 0 ? String(issue.path[0]) : 'body';
	throw new AppError('invalid_input', `${field} ${issue.message}.`, { field });
}

/**
 * Whether a request accepts server-sent events: its `Accept` header lists `text/event-stream`
 * (with a non-zero quality). `*\/*` is not enough: this endpoint only streams, and says so.
 */
export function acceptsEventStream(accept: string | null): boolean {
	if (!accept) return false;
	return accept.split(',').some((range) => {
		const [type, ...parameters] = range.split(';').map((piece) => piece.trim().toLowerCase());
		if (type !== 'text/event-stream') return false;
		const quality = parameters.find((parameter) => parameter.startsWith('q='));
		return !quality || Number(quality.slice(2)) > 0;
	});
}
