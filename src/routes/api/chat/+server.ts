import { getConfig } from '$lib/server/config';
import { AppError, errorResponse } from '$lib/server/errors';
import { readJson } from '$lib/server/http/read-json';
import { ANONYMOUS_ID_HEADER, viewerOf } from '$lib/server/http/viewer';
import { chatRequestSchema, userPartsSchema } from '$lib/server/protocols/ui-message/request';
import { uiMessageStreamResponse } from '$lib/server/protocols/ui-message/response';
import { startTurn } from '$lib/server/runtime/run-turn';
import { getDefaultAgent, getUsableAgent } from '$lib/server/services/agents';
import { createTask, findTask, getOwnTask } from '$lib/server/services/tasks';
import type { RequestHandler } from './$types';

/**
 * The app's own chat stream (AI SDK UI message stream). The server keeps the history and takes
 * only the new last user message from the body; an unused `id` starts a task with that id.
 */
export const POST: RequestHandler = async (event) => {
	const headers = new Headers();
	try {
		const db = event.locals.db;
		const config = getConfig();
		const body = await readJson(event.request, chatRequestSchema);
		const { viewer, isNew } = viewerOf(event, body.anonymous_id);
		if (isNew && viewer.kind === 'anonymous') headers.set(ANONYMOUS_ID_HEADER, viewer.anonymousId);

		const existing = await findTask(db, body.id);
		const task = existing
			? await getOwnTask(db, viewer, body.id, { field: 'id' })
			: undefined;
		const agent = task
			? await getUsableAgent(db, viewer, task.agentId)
			: body.agentId !== undefined && body.agentId !== null
				? await getUsableAgent(db, viewer, body.agentId)
				: await getDefaultAgent(db, viewer, config.DEFAULT_AGENT);

		if (body.trigger === 'regenerate-message') {
			throw new AppError('invalid_input', 'Regenerating an answer is not supported yet.', { field: 'trigger' });
		}
		const last = body.messages[body.messages.length - 1];
		if (last.role !== 'user') {
			throw new AppError('invalid_input', 'The last message must be the user’s.', { field: 'messages' });
		}
		const parts = userPartsSchema.safeParse(last.parts);
		if (!parts.success) {
			const issue = parts.error.issues[0];
			throw new AppError('invalid_input', `messages.parts: ${issue.message}`, { field: 'messages' });
		}

		const chatTask =
			task ??
			(await createTask(db, { viewer, agentId: agent.id, id: body.id, context: body.context ?? null }));
		const run = await startTurn({ db, config, task: chatTask, agent, userParts: parts.data });
		return uiMessageStreamResponse(run.subscribe(), headers);
	} catch (error) {
		return errorResponse(error, headers);
	}
};
