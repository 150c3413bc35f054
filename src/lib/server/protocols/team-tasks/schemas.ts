import { z } from 'zod';
import 'zod-openapi';

/** A file of a task, as the team-agent API lists it. */
export const teamTaskFileSchema = z
	.object({
		name: z.string(),
		type: z.enum(['image', 'video', 'audio', 'document']).meta({ description: 'The kind of file.' }),
		size: z.number().int().meta({ description: 'Bytes.' }),
		mime_type: z.string(),
		url: z.string().meta({ description: 'Where to download it: `/api/files/{id}` (same credentials).' })
	})
	.meta({ id: 'TeamTaskFile' });

export type TeamTaskFile = z.infer<typeof teamTaskFileSchema>;

/** The files of a message, grouped by kind. */
const fileGroups = {
	images: z.array(teamTaskFileSchema),
	videos: z.array(teamTaskFileSchema),
	audios: z.array(teamTaskFileSchema),
	documents: z.array(teamTaskFileSchema)
};

/** One question of a task. */
export const teamTaskRequestSchema = z
	.object({
		id_team_agent: z.string(),
		id_team: z.string().nullable(),
		id_task: z.string(),
		text: z.string(),
		...fileGroups
	})
	.meta({ id: 'TeamTaskRequest' });

export type TeamTaskRequest = z.infer<typeof teamTaskRequestSchema>;

/** How an answer ended. */
export const teamTaskEndEventSchema = z.enum(['finished', 'error', 'interrupted']);

/** One answer of a task; absent while it is being written. */
export const teamTaskResponseSchema = z
	.object({
		id_team_agent: z.string(),
		id_team: z.string().nullable(),
		id_task: z.string(),
		created_at: z.string().meta({ description: 'ISO 8601.' }),
		text: z.string(),
		reasoning: z.string(),
		...fileGroups,
		event: teamTaskEndEventSchema,
		is_finished: z.boolean(),
		is_error: z.boolean(),
		is_interrupted: z.boolean(),
		error: z.string().nullable(),
		reason: z.string().nullable()
	})
	.meta({ id: 'TeamTaskResponse' });

export type TeamTaskResponse = z.infer<typeof teamTaskResponseSchema>;

/** A question and its answer. */
export const teamTaskTurnSchema = z
	.object({ request: teamTaskRequestSchema, response: teamTaskResponseSchema.optional() })
	.meta({ id: 'TeamTaskTurn' });

export type TeamTaskTurn = z.infer<typeof teamTaskTurnSchema>;

/** A task as the team-agent API shows it. */
export const teamTaskSchema = z
	.object({
		id_task: z.string(),
		id_team_agent: z.string(),
		id_team: z.string().nullable(),
		title: z.string(),
		content: z.array(teamTaskTurnSchema),
		driver: z.enum(['auto', 'agent', 'user']),
		created_at: z.string().meta({ description: 'ISO 8601.' }),
		updated_at: z.string().meta({ description: 'ISO 8601.' })
	})
	.meta({ id: 'TeamTask' });

export type TeamTask = z.infer<typeof teamTaskSchema>;

/** The answer to deleting a task. */
export const teamTaskDeletedSchema = z.object({ success: z.literal(true), id_task: z.string() });

/** A media chunk's event name, by kind of file. */
export const mediaChunkEvents = ['image-chunk', 'video-chunk', 'audio-chunk', 'document-chunk'] as const;

/** One `data:` line of `POST /api/teams/messages`. */
export const teamTasksChunkSchema = z
	.discriminatedUnion('event', [
		z.object({
			event: z.literal('started'),
			id_team_agent: z.string(),
			id_team: z.string(),
			id_task: z.string(),
			created_at: z.string()
		}),
		z.object({ event: z.literal('text-chunk'), content: z.string() }),
		z.object({ event: z.literal('reasoning-chunk'), content: z.string() }),
		z.object({
			event: z.enum(mediaChunkEvents),
			name: z.string(),
			is_base64: z.boolean(),
			is_url: z.boolean(),
			mime_type: z.string(),
			content: z.string()
		}),
		z.object({ event: z.literal('step'), step: z.number().int(), content: z.string() }),
		z.object({ event: z.literal('loading'), progress: z.number().optional() }),
		z.object({ event: z.literal('finished') }),
		z.object({ event: z.literal('error'), error: z.string() }),
		z.object({ event: z.literal('interrupted'), reason: z.string() })
	])
	.meta({ id: 'TeamTasksChunk' });

export type TeamTasksChunk = z.infer<typeof teamTasksChunkSchema>;
