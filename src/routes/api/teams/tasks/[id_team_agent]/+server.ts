import { getConfig } from '$lib/server/config';
import { errorResponse } from '$lib/server/errors';
import { readForm } from '$lib/server/http/read-form';
import { ANONYMOUS_ID_HEADER, viewerOf } from '$lib/server/http/viewer';
import { checkHistory } from '$lib/server/protocols/history-limits';
import { parseForm, teamTaskCreateFormSchema } from '$lib/server/protocols/team-tasks/request';
import { toTeamTasks } from '$lib/server/protocols/team-tasks/to-team-task';
import { getUsableAgent } from '$lib/server/services/agents';
import { validateTaskContext } from '$lib/server/services/context-schema';
import { createTask, titleFrom } from '$lib/server/services/tasks';
import { ensureTeam, listAgentTasks, loadTaskHistories } from '$lib/server/services/teams';
import type { RequestHandler } from './$types';

/** The caller's tasks with a team agent, newest first, as a bare array. */
export const GET: RequestHandler = async (event) => {
	const headers = new Headers();
	try {
		const { viewer, isNew } = viewerOf(event);
		if (isNew && viewer.kind === 'anonymous') headers.set(ANONYMOUS_ID_HEADER, viewer.anonymousId);
		const db = event.locals.db;
		const agent = await getUsableAgent(db, viewer, event.params.id_team_agent, 'id_team_agent');
		const tasks = await listAgentTasks(db, viewer, agent.id);
		return Response.json(toTeamTasks(tasks, await loadTaskHistories(db, tasks), event.params.id_team_agent), { headers });
	} catch (error) {
		return errorResponse(error, headers);
	}
};

/** Creates a task whose first question is `text`, without running the agent (`driver: "user"`). */
export const POST: RequestHandler = async (event) => {
	const headers = new Headers();
	try {
		const db = event.locals.db;
		const form = parseForm(await readForm(event.request), teamTaskCreateFormSchema);
		checkHistory([form.text], getConfig(), 'text');
		const { viewer, isNew } = viewerOf(event, form.anonymous_id);
		if (isNew && viewer.kind === 'anonymous') headers.set(ANONYMOUS_ID_HEADER, viewer.anonymousId);
		const agent = await getUsableAgent(db, viewer, event.params.id_team_agent, 'id_team_agent');
		validateTaskContext(agent.contextSchema, form.context);
		await ensureTeam(db, form.id_team);
		const task = await createTask(db, {
			viewer,
			agentId: agent.id,
			title: titleFrom(form.text),
			context: form.context ?? null,
			teamId: form.id_team,
			driver: 'user',
			// The task and its question are stored together, or not at all.
			history: [{ role: 'user', parts: [{ type: 'text', text: form.text }] }]
		});
		const [teamTask] = toTeamTasks([task], await loadTaskHistories(db, [task]), event.params.id_team_agent);
		return Response.json(teamTask, { status: 201, headers });
	} catch (error) {
		return errorResponse(error, headers);
	}
};
