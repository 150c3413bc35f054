/** The states of a tool call, as the AI SDK names them. */
export type ToolState =
	| 'input-streaming'
	| 'input-available'
	| 'approval-requested'
	| 'approval-responded'
	| 'output-available'
	| 'output-error'
	| 'output-denied';

/** How each state of a tool call reads on a tool card (the chat's and the embeddable widget's). */
export const toolStateLabels: Record<ToolState, string> & Record<string, string | undefined> = {
	'input-streaming': 'Preparing',
	'input-available': 'Running',
	'approval-requested': 'Needs approval',
	'approval-responded': 'Answered',
	'output-available': 'Done',
	'output-error': 'Failed',
	'output-denied': 'Denied'
};
