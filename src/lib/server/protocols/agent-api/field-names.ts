/**
 * How the agent API names the fields the runtime blames: the task is the session. Tool answers
 * already use the runtime's names (`call_id`, `output`).
 */
export const FIELD_NAMES: Readonly<Record<string, string>> = { id: 'session_id' };
