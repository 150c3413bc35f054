import { errorResponse } from '$lib/server/errors';
import { saveUpload, toFileSummary } from '$lib/server/files/file-records';
import { assertFileCount, assertUploadableByType } from '$lib/server/files/upload-checks';
import { readForm } from '$lib/server/http/read-form';
import { requireUser } from '$lib/server/http/viewer';
import { fileUploadFormSchema } from '$lib/server/openapi/files-paths';
import { parseForm } from '$lib/server/protocols/team-tasks/request';
import type { RequestHandler } from './$types';

/** Uploads files (multipart, the field `file`, repeated for several, at most `FILES_PER_REQUEST_LIMIT`); 201 with what was stored. */
export const POST: RequestHandler = async (event) => {
	try {
		const viewer = requireUser(event.locals);
		const form = parseForm(await readForm(event.request), fileUploadFormSchema, ['file']);
		const stored = [];
		// Every file is checked before any is stored.
		assertFileCount(form.file.length, 'file');
		for (const file of form.file) await assertUploadableByType(file, 'file');
		for (const file of form.file) stored.push(toFileSummary(await saveUpload(event.locals.db, { viewer, file })));
		return Response.json({ files: stored }, { status: 201 });
	} catch (error) {
		return errorResponse(error);
	}
};
