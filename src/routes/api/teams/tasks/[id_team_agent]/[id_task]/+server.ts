import { errorResponse } from '$lib/server/errors';
import { viewerOf } from '$lib/server/http/viewer';
import { toTeamTasks } from '$lib/server/protocols/team-tasks/to-team-task';
import { stopRun } from '$lib/server/runtime/runs';
import { getUsableAgent } from '$lib/server/services/agents';
import { deleteTask } from '$lib/server/services/tasks';
import { getAgentTask, loadTaskHistories } from '$lib/server/services/teams';
import type { RequestHandler } from './$types';

/** One of the caller's tasks with a team agent. */
export const GET: RequestHandler = async (event) => {
	try {
		const { viewer } = viewerOf(event);
		const db = event.locals.db;
		const agent = await getUsableAgent(db, viewer, event.params.id_team_agent, 'id_team_agent');
		const task = await getAgentTask(db, viewer, agent.id, event.params.id_task);
		const [teamTask] = toTeamTasks([task], await loadTaskHistories(db, [task]), event.params.id_team_agent);
		return Response.json(teamTask);
	} catch (error) {
		return errorResponse(error);
	}
};

/** Deletes one of the caller's tasks, stopping its run first when one is in progress. */
export const DELETE: RequestHandler = async (event) => {
	try {
		const { viewer } = viewerOf(event);
		const db = event.locals.db;
		const agent = await getUsableAgent(db, viewer, event.params.id_team_agent, 'id_team_agent');
		const task = await getAgentTask(db, viewer, agent.id, event.params.id_task);
		await stopRun(task.id);
		await deleteTask(db, viewer, task.id);
		return Response.json({ success: true, id_task: task.id });
	} catch (error) {
		return errorResponse(error);
	}
};
