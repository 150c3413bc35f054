/** How each state of a tool call reads on a tool card (the chat's and the embeddable widget's). */
export const toolStateLabels: Record<string, string> = {
	'input-streaming': 'Preparing',
	'input-available': 'Running',
	'approval-requested': 'Needs approval',
	'approval-responded': 'Answered',
	'output-available': 'Done',
	'output-error': 'Failed',
	'output-denied': 'Denied'
};
