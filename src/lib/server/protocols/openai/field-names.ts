/**
 * The request parameter for fields the shared services name in their own terms: the runtime
 * speaks of tool call ids and outputs, which OpenAI callers send as messages; a task is
 * `metadata.task_id`, an agent is `model`; a malformed body has no parameter.
 */
export const FIELD_NAMES: Readonly<Record<string, string | null>> = {
	body: null,
	agentId: 'model',
	id: 'metadata.task_id',
	taskId: 'metadata.task_id',
	call_id: 'messages',
	toolCallId: 'messages',
	approvalId: 'messages',
	messageId: 'messages',
	output: 'messages'
};
