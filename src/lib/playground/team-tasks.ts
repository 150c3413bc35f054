import { appendText, endAnswer, failAnswer, pushPart } from './answer-state';
import { previewWithout, sseEventParser, stringField } from './event-parsers';
import { newTaskSession, taskSession } from './task-session';
import type { AnswerState, PlaygroundProtocol, RawEvent } from './types';

/** The team the playground's tasks belong to (teams are created on first use). */
export const PLAYGROUND_TEAM = 'playground';

/**
 * `POST /api/teams/messages` as multipart form fields, with `Accept: text/event-stream` (the
 * endpoint refuses anything else with 406); `id_task` continues the task once there is one.
 */
export const buildRequest: PlaygroundProtocol['buildRequest'] = ({ agent, text, session }) => {
	const current = taskSession(session);
	const fields: [string, string][] = [
		['id_team_agent', agent.slug],
		['id_team', PLAYGROUND_TEAM],
		...(current.taskId ? [['id_task', current.taskId] as [string, string]] : []),
		['text', text]
	];
	return {
		request: { method: 'POST', url: '/api/teams/messages', headers: { accept: 'text/event-stream' }, body: { kind: 'form', fields } },
		session: current
	};
};

/** A parser for the team-agent stream: `data: {"event": …}` lines without SSE event names, `[DONE]` last. */
export function createParser() {
	return sseEventParser((_message, data) => ({
		type: stringField(data, 'event') ?? 'message',
		data,
		preview: previewWithout(data, ['event'])
	}));
}

/** The rendered answer after one team-agent event. */
export function applyEvent(state: AnswerState, event: RawEvent): AnswerState {
	const data = event.data;
	switch (event.type) {
		case 'started': {
			const taskId = stringField(data, 'id_task');
			return taskId ? { ...state, taskId } : state;
		}
		case 'text-chunk':
			return appendText(state, 'text', stringField(data, 'content') ?? '');
		case 'reasoning-chunk':
			return appendText(state, 'reasoning', stringField(data, 'content') ?? '');
		case 'step': {
			const step = data && typeof data === 'object' ? (data as Record<string, unknown>).step : undefined;
			return pushPart(state, { type: 'note', text: `Step ${String(step ?? '')}: ${stringField(data, 'content') ?? ''}` });
		}
		case 'image-chunk':
		case 'video-chunk':
		case 'audio-chunk':
		case 'document-chunk':
			return pushPart(state, {
				type: 'note',
				text: `${event.type.replace('-chunk', '')}: ${stringField(data, 'name') ?? ''} (${stringField(data, 'mime_type') ?? 'unknown type'})`
			});
		case 'finished':
			return endAnswer(state, 'completed', { finishReason: 'finished' });
		case 'interrupted':
			return { ...endAnswer(state, 'interrupted', { finishReason: 'interrupted' }), notice: stringField(data, 'reason') };
		case 'error':
			return failAnswer(state, stringField(data, 'error') ?? 'The answer failed.');
		default:
			return state;
	}
}

/** The session once `started` named the task. */
export const afterResponse: PlaygroundProtocol['afterResponse'] = (session, { answer }) => {
	const current = taskSession(session);
	return answer.taskId ? { ...current, taskId: answer.taskId } : current;
};

/** The FastAPI agent template's interface. */
export const teamTasksProtocol: PlaygroundProtocol = {
	info: {
		id: 'team-tasks',
		label: 'Team-agent API',
		endpoint: 'POST /api/teams/messages',
		description:
			'Multipart in, `data: {"event": …}` lines out: `started`, `text-chunk`, `step`, then `finished`, `error` or `interrupted`; `[DONE]` last.',
		sessionName: 'id_task',
		continues: false
	},
	newSession: newTaskSession,
	buildRequest,
	createParser,
	applyEvent,
	// The protocol has no way to send a tool's output: a run that waits for one ends `interrupted`.
	continuation: () => null,
	afterResponse
};
