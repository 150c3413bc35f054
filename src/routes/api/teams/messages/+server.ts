import { getConfig } from '$lib/server/config';
import { AppError, errorResponse } from '$lib/server/errors';
import { readForm } from '$lib/server/http/read-form';
import { streamingCaller } from '$lib/server/http/streaming-caller';
import { checkHistory } from '$lib/server/protocols/history-limits';
import {
	acceptsEventStream,
	parseForm,
	TEAM_FILE_FIELDS,
	teamMessageFormSchema
} from '$lib/server/protocols/team-tasks/request';
import { teamTasksStreamResponse } from '$lib/server/protocols/team-tasks/response';
import { checkTurn, startTurn } from '$lib/server/runtime/run-turn';
import { getUsableAgent } from '$lib/server/services/agents';
import { validateTaskContext } from '$lib/server/services/context-schema';
import { assertFileCount, assertUploadableByType } from '$lib/server/files/upload-checks';
import { assignFilesToTask, saveUpload, type FileRecord } from '$lib/server/files/file-records';
import { toFilePart } from '$lib/server/files/model-parts';
import { createTask } from '$lib/server/services/tasks';
import { adoptIntoTeam, ensureTeam, getAgentTask } from '$lib/server/services/teams';
import type { UIMessage } from 'ai';
import type { RequestHandler } from './$types';

/**
 * Sends a message to a team agent and streams its answer (`api.md` §4): a new task when
 * `id_task` is absent, files from `images`, `videos`, `audios` and `documents` attached to the
 * question. A caller that disconnects stops the run, which is stored as interrupted.
 */
export const POST: RequestHandler = async (event) => {
	const headers = new Headers();
	try {
		if (!acceptsEventStream(event.request.headers.get('accept'))) {
			throw new AppError('not_acceptable', 'This endpoint streams its answer: send "Accept: text/event-stream".', {
				field: 'accept'
			});
		}
		const db = event.locals.db;
		const config = getConfig();
		const form = parseForm(await readForm(event.request), teamMessageFormSchema);
		checkHistory([form.text], config, 'text');
		const viewer = await streamingCaller(event, headers, form.anonymous_id);

		const agent = await getUsableAgent(db, viewer, form.id_team_agent, 'id_team_agent');
		let task = form.id_task ? await getAgentTask(db, viewer, agent.id, form.id_task) : null;
		// Everything is checked before anything is stored, so that a refused request stores nothing.
		if (!task) validateTaskContext(agent.contextSchema, form.context);
		assertFileCount(TEAM_FILE_FIELDS.reduce((count, field) => count + form[field].length, 0), 'documents');
		for (const field of TEAM_FILE_FIELDS) for (const file of form[field]) await assertUploadableByType(file, field);
		checkTurn({ config, agent, task: task ?? undefined });

		const uploads: FileRecord[] = [];
		for (const field of TEAM_FILE_FIELDS) {
			for (const file of form[field]) uploads.push(await saveUpload(db, { viewer, taskId: task?.id, file, field }));
		}
		if (task) {
			task = await adoptIntoTeam(db, task, form.id_team);
		} else {
			await ensureTeam(db, form.id_team);
			task = await createTask(db, { viewer, agentId: agent.id, context: form.context ?? null, teamId: form.id_team });
			await assignFilesToTask(db, viewer, uploads.map((upload) => upload.id), task.id);
		}

		const parts: UIMessage['parts'] = [
			...(form.text.trim() === '' ? [] : [{ type: 'text' as const, text: form.text }]),
			...(await Promise.all(uploads.map((upload) => toFilePart(db, upload))))
		];
		const run = await startTurn({ db, config, task, agent, request: { type: 'message', parts } });
		const start = {
			id_team_agent: form.id_team_agent,
			id_team: task.teamId ?? form.id_team,
			created_at: new Date().toISOString()
		};
		return teamTasksStreamResponse(run.subscribe({ onCancel: () => run.stop('caller-gone') }), start, headers);
	} catch (error) {
		return errorResponse(error, headers);
	}
};
