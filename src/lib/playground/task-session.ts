import type { PlaygroundSession } from './types';
import { sessionOfKind } from './session-kind';

/** The session of a protocol whose server keeps the history: only the task id is needed. */
export type TaskSession = Extract<PlaygroundSession, { kind: 'task' }>;

/** The session as a task session. */
export const taskSession = (session: PlaygroundSession): TaskSession => sessionOfKind(session, 'task');

/** A fresh session: the server names the task on the first answer. */
export function newTaskSession(): TaskSession {
	return { kind: 'task', taskId: null };
}
