/**
 * How a caller tunes one turn of an agent, on top of the agent's own settings: the OpenAI faces'
 * `tool_choice`, `max_output_tokens`, `temperature`, `instructions` and `response_format`. A
 * setting applies to this turn only; a later turn on the task starts from the agent's again.
 */
export interface TurnSettings {
	/** Whether and which tool the model must call (the agent's tools and the caller's alike). */
	toolChoice?: 'auto' | 'none' | 'required' | { type: 'tool'; toolName: string };
	/** At most this many output tokens per model call (lower than the agent's own limit only). */
	maxOutputTokens?: number;
	/** Replaces the agent's temperature for this turn. */
	temperature?: number;
	/** Added to the agent's system prompt for this turn, as a caller's system message is. */
	instructions?: string;
	/** The answer's text is JSON (matching `schema` when given). */
	output?: { type: 'json'; schema?: Record<string, unknown>; name?: string; description?: string };
}
