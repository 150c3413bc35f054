import type { UIMessage } from 'ai';
import type { Config } from '../../config';
import type { Db } from '../../db';
import type { Message, Task } from '../../db/schema';
import { AppError } from '../../errors';
import { assertFileCount, countFileParts } from '../../files/upload-checks';
import type { RunEvent } from '../../runtime/events';
import type { ActiveRun } from '../../runtime/run-registry';
import { answerToolCalls, serverToolsOf, startTurn, turnTools, type CallerTool } from '../../runtime/run-turn';
import type { ToolCallAnswer, TurnRequest } from '../../runtime/turn-request';
import { getDefaultAgent, getUsableAgent, type AgentWithTools } from '../../services/agents';
import { validateTaskContext } from '../../services/context-schema';
import { appendMessages, existingMessageIds, listMessages } from '../../services/messages';
import { createTask, getOwnTask, titleFrom, touchTaskQuery, undoNewTaskOnFailure } from '../../services/tasks';
import type { Viewer } from '../../services/viewer';
import { checkHistory } from '../history-limits';
import { fromStateMessages } from './from-state-message';
import {
	historyOf,
	keptBefore,
	sortCommands,
	threadTaskIdOf,
	toUserParts,
	type AddMessageCommand,
	type AddToolResultCommand,
	type AssistantRequest,
	type MessagePlace,
	type SortedCommands
} from './request';
import type { ThreadAnswer } from './response';
import { toStateMessage } from './state-message';
import { StateOperations } from './state-operations';
import { textOf } from '../../../text-of';

/** What one `POST /assistant` asks for. */
export interface ThreadTurnInput {
	db: Db;
	config: Config;
	viewer: Viewer;
	body: AssistantRequest;
	/** The agent named in the query (`?agent=`), for a new thread; `config.agent` otherwise. */
	agent?: string | null;
}

/** The answer to a request, and the task (thread) it belongs to. */
export interface ThreadTurn extends ThreadAnswer {
	taskId: string;
}

/**
 * Applies a request's commands to its thread and starts the answer. The thread is the task
 * named by `state.taskId` or `threadId` (the caller's, else 404); without one, a task is made and
 * `state.messages` stored as its history first. Then:
 * - `add-message` stores the new user message and answers it; when `parentId` is not the last
 *   message (or is null with a `sourceId`: the first), it is a new version of the question after it;
 * - `add-tool-result` answers pending tool calls; the last answer continues the same assistant
 *   message, earlier ones are only stored (the stream then just reports the state);
 * - no command answers the history as it stands, when it ends with a user message.
 * The run stops when the caller disconnects.
 */
export async function startThreadTurn(input: ThreadTurnInput): Promise<ThreadTurn> {
	const { db, config, viewer, body } = input;
	checkHistory(historyOf(body), config, 'state.messages');
	const commands = sortCommands(body.commands);
	const named = threadTaskIdOf(body);
	const existing = named ? await getOwnTask(db, viewer, named.id, { field: named.field }) : null;
	// The files this request stores: the new message's, and for a new thread those of its history.
	const history = existing ? [] : fromStateMessages(body.state?.messages ?? []);
	const newParts = [...(commands.message ? toUserParts(commands.message.message) : []), ...history.flatMap((message) => message.parts)];
	assertFileCount(countFileParts(newParts), 'commands');
	const agent = existing ? await getUsableAgent(db, viewer, existing.agentId) : await agentFor(input);
	const callerTools = callerToolsOf(body.tools, agent);
	const task = existing ?? (await newThread(input, agent, commands, callerTools));
	// A thread made for this request goes again when its turn cannot start.
	return undoNewTaskOnFailure(db, existing ? null : task.id, async () => {
		const stored = await listMessages(db, task.id);

		if (commands.toolResults.length > 0) {
			const answers = commands.toolResults.map(toAnswer);
			const result = await answerToolCalls({ db, config, task, agent, answers, callerTools }).catch(
				(error: unknown) => {
					throw withOwnFieldNames(error);
				}
			);
			if (!result.run) {
				const after = await listMessages(db, task.id);
				return waitingAnswer(task, after);
			}
			return runAnswer(task, stored.slice(0, -1), result.run, result.parts);
		}

		// A new thread's history was already cut after `parentId` when it was stored.
		const request = commands.message
			? messageRequest(commands.message, stored, existing ? placeOf(commands.message, body.parentId) : {})
			: respondRequest(stored);
		const run = await startTurn({ db, config, task, agent, request, callerTools });
		const history = (await listMessages(db, task.id)).filter((message) => message.id !== run.messageId);
		return runAnswer(task, history, run, []);
	});
}

/** The agent of a new thread: `?agent=`, else `config.agent`, else the default agent. */
function agentFor({ db, viewer, config, body, agent }: ThreadTurnInput): Promise<AgentWithTools> {
	const asked = agent || body.config?.agent;
	if (asked !== undefined && asked !== null && asked !== '') return getUsableAgent(db, viewer, asked, 'agent');
	return getDefaultAgent(db, viewer, config.DEFAULT_AGENT);
}

/** Frontend tools the client declares, except those the agent has itself (the client may run those). */
function callerToolsOf(tools: AssistantRequest['tools'], agent: AgentWithTools): CallerTool[] {
	return Object.entries(tools ?? {})
		.filter(([name]) => !agent.tools.some((tool) => tool.name === name))
		.map(([name, tool]) => ({ name, description: tool.description, inputSchema: tool.parameters }));
}

