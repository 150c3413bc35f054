import type { TaskStatus } from '../db/schema';

/** A task as the chat sidebar shows it; times in milliseconds since the epoch. */
export interface SidebarTask {
	id: string;
	title: string;
	status: TaskStatus;
	agentSlug: string;
	agentName: string;
	createdAt: number;
	updatedAt: number;
	/** An answer is being written on it now. */
	running: boolean;
}

/**
 * What a user's open sidebars are told about their tasks (never about playground tasks), as it
 * happens. Nothing is kept for later: a sidebar that (re)connects reads its first page again.
 */
export type TaskListEvent =
	/** The task is new or changed (a question sent, a title, a rename, an answer started or ended). */
	| { type: 'task'; task: SidebarTask }
	/** The task was deleted. */
	| { type: 'task-deleted'; id: string }
	/** Events were dropped (a slow reader): read the list again. */
	| { type: 'reset' };
