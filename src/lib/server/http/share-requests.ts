import { z } from 'zod';
import { getConfig } from '../config';
import { AppError } from '../errors';
import { SHARE_TITLE_LIMIT } from '../services/share-links';
import { exportFormats, type ExportFormat } from '../services/task-export';
import { parseJsonWithin } from './json-depth';
import { readBodyWithin } from './read-body';

/** The optional body of `POST /api/tasks/{id}/share`. */
export const shareRequestSchema = z
	.object({
		title: z
			.string({ error: 'must be a string' })
			.trim()
			.min(1, { error: 'must not be empty' })
			.max(SHARE_TITLE_LIMIT, { error: `must be at most ${SHARE_TITLE_LIMIT} characters` })
			.optional()
			.meta({ description: 'The title the shared page shows; the chat’s own title by default.' })
	})
	.strict()
	.meta({ id: 'ShareRequest' });

export type ShareRequest = z.infer<typeof shareRequestSchema>;

/** The first issue of a failed parse as an `invalid_input` naming its field. */
function invalid(error: z.ZodError, fallbackField: string): AppError {
	const issue = error.issues[0];
	const field = issue.path.join('.') || fallbackField;
	const message = issue.code === 'unrecognized_keys' ? `${issue.keys.join(', ')}: unknown field` : `${field}: ${issue.message}`;
	return new AppError('invalid_input', message, { field: issue.code === 'unrecognized_keys' ? issue.keys[0] : field });
}

/**
 * Reads the body of a share request: none at all (or only spaces) is `{}`; anything else must be
 * a JSON object of {@link shareRequestSchema}, within `JSON_BODY_LIMIT`.
 */
export async function readShareRequest(request: Request): Promise<ShareRequest> {
	const text = new TextDecoder().decode(await readBodyWithin(request, getConfig().JSON_BODY_LIMIT));
	if (text.trim() === '') return {};
	const result = shareRequestSchema.safeParse(parseJsonWithin(text));
	if (!result.success) throw invalid(result.error, 'body');
	return result.data;
}

/** The query of `GET /api/tasks/{id}/export`. */
export const exportQuerySchema = z.object({
	format: z
		.enum(exportFormats, { error: 'must be md or json' })
		.meta({ description: '`md` for a Markdown document, `json` for the messages with their parts.' })
});

/** The export format a query asks for (`?format=md|json`); anything else is `invalid_input` naming `format`. */
export function readExportFormat(url: URL): ExportFormat {
	const result = exportQuerySchema.safeParse({ format: url.searchParams.get('format') ?? undefined });
	if (!result.success) throw invalid(result.error, 'format');
	return result.data.format;
}
