import type { Viewer } from '../../services/viewer';
import type { CallerTurn } from '../../turns/caller-turn';
import { toTurnRequest, type ChatRequest } from './request';

/**
 * A chat request as a caller turn: the task `id` (the caller's; an unused id makes a task with
 * it), its agent (or `agentId`, or the default for a new task), and what is new in the history
 * the client sends. Links to uploaded files become the caller's own files.
 */
export function toCallerTurn(body: ChatRequest, viewer: Viewer): CallerTurn {
	return {
		viewer,
		agent: {
			kind: 'of-task',
			otherwise: body.agentId !== undefined && body.agentId !== null ? { kind: 'named', id: body.agentId } : { kind: 'default' }
		},
		task: { kind: 'existing-or-new', id: body.id, field: 'id', create: { context: body.context ?? null } },
		ask: async ({ stored, versionOnBranch }) => {
			// An edit names the version the client shows, which may be an older one of the question on the branch.
			const messageId = body.messageId ? await versionOnBranch(body.messageId) : undefined;
			return toTurnRequest(messageId ? { ...body, messageId } : body, stored);
		},
		files: { field: 'messages', resolveLinks: true }
	};
}
