import type { Viewer } from '../../services/viewer';
import type { CallerTurn } from '../../turns/caller-turn';
import type { AskArguments } from './tools';

/**
 * A call of an agent's tool as a caller turn: the message to the agent `slug`, on the caller's
 * task `task_id` (not found when unknown or someone else's; refused when it belongs to another
 * agent or is answering already), or on a new task whose context is checked against the agent's
 * schema.
 */
export function toCallerTurn(args: AskArguments, viewer: Viewer, slug: string): CallerTurn {
	return {
		viewer,
		agent: { kind: 'named', id: slug, field: 'name' },
		task: args.task_id
			? {
					kind: 'existing',
					id: args.task_id,
					field: 'task_id',
					otherAgent: { code: 'conflict', message: `The task "${args.task_id}" belongs to another agent.`, field: 'task_id' }
				}
			: { kind: 'new', create: { context: args.context ?? null } },
		busy: {
			code: 'conflict',
			message: 'This task is already answering. Wait for the answer, then send the next message.',
			field: 'task_id'
		},
		ask: { type: 'message', parts: [{ type: 'text', text: args.message }] },
		files: { field: 'message' }
	};
}
