import type { FieldNames } from '../field-names';

/**
 * How the AG-UI face names the fields the services and the runtime blame: the task is the thread,
 * the agent is the path's `{agent}`, and tool answers come in `messages` (tool messages) or
 * `resume` (answers to interrupts).
 */
export const FIELD_NAMES: FieldNames = {
	id: 'threadId',
	taskId: 'threadId',
	agentId: 'agent',
	call_id: 'messages',
	toolCallId: 'messages',
	approvalId: 'resume',
	messageId: 'messages'
};
