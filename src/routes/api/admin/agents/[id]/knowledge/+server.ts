import { json } from '@sveltejs/kit';
import { readForm } from '$lib/server/http/read-form';
import { saveUpload } from '$lib/server/files/file-records';
import { knowledgeErrorResponse, knowledgeRequest, readKnowledgeUpload } from './knowledge-endpoint.server';
import type { RequestHandler } from './$types';

/** The agent's knowledge sources, newest first, with their indexing status (admins). */
export const GET: RequestHandler = async (event) => {
	try {
		const { agentId, knowledge } = await knowledgeRequest(event);
		return json({ sources: await knowledge.list({ agentId }) });
	} catch (error) {
		return knowledgeErrorResponse(error);
	}
};

/**
 * Adds a document or a catalogue to the agent's knowledge (multipart: `file`, and `kind` =
 * `document`, `catalogue` or `auto`); 201 with the source, indexed in the background (admins).
 */
export const POST: RequestHandler = async (event) => {
	try {
		const { viewer, agentId, knowledge } = await knowledgeRequest(event);
		const { file, kind } = await readKnowledgeUpload(await readForm(event.request));
		const stored = await saveUpload(event.locals.db, { viewer, file });
		return json({ source: await knowledge.add({ agentId, fileId: stored.id, kind }) }, { status: 201 });
	} catch (error) {
		return knowledgeErrorResponse(error);
	}
};