/**
 * Makes the task of a thread Parley does not have yet, with `state.messages` (cut after the new
 * message's `parentId`) as its history: the caller's, in which no call of a server tool can wait.
 * Everything is checked before anything is stored.
 */
async function newThread(
	input: ThreadTurnInput,
	agent: AgentWithTools,
	commands: SortedCommands,
	callerTools: CallerTool[]
): Promise<Task> {
	const { db, config, viewer, body } = input;
	const serverTools = serverToolsOf(turnTools({ config, agent, callerTools }).tools);
	let history = fromStateMessages(body.state?.messages ?? [], { serverTools });
	if (commands.message) history = history.slice(0, keptBefore(history, placeOf(commands.message, body.parentId)));
	const last = history[history.length - 1];
	if (commands.toolResults.length > 0 && last?.role !== 'assistant') {
		throw new AppError('not_found', 'No tool call of this thread is waiting for a result.', { field: 'toolCallId' });
	}
	if (!commands.message && commands.toolResults.length === 0 && last?.role !== 'user') {
		throw new AppError('invalid_input', 'Nothing to answer: send an add-message command.', { field: 'commands' });
	}
	validateTaskContext(agent.contextSchema, body.context);
	// The client's ids are kept when free, so that its `parentId`s keep pointing at them.
	const taken = await existingMessageIds(db, history.flatMap(({ id }) => (id === undefined ? [] : [id])));
	const rows = history.map(({ id, role, parts }) => {
		const reusable = id !== undefined && !taken.has(id);
		if (reusable) taken.add(id);
		return { role, parts, id: reusable ? id : undefined };
	});
	const task = await createTask(db, { viewer, agentId: agent.id, context: body.context ?? null });
	const firstQuestion = history.find((message) => message.role === 'user');
	const title = firstQuestion ? [touchTaskQuery(db, task.id, titleFrom(textOf(firstQuestion.parts, ' ')))] : [];
	// One batch for the whole history: one transaction, one disk sync; the task goes again if it fails.
	await undoNewTaskOnFailure(db, task.id, () => appendMessages(db, task.id, rows, title));
	return task;
}

/** Where a new message goes: after its own `parentId`, else the request's; `sourceId` names what it edits. */
function placeOf(command: AddMessageCommand, bodyParentId: string | null | undefined): MessagePlace {
	return { parentId: command.parentId !== undefined ? command.parentId : bodyParentId, sourceId: command.sourceId };
}

/**
 * The turn request of a new message. Following the last message it is a plain question; following
 * an earlier one (or none, for the first), it is a new version of the user message there: the
 * thread goes on along a new branch from it (an edit).
 */
function messageRequest(command: AddMessageCommand, stored: Message[], place: MessagePlace): TurnRequest {
	const request: TurnRequest = { type: 'message', parts: toUserParts(command.message), messageId: command.message.id };
	const kept = keptBefore(stored, place);
	if (kept === stored.length) return request;
	const replaced = stored[kept];
	if (replaced.role !== 'user') {
		throw new AppError(
			'invalid_input',
			'A new message can follow the last message, or replace a question of the thread.',
			{ field: 'parentId' }
		);
	}
	return { ...request, replaceFrom: replaced.id };
}

/** The turn request without commands: answer the history, which must end with a question. */
function respondRequest(stored: Message[]): TurnRequest {
	if (stored[stored.length - 1]?.role !== 'user') {
		throw new AppError('invalid_input', 'Nothing to answer: send an add-message or add-tool-result command.', {
			field: 'commands'
		});
	}
	return { type: 'respond' };
}

/** A tool result as the runtime takes it: an output, an error, or an approval decision. */
function toAnswer(command: AddToolResultCommand): ToolCallAnswer {
	if (command.isError) {
		const errorText = typeof command.result === 'string' ? command.result : JSON.stringify(command.result);
		return { toolCallId: command.toolCallId, errorText: errorText || 'The tool failed.' };
	}
	return { toolCallId: command.toolCallId, output: command.result ?? null };
}

/** The runtime names tool answer fields as the OpenAI face does; this face calls them its own way. */
function withOwnFieldNames(error: unknown): unknown {
	if (!(error instanceof AppError)) return error;
	const field = error.field === 'call_id' ? 'toolCallId' : error.field === 'output' ? 'result' : undefined;
	return field ? new AppError(error.code, error.message, { ...error.options, field }) : error;
}

/** A running answer: the run's events, stopping the run when the caller goes away. */
function runAnswer(task: Task, history: Message[], run: ActiveRun, parts: UIMessage['parts']): ThreadTurn {
	return {
		taskId: task.id,
		events: run.subscribe({ onCancel: () => run.stop('caller-gone') }),
		state: new StateOperations({
			taskId: task.id,
			history: history.map(toStateMessage),
			answer: { id: run.messageId, parts }
		})
	};
}

/** The answer when tool results were stored but other calls still wait: the state, and the wait. */
function waitingAnswer(task: Task, messages: Message[]): ThreadTurn {
	const last = messages[messages.length - 1];
	const events = new ReadableStream<RunEvent>({
		start(controller) {
			controller.enqueue({
				type: 'run-end',
				reason: 'awaiting-input',
				usage: { inputTokens: undefined, outputTokens: undefined }
			});
			controller.close();
		}
	});
	return {
		taskId: task.id,
		events,
		state: new StateOperations({
			taskId: task.id,
			history: messages.slice(0, -1).map(toStateMessage),
			answer: { id: last.id, parts: last.parts }
		})
	};
}

