import type { UIMessage } from 'ai';
import type { Config } from '../config';
import type { Db } from '../db';
import type { ToolPart } from '../runtime/message-parts';
import type { ActiveRun } from '../runtime/run-registry';
import type { TurnSettings } from '../runtime/turn-settings';
import type { CallerTool } from '../runtime/turn-input';
import { answerToolCalls } from './answer-tool-calls';
import type { ToolCallAnswer } from '../runtime/turn-request';
import type { AgentWithTools } from '../services/agents';
import type { Task } from '../services/tasks';

/** What answering waiting tool calls led to. */
export interface AnsweredToolCalls {
	/** The run that continues the answer, once no call waits any more; else null. */
	run: ActiveRun | null;
	/** The answer whose calls were answered. */
	messageId: string;
	/** The calls that still wait (when `run` is null). */
	pending: ToolPart[];
	/** The answer's parts with the answers applied. */
	parts: UIMessage['parts'];
}

/**
 * Answers tool calls that wait in a task, for every face: outputs of calls its caller ran,
 * approvals of calls that wait for one. While other calls still wait, the answers are only
 * stored; the last continues the same answer.
 */
export function answerCallerTools(input: {
	db: Db;
	config: Config;
	task: Task;
	agent: AgentWithTools;
	answers: ToolCallAnswer[];
	callerTools?: CallerTool[];
	settings?: TurnSettings;
}): Promise<AnsweredToolCalls> {
	const { db, config, task, agent, answers, callerTools, settings } = input;
	return answerToolCalls({ db, config, task, agent, answers, callerTools, settings });
}
