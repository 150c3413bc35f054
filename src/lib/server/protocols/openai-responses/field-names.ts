/**
 * The request parameter for fields the shared services name in their own terms: tool call ids,
 * outputs and approvals come in `input` items; the task a response continues is
 * `previous_response_id`, an agent is `model`; a malformed body has no parameter.
 */
export const FIELD_NAMES: Readonly<Record<string, string | null>> = {
	body: null,
	agentId: 'model',
	id: 'previous_response_id',
	taskId: 'previous_response_id',
	call_id: 'input',
	toolCallId: 'input',
	approvalId: 'input',
	messageId: 'input',
	output: 'input',
	messages: 'input'
};
