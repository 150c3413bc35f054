import type { Viewer } from '../../services/viewer';
import type { CallerPart, CallerTurn } from '../../turns/caller-turn';
import { TEAM_FILE_FIELDS, type TeamMessageForm } from './request';

/**
 * A team message as a caller turn: the agent `id_team_agent`, the task `id_task` (the caller's,
 * with that agent; any other is not found) or a new one in the team, the text and then the files
 * of `images`, `videos`, `audios` and `documents`, uploaded with the question.
 */
export function toCallerTurn(form: TeamMessageForm, viewer: Viewer): CallerTurn {
	const uploads: CallerPart[] = TEAM_FILE_FIELDS.flatMap((field) =>
		form[field].map((file) => ({ type: 'new-upload' as const, file, field }))
	);
	return {
		viewer,
		agent: { kind: 'named', id: form.id_team_agent, field: 'id_team_agent' },
		task: form.id_task
			? {
					kind: 'existing',
					id: form.id_task,
					field: 'id_task',
					otherAgent: { code: 'not_found', message: `No task "${form.id_task}" was found.`, field: 'id_task' }
				}
			: { kind: 'new', create: { context: form.context ?? null } },
		ask: {
			type: 'message',
			parts: [...(form.text.trim() === '' ? [] : [{ type: 'text' as const, text: form.text }]), ...uploads]
		},
		files: { field: 'documents' },
		teamId: form.id_team
	};
}
