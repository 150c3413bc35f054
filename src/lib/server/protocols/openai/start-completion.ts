import type { Config } from '../../config';
import type { Db } from '../../db';
import type { Task } from '../../db/schema';
import { AppError } from '../../errors';
import { assertFileCount, countFileParts } from '../../files/upload-checks';
import type { PendingToolCall, RunEvent } from '../../runtime/events';
import type { ToolPart } from '../../runtime/message-parts';
import { runRegistry } from '../../runtime/run-registry';
import { answerToolCalls, serverToolsOf, startTurn, turnTools, type CallerTool } from '../../runtime/run-turn';
import { getUsableAgent, type AgentWithTools } from '../../services/agents';
import { validateTaskContext } from '../../services/context-schema';
import { appendMessages, listMessages } from '../../services/messages';
import { createTask, getOwnTask, titleFrom, undoNewTaskOnFailure } from '../../services/tasks';
import type { Viewer } from '../../services/viewer';
import { checkHistory } from '../history-limits';
import { findTaskWaitingFor } from './find-task-waiting-for';
import { planHistory } from './plan-history';
import type { ChatCompletionRequest, OpenAITool } from './request';
import { toStoredMessages, type StoredDraft } from './to-stored-messages';
import { textOf } from '../../../text-of';

/** A completion under way: its task and agent, and its answer as run events. */
export interface StartedCompletion {
	task: Task;
	agent: AgentWithTools;
	/** The answer's events from the start; `onCancel` runs when the reader goes away before the end. */
	subscribe(options?: { onCancel?: () => void }): ReadableStream<RunEvent>;
	/** Stops the answer; it is stored as interrupted. */
	stop(reason: string): void;
}

/** The caller's `tools` as tools of this turn; `invalid_input` on `tools` for a name used twice or taken by the agent. */
export function toCallerTools(tools: readonly OpenAITool[], agent: Pick<AgentWithTools, 'tools'>): CallerTool[] {
	const names = new Set<string>();
	return tools.map(({ function: definition }, index) => {
		if (names.has(definition.name) || agent.tools.some((tool) => tool.name === definition.name)) {
			throw new AppError(
				'invalid_input',
				`The tool name "${definition.name}" is used twice, or is already one of the agent's tools.`,
				{ field: `tools.${index}.function.name` }
			);
		}
		names.add(definition.name);
		return {
			name: definition.name,
			...(definition.description ? { description: definition.description } : {}),
			inputSchema: definition.parameters ?? { type: 'object', properties: {} }
		};
	});
}

/** A title for a new task: the first words of the first user message. */
function titleOf(messages: readonly StoredDraft[]): string {
	const first = messages.find((message) => message.role === 'user');
	const text = textOf(first?.parts ?? [], ' ');
	return titleFrom(text) || 'New task';
}

/** A finished "run" that only says which calls still wait: nothing ran, since not all were answered. */
function waitingEvents(task: Task, agent: AgentWithTools, messageId: string, pending: ToolPart[]): RunEvent[] {
	const toolCalls: PendingToolCall[] = pending.map((part) => ({
		toolCallId: part.toolCallId,
		toolName: part.type.slice('tool-'.length),
		input: part.input,
		...(part.approval ? { approvalId: part.approval.id } : {})
	}));
	const usage = { inputTokens: 0, outputTokens: 0 };
	return [
		{ type: 'run-start', taskId: task.id, messageId, model: agent.model },
		{ type: 'input-required', toolCalls },
		{ type: 'run-end', reason: 'awaiting-input', usage }
	];
}

/**
 * Starts the answer to a Chat Completions request (`api.md` §5). The history the caller sent is
 * stored as a new task, or, with `metadata.task_id`, only what that task does not hold yet is
 * appended to it. Then the agent answers the history; when it ends with tool results for calls
 * that wait in the task, those continue the same answer.
 */
export async function startCompletion(input: {
	db: Db;
	config: Config;
	viewer: Viewer;
	body: ChatCompletionRequest;
}): Promise<StartedCompletion> {
	const { db, config, viewer, body } = input;
	checkHistory(body.messages, config, 'messages');
	const agent = await getUsableAgent(db, viewer, body.model, 'model');
	const callerTools = toCallerTools(body.tools ?? [], agent);
	const approvalTools = new Set(agent.tools.filter((tool) => tool.requiresApproval).map((tool) => tool.name));
	const serverTools = serverToolsOf(turnTools({ config, agent, callerTools }).tools);
	const converted = toStoredMessages(body.messages, { serverTools, approvalTools });
	const taskId = body.metadata?.task_id;
	// Without a task id, answers to the agent's own calls continue the caller's task that waits for them.
	const existing =
		taskId === undefined
			? await findTaskWaitingFor(db, viewer, agent.id, converted.serverCalls, config.OPENAI_TASK_LOOKUP_LIMIT)
			: await getOwnTask(db, viewer, String(taskId), { field: 'metadata.task_id' });
	if (existing && existing.agentId !== agent.id) {
		throw new AppError('invalid_input', `The task "${existing.id}" belongs to another agent: send that agent as the model.`, {
			field: 'model'
		});
	}
	if (existing && runRegistry.get(existing.id)) {
		throw new AppError('conflict', 'This task is already answering. Wait for the answer, or stop it.', {
			field: 'metadata.task_id'
		});
	}

	const plan = planHistory(converted, existing ? await listMessages(db, existing.id) : null);
	assertFileCount(countFileParts(plan.append.flatMap((draft) => draft.parts)), 'messages');

	if (!existing) validateTaskContext(agent.contextSchema, body.context);
	const task =
		existing ??
		(await createTask(db, { viewer, agentId: agent.id, context: body.context ?? null, title: titleOf(converted.messages) }));
	// A task made for this request goes again when its turn cannot start.
	return undoNewTaskOnFailure(db, existing ? null : task.id, async (): Promise<StartedCompletion> => {
		// The whole history in one transaction: the database is held once, briefly.
		await appendMessages(db, task.id, plan.append.map(({ role, parts }) => ({ role, parts })));

		if (plan.kind === 'respond') {
			const run = await startTurn({ db, config, task, agent, request: { type: 'respond' }, callerTools });
			return { task, agent, subscribe: (options) => run.subscribe(options), stop: (reason) => run.stop(reason) };
		}
		const answered = await answerToolCalls({ db, config, task, agent, callerTools, answers: plan.answers });
		const run = answered.run;
		if (run) return { task, agent, subscribe: (options) => run.subscribe(options), stop: (reason) => run.stop(reason) };
		const events = waitingEvents(task, agent, answered.messageId, answered.pending);
		return {
			task,
			agent,
			subscribe: () =>
				new ReadableStream<RunEvent>({
					start(controller) {
						for (const event of events) controller.enqueue(event);
						controller.close();
					}
				}),
			stop: () => {}
		};
	});
}
