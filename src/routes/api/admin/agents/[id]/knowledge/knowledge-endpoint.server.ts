import type { RequestEvent } from '@sveltejs/kit';
import { TRPCError } from '@trpc/server';
import { ZodError } from 'zod';
import type { KnowledgeSourceKind } from '$lib/server/db/schema';
import { AppError, errorResponse } from '$lib/server/errors';
import { sanitizeFileName } from '$lib/server/files/file-names';
import { detectMediaType } from '$lib/server/files/media-types';
import { assertUploadable } from '$lib/server/files/upload-checks';
import { requireUser } from '$lib/server/http/viewer';
import { parseCatalogue } from '$lib/server/knowledge/catalogue';
import { catalogueFormatOf } from '$lib/server/knowledge/indexer';
import { assertSourceType } from '$lib/server/knowledge/knowledge';
import { assertAdmin, getAgentResource } from '$lib/server/services/agent-admin';
import { serverCaller } from '$lib/server/trpc/context';

/**
 * The admin and agent of a knowledge endpoint: 401 when nobody is signed in, 403 for anyone but
 * an admin, 404 when the agent does not exist. Returns the knowledge procedures to call.
 */
export async function knowledgeRequest(event: Pick<RequestEvent, 'locals' | 'params'>) {
	const viewer = requireUser(event.locals);
	assertAdmin(viewer);
	const id = (event.params as { id?: string }).id ?? '';
	if (!/^\d{1,15}$/.test(id)) throw new AppError('not_found', `No agent "${id}" was found.`, { field: 'id' });
	const agentId = Number(id);
	await getAgentResource(event.locals.db, viewer, agentId);
	return { viewer, agentId, knowledge: serverCaller(event).knowledge };
}

/** The JSON error response for what a knowledge endpoint threw, showing a procedure's own error. */
export function knowledgeErrorResponse(thrown: unknown): Response {
	if (thrown instanceof TRPCError && thrown.cause instanceof AppError) return errorResponse(thrown.cause);
	if (thrown instanceof TRPCError && thrown.cause instanceof ZodError) {
		const [issue] = thrown.cause.issues;
		const field = issue?.path.map(String).join('.') || 'body';
		return errorResponse(new AppError('invalid_input', `${field}: ${issue?.message ?? 'is not valid'}`, { field }));
	}
	return errorResponse(thrown);
}

/** The kind asked for in an upload's `kind` field; undefined for "auto" (or nothing). */
function chosenKind(value: FormDataEntryValue | null): KnowledgeSourceKind | undefined {
	if (value === null || value === '' || value === 'auto') return undefined;
	if (value === 'document' || value === 'catalogue') return value;
	throw new AppError('invalid_input', 'kind: must be document, catalogue or auto.', { field: 'kind' });
}

/**
 * Reads and checks a knowledge upload (fields `file` and `kind`) before anything is stored: 400
 * without a file or with an unknown kind, 413 over the file size limit, 415 for a file whose text
 * Parley cannot read (or a catalogue that is not CSV or JSON), 422 for a catalogue whose rows
 * cannot be read. Without a kind, CSV and JSON files are catalogues and the rest documents.
 */
export async function readKnowledgeUpload(form: FormData): Promise<{ file: File; kind: KnowledgeSourceKind }> {
	const file = form.get('file');
	if (!(file instanceof File)) throw new AppError('invalid_input', 'Choose a file to add.', { field: 'file' });
	const chosen = chosenKind(form.get('kind'));
	assertUploadable(file, 'file');
	const bytes = new Uint8Array(await file.arrayBuffer());
	const name = sanitizeFileName(file.name);
	const mimeType = await detectMediaType(bytes, file.type, name);
	const format = catalogueFormatOf(mimeType);
	const kind = chosen ?? (format ? 'catalogue' : 'document');
	assertSourceType({ name, mimeType }, kind);
	if (kind === 'catalogue' && format) {
		try {
			parseCatalogue(new TextDecoder().decode(bytes), format);
		} catch (error) {
			if (!(error instanceof AppError)) throw error;
			throw new AppError(
				'unprocessable',
				`"${name}" cannot be read as a catalogue: ${error.message} Add it as a document to search its text.`,
				{
					field: 'file'
				}
			);
		}
	}
	return { file, kind };
}
