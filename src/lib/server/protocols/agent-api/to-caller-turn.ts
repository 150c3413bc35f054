import { sanitizeFileName } from '../../files/file-names';
import type { Viewer } from '../../services/viewer';
import type { CallerPart, CallerTurn } from '../../turns/caller-turn';
import { toInlineFilePart, type AgentRunRequest, type ToolOutputRequest } from './request';

/**
 * A run request of the agent API as a caller turn: a new user message to `agent_id` on the
 * caller's session (404 when unknown or someone else's; 409 when it belongs to another agent),
 * or on a new session whose context is checked against the agent's schema. The message holds its
 * files (uploaded ones by id, inline ones as data URLs), then its text. With
 * `auto_execute_tools: false` every tool call goes to the caller, in this run and the runs its
 * tool outputs continue.
 */
export function toCallerTurn(body: AgentRunRequest, viewer: Viewer): CallerTurn {
	const files: CallerPart[] = body.files.map((file, index) =>
		typeof file === 'string'
			? { type: 'uploaded-file', fileId: file, field: `files.${index}` }
			: toInlineFilePart(file, sanitizeFileName(file.name))
	);
	return {
		viewer,
		agent: { kind: 'named', id: body.agent_id, field: 'agent_id' },
		task: body.session_id
			? {
					kind: 'existing',
					id: body.session_id,
					field: 'session_id',
					otherAgent: {
						code: 'conflict',
						message: `The session "${body.session_id}" belongs to another agent.`,
						field: 'session_id'
					}
				}
			: { kind: 'new', create: { context: body.context ?? null } },
		ask: {
			type: 'message',
			parts: [...files, ...(body.message.trim() === '' ? [] : [{ type: 'text' as const, text: body.message }])]
		},
		files: { field: 'files' },
		runOptions: { handOverAllTools: !body.auto_execute_tools }
	};
}

/**
 * A tool output of the agent API as a caller turn: the output of one pending call of the
 * caller's session, or `{approved, reason?}` for a call waiting for approval.
 */
export function toolOutputToCallerTurn(body: ToolOutputRequest, viewer: Viewer): CallerTurn {
	return {
		viewer,
		agent: { kind: 'of-task', field: 'session_id', otherwise: { kind: 'default' } },
		task: { kind: 'existing', id: body.session_id, field: 'session_id' },
		ask: { type: 'answers', answers: [{ toolCallId: body.call_id, output: body.output }] }
	};
}
