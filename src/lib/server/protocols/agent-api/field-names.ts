import type { FieldNames } from '../field-names';

/**
 * How the agent API names the fields the services and the runtime blame: the task is the
 * session. Tool answers already use the runtime's names (`call_id`, `output`).
 */
export const FIELD_NAMES: FieldNames = { id: 'session_id' };
