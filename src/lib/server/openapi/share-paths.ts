import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { exportQuerySchema, shareRequestSchema } from '../http/share-requests';
import { errorResponses, keyOrSession } from './shared';

const tags = ['Sharing and export'];

/** A share link, as the share endpoints answer it. */
export const shareLinkSchema = z
	.object({
		token: z.string().meta({ description: 'The link’s secret token: 32 URL-safe characters (192 random bits).' }),
		url: z.string().meta({ description: 'The read-only public page, `/s/{token}`, absolute.' }),
		task_id: z.string(),
		title: z.string(),
		agent_name: z.string(),
		message_count: z.number().int().meta({ description: 'Messages in the shared copy.' }),
		created_at: z.string().meta({ format: 'date-time' }),
		updated_at: z.string().meta({ format: 'date-time', description: 'When the copy was last taken.' })
	})
	.meta({ id: 'ShareLink' });

const taskPath = z.object({ id: z.string().meta({ description: 'The task id.' }) });

/** A task's export (`format=json`). */
const taskExportSchema = z
	.object({
		format: z.literal('parley.task-export'),
		version: z.literal(1),
		exported_at: z.string().meta({ format: 'date-time' }),
		task: z.object({
			id: z.string(),
			title: z.string(),
			agent: z.object({ slug: z.string(), name: z.string() }),
			created_at: z.string().meta({ format: 'date-time' }),
			updated_at: z.string().meta({ format: 'date-time' })
		}),
		messages: z.array(
			z.object({
				id: z.string(),
				role: z.enum(['user', 'assistant', 'system']),
				status: z.enum(['complete', 'streaming', 'interrupted', 'error']),
				error: z.string().nullable(),
				model: z.string().nullable(),
				created_at: z.string().meta({ format: 'date-time' }),
				parts: z
					.array(z.record(z.string(), z.unknown()))
					.meta({ description: 'AI SDK UIMessage parts; a stored file’s part links to `/api/files/{id}` (absolute).' })
			})
		),
		files: z.array(z.object({ id: z.string(), name: z.string(), mime_type: z.string(), size: z.number().int(), url: z.string() }))
	})
	.meta({ id: 'TaskExport' });

/** Sharing a task as a public read-only page, and exporting it. */
export const sharePaths: ZodOpenApiPathsObject = {
	'/api/tasks/{id}/share': {
		post: {
			tags,
			summary: 'Share a task as a read-only public page',
			description:
				'Takes a copy of the task’s active branch as it is now and publishes it at `/s/{token}`, which anyone with the link can read without signing in (files it shows are served through the link only). Messages sent later are not in it; sharing the task again updates the copy and keeps the link. Only the task’s owner may share it. At most `SHARE_LINKS_PER_USER` links per person (409 beyond) and `SHARE_SNAPSHOT_LIMIT` bytes per copy (413). The body is optional.',
			security: keyOrSession,
			requestParams: { path: taskPath },
			requestBody: { required: false, content: { 'application/json': { schema: shareRequestSchema } } },
			responses: {
				'200': {
					description: 'The task’s existing link, its copy updated.',
					content: { 'application/json': { schema: shareLinkSchema.extend({ created: z.literal(false) }) } }
				},
				'201': {
					description: 'A new link.',
					content: { 'application/json': { schema: shareLinkSchema.extend({ created: z.literal(true) }) } }
				},
				...errorResponses(400, 401, 404, 409, 413)
			}
		}
	},
	'/api/tasks/{id}/export': {
		get: {
			tags,
			summary: 'Export a task as Markdown or JSON',
			description:
				'The task’s active branch, as a download. `md`: a Markdown document (title, agent, each message under who wrote it; reasoning quoted, tool calls with their input and output, files as links). `json`: the messages with their parts, files linked to `/api/files/{id}`. Only the task’s owner.',
			security: keyOrSession,
			requestParams: { path: taskPath, query: exportQuerySchema },
			responses: {
				'200': {
					description: 'The export, with a `content-disposition` naming the file.',
					content: {
						'text/markdown': { schema: z.string() },
						'application/json': { schema: taskExportSchema }
					}
				},
				...errorResponses(400, 401, 404)
			}
		}
	},
	'/api/share-links': {
		get: {
			tags,
			summary: 'List your share links',
			security: keyOrSession,
			requestParams: { query: z.object({ task_id: z.string().optional().meta({ description: 'Only this task’s link.' }) }) },
			responses: {
				'200': {
					description: 'Newest first.',
					content: { 'application/json': { schema: z.object({ links: z.array(shareLinkSchema) }) } }
				},
				...errorResponses(401)
			}
		}
	},
	'/api/share-links/{token}': {
		delete: {
			tags,
			summary: 'Revoke a share link',
			description: 'Its page answers 404 at once, and so do the files it showed. Only the link’s owner.',
			security: keyOrSession,
			requestParams: { path: z.object({ token: z.string() }) },
			responses: {
				'200': {
					description: 'Revoked.',
					content: { 'application/json': { schema: z.object({ revoked: z.literal(true), token: z.string() }) } }
				},
				...errorResponses(401, 404)
			}
		}
	}
};
