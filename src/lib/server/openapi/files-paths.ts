import { z } from 'zod';
import type { ZodOpenApiPathsObject } from 'zod-openapi';
import { errorResponses, keyOrAnonymous, keyOrSession } from './shared';

const tags = ['Files'];

/** A stored file, as `POST /api/files` lists it. */
export const fileSummarySchema = z
	.object({
		id: z.string(),
		name: z.string().meta({ description: 'The sanitised file name.' }),
		mime_type: z.string().meta({
			description:
				'Read from the content (file signatures); for UTF-8 text, the declared text type, else the file name’s extension, else the content (HTML, JSON), else text/plain.'
		}),
		size: z.number().int().meta({ description: 'Bytes.' }),
		status: z.literal('stored')
	})
	.meta({ id: 'UploadedFile' });

/** A stored file with its text extraction. */
export const fileMetaSchema = fileSummarySchema
	.extend({
		extraction_status: z.enum(['none', 'pending', 'extracting', 'ready', 'failed']).meta({
			description:
				'The text of PDF, Word (.docx), HTML, JSON, CSV, Markdown and plain text files, and of images (OCR), is read in the background after the upload (`pending` → `extracting` → `ready`, or `failed` for a damaged file); other types, and images without text, are `none`.'
		}),
		extraction_error: z.string().nullable().meta({ description: 'Why the text could not be read, when `extraction_status` is `failed`.' }),
		text_length: z.number().int().meta({ description: 'Characters of extracted text (at most 1,000,000).' })
	})
	.meta({ id: 'UploadedFileMeta' });

/** The form of `POST /api/files`. */
export const fileUploadFormSchema = z.object({
	file: z
		.array(z.file({ error: 'must hold files, not text' }), { error: 'is required: send at least one file' })
		.min(1, { error: 'is required: send at least one file' })
		.meta({ description: 'One or more files; repeat the field.' })
});

const idPath = z.object({ id: z.string().meta({ description: 'The file id.' }) });

/** The files endpoints (`api.md` "Files"). */
export const filesPaths: ZodOpenApiPathsObject = {
	'/api/files': {
		post: {
			tags,
			summary: 'Upload files',
			description: 'Each file is stored under its SHA-256; its type is read from its content. Files belong to the caller.',
			security: keyOrSession,
			requestBody: { content: { 'multipart/form-data': { schema: fileUploadFormSchema } } },
			responses: {
				'201': {
					description: 'What was stored.',
					content: { 'application/json': { schema: z.object({ files: z.array(fileSummarySchema) }) } }
				},
				...errorResponses(400, 401, 413, 415)
			}
		}
	},
	'/api/files/{id}': {
		get: {
			tags,
			summary: 'Download a file',
			description:
				'Its owner or an admin (anonymous owners send their `X-Anonymous-Id`). Raster images are shown inline, everything else is sent as an attachment; always with `nosniff`.',
			security: keyOrAnonymous,
			requestParams: { path: idPath },
			responses: {
				'200': {
					description: 'The bytes, with the stored `content-type` and a `content-disposition` naming the file.',
					content: { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } }
				},
				...errorResponses(401, 404)
			}
		}
	},
	'/api/files/signed/{token}': {
		get: {
			tags,
			summary: 'Download a file through a signed, time-limited link',
			description:
				'Links Parley hands out (for example `signed_url` in `search_products` results) with the local disk storage; the signature is the permission, no sign-in is needed. With S3 storage the links are presigned S3 URLs instead.',
			security: [],
			requestParams: { path: z.object({ token: z.string().meta({ description: 'The signed token of the link.' }) }) },
			responses: {
				'200': {
					description: 'The bytes, with the signed `content-type`; raster images inline, anything else as an attachment.',
					content: { 'application/octet-stream': { schema: z.string().meta({ format: 'binary' }) } }
				},
				// A request that sends a key anyway has it checked: a bad one is a 401.
				...errorResponses(401, 403, 404)
			}
		}
	},
	'/api/files/{id}/meta': {
		get: {
			tags,
			summary: 'A file’s details and text extraction status',
			security: keyOrAnonymous,
			requestParams: { path: idPath },
			responses: {
				'200': { description: 'The file.', content: { 'application/json': { schema: fileMetaSchema } } },
				...errorResponses(401, 404)
			}
		}
	}
};
