import { getConfig } from '$lib/server/config';
import { AppError, errorResponse } from '$lib/server/errors';
import { readForm } from '$lib/server/http/read-form';
import { streamingCaller } from '$lib/server/http/streaming-caller';
import { checkHistory } from '$lib/server/protocols/history-limits';
import { acceptsEventStream, parseForm, teamMessageFormSchema } from '$lib/server/protocols/team-tasks/request';
import { teamTasksStreamResponse } from '$lib/server/protocols/team-tasks/response';
import { toCallerTurn } from '$lib/server/protocols/team-tasks/to-caller-turn';
import { runOf, startCallerTurn } from '$lib/server/turns/start-caller-turn';
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
		const config = getConfig();
		const form = parseForm(await readForm(event.request), teamMessageFormSchema);
		checkHistory([form.text], config, 'text');
		const viewer = await streamingCaller(event, headers, form.anonymous_id);
		const turn = await startCallerTurn({ db: event.locals.db, config }, toCallerTurn(form, viewer));
		const run = runOf(turn);
		const start = {
			id_team_agent: form.id_team_agent,
			id_team: turn.task.teamId ?? form.id_team,
			created_at: new Date().toISOString()
		};
		return teamTasksStreamResponse(run.subscribe({ onCancel: () => run.stop('caller-gone') }), start, headers);
	} catch (error) {
		return errorResponse(error, headers);
	}
};
