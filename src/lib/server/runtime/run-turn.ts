/**
 * A turn of an agent on a task, from one place: its inputs, its check and tools, its start, the
 * history it runs on, the answers to its waiting tool calls and its usage. Each lives in its own
 * module beside this one.
 */
export type { CallerTool, TurnInput } from './turn-input';
export { checkTurn } from './check-turn';
export { serverToolsOf, turnTools } from './turn-tools';
export { startTurn } from './start-turn';
export { historyAfter } from './history-after';
export { answerToolCalls } from './answer-tool-calls';
export { runUsageOf } from './run-usage';
