/** An error of a tool run; its message is meant for the model and the user. */
export class ToolError extends Error {
	override name = 'ToolError';
}
