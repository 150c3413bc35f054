import { errorResponse } from '$lib/server/errors';
import { contentDisposition } from '$lib/server/files/file-names';
import { readExportFormat } from '$lib/server/http/share-requests';
import { requireUser } from '$lib/server/http/viewer';
import { exportMarkdown } from '$lib/server/services/export-markdown';
import { exportFileName, exportTask } from '$lib/server/services/task-export';
import type { RequestHandler } from './$types';

/** Downloads a task of the caller's (its active branch) as Markdown (`?format=md`) or JSON (`?format=json`). */
export const GET: RequestHandler = async (event) => {
	try {
		const user = requireUser(event.locals);
		const format = readExportFormat(event.url);
		const exported = await exportTask(event.locals.db, user.id, event.params.id, event.url.origin);
		const body = format === 'md' ? exportMarkdown(exported) : `${JSON.stringify(exported, null, 2)}\n`;
		return new Response(body, {
			headers: {
				'content-type': format === 'md' ? 'text/markdown; charset=utf-8' : 'application/json; charset=utf-8',
				'content-disposition': contentDisposition(exportFileName(exported.task.title, format)),
				'cache-control': 'private, no-store'
			}
		});
	} catch (error) {
		return errorResponse(error);
	}
};
