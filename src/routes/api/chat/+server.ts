import { getConfig } from '$lib/server/config';
import { errorResponse } from '$lib/server/errors';
import { readJson } from '$lib/server/http/read-json';
import { streamingCaller } from '$lib/server/http/streaming-caller';
import { checkHistory } from '$lib/server/protocols/history-limits';
import { chatRequestSchema, toTurnRequest } from '$lib/server/protocols/ui-message/request';
import { uiMessageStreamResponse } from '$lib/server/protocols/ui-message/response';
import { startTurn } from '$lib/server/runtime/run-turn';
import { getDefaultAgent, getUsableAgent } from '$lib/server/services/agents';
import { validateTaskContext } from '$lib/server/services/context-schema';
import { listMessages, versionOnBranch } from '$lib/server/services/messages';
import { assignFilesToTask } from '$lib/server/files/file-records';
import { resolveUserFileParts } from '$lib/server/files/model-parts';
import { createTask, findTask, getOwnTask, undoNewTaskOnFailure } from '$lib/server/services/tasks';
import type { RequestHandler } from './$types';

/**
 * The app's own chat stream (AI SDK UI message stream). The server keeps the history and takes
 * only what is new from the body; an unused `id` starts a task with that id. The run belongs to
 * the server: a client that goes away can resume it with `GET /api/chat/{id}/stream`.
 */
export const POST: RequestHandler = async (event) => {
	const headers = new Headers();
	try {
		const db = event.locals.db;
		const config = getConfig();
		const body = await readJson(event.request, chatRequestSchema);
		checkHistory(body.messages, config, 'messages');
		const viewer = await streamingCaller(event, headers, body.anonymous_id);

		const existing = (await findTask(db, body.id)) ? await getOwnTask(db, viewer, body.id, { field: 'id' }) : null;
		const agent = existing
			? await getUsableAgent(db, viewer, existing.agentId)
			: body.agentId !== undefined && body.agentId !== null
				? await getUsableAgent(db, viewer, body.agentId)
				: await getDefaultAgent(db, viewer, config.DEFAULT_AGENT);
		const stored = existing ? await listMessages(db, existing.id) : [];
		// An edit names the version the client shows, which may be an older one of the question on the branch.
		const messageId = existing && body.messageId ? await versionOnBranch(db, existing.id, body.messageId, stored) : undefined;
		let request = toTurnRequest(messageId ? { ...body, messageId } : body, stored);
		// Links to uploaded files become the caller's own files; anything else that is not inline is refused.
		let uploadedIds: string[] = [];
		if (request.type === 'message') {
			const files = await resolveUserFileParts(db, viewer, request.parts);
			request = { ...request, parts: files.parts };
			uploadedIds = files.uploadedIds;
		}

		if (!existing) validateTaskContext(agent.contextSchema, body.context);
		const task =
			existing ?? (await createTask(db, { viewer, agentId: agent.id, id: body.id, context: body.context ?? null }));
		const run = await undoNewTaskOnFailure(db, existing ? null : task.id, () =>
			// A task made by this request has no messages yet: nothing to read.
			startTurn({ db, config, task, agent, request, storedMessages: existing ? undefined : [] })
		);
		await assignFilesToTask(db, viewer, uploadedIds, task.id);
		return uiMessageStreamResponse(run.subscribe(), headers);
	} catch (error) {
		return errorResponse(error, headers);
	}
};
