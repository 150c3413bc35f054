/** How assistant-ui names the fields the runtime blames in tool answers. */
export const FIELD_NAMES: Readonly<Record<string, string>> = { call_id: 'toolCallId', output: 'result' };
