import type { Config } from '../../config';
import type { Db } from '../../db';
import type { ActiveRun } from '../../runtime/run-registry';
import { answerToolCalls } from '../../runtime/run-turn';
import { getUsableAgent } from '../../services/agents';
import { getOwnTask } from '../../services/tasks';
import type { Viewer } from '../../services/viewer';
import type { ToolOutputRequest } from './request';
import { toolPartToAgentApiToolCall, type AgentApiToolCall } from './to-agent-api-chunk';

/** What answering one tool call led to. */
export interface AgentToolCallAnswer {
	/** The run that continues the answer, once no call waits any more; else null. */
	run: ActiveRun | null;
	sessionId: string;
	messageId: string;
	/** The calls that still wait (when `run` is null). */
	pending: AgentApiToolCall[];
}

/**
 * Answers one pending tool call of the caller's session for `POST /api/agent/tool-output/`: the
 * output of a call its client ran, or `{approved, reason?}` for a call waiting for approval.
 * While other calls still wait, the answer is only stored; the last answer continues the run.
 * An unknown or foreign session, or a call that does not wait, is a 404.
 */
export async function answerAgentToolCall(input: {
	db: Db;
	config: Config;
	viewer: Viewer;
	body: ToolOutputRequest;
}): Promise<AgentToolCallAnswer> {
	const { db, config, viewer, body } = input;
	const task = await getOwnTask(db, viewer, body.session_id, { field: 'session_id' });
	const agent = await getUsableAgent(db, viewer, task.agentId, 'session_id');
	const result = await answerToolCalls({
		db,
		config,
		task,
		agent,
		answers: [{ toolCallId: body.call_id, output: body.output }]
	});
	return {
		run: result.run,
		sessionId: task.id,
		messageId: result.messageId,
		pending: result.pending.map(toolPartToAgentApiToolCall)
	};
}
