import type { FieldNames } from '../field-names';

/** How assistant-ui names the fields the runtime blames in tool answers. */
export const FIELD_NAMES: FieldNames = { call_id: 'toolCallId', output: 'result' };
