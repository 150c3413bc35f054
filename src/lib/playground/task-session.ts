import type { PlaygroundSession } from './types';

/** The session of a protocol whose server keeps the history: only the task id is needed. */
export type TaskSession = Extract<PlaygroundSession, { kind: 'task' }>;

/** The session as a task session; anything else is a programming error. */
export function taskSession(session: PlaygroundSession): TaskSession {
	if (session.kind !== 'task') throw new Error(`Not a task session: ${session.kind}`);
	return session;
}

/** A fresh session: the server names the task on the first answer. */
export function newTaskSession(): TaskSession {
	return { kind: 'task', taskId: null };
}
