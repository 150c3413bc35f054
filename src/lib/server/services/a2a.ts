import {
	Role,
	TaskState,
	type AgentCard,
	type CancelTaskRequest,
	type GetTaskRequest,
	type Message,
	type SendMessageRequest,
	type StreamResponse,
	type SubscribeToTaskRequest,
	type Task
} from '@a2a-js/sdk';
import {
	PushNotificationNotSupportedError,
	RequestMalformedError,
	TaskNotCancelableError,
	TaskNotFoundError,
	UnsupportedOperationError
} from '@a2a-js/sdk/errors';
import type { A2ARequestHandler } from '@a2a-js/sdk/server';
import type { Config } from '../config';
import type { Db } from '../db';
import { AppError } from '../errors';
import { A2AEventMapper, agentMessage, answerArtifact, pendingPart, pendingText, statusOf, textPart } from '../protocols/a2a/to-a2a-event';
import { TASK_ID, toAsk, toCallerTools, waitingCalls } from '../protocols/a2a/request';
import type { RunEvent } from '../runtime/events';
import { runRegistry, type ActiveRun } from '../runtime/run-registry';
import { startCallerTurn } from '../turns/start-caller-turn';
import type { CallerTurn } from '../turns/caller-turn';
import type { AgentWithTools } from './agents';
import { listMessages, type StoredMessage } from './messages';
import { findTask, getOwnTask, titleFrom, type Task as ParleyTask } from './tasks';
import type { Viewer } from './viewer';

/** Most history messages a task answer carries (`historyLength` asks for fewer). */
const MAX_HISTORY = 100;

/** An error of a request as A2A names it (JSON-RPC codes): task not found, invalid params, unsupported. */
export function toA2AError(error: unknown): unknown {
	if (!(error instanceof AppError)) return error;
	const field = error.field ?? '';
	if (error.code === 'not_found' && /^(taskId|id|message\.taskId|message\.contextId)$/.test(field))
		return new TaskNotFoundError(error.message);
	if (error.code === 'conflict') return new UnsupportedOperationError(error.message);
	if (error.code === 'internal' || error.code === 'upstream') return error;
	return new RequestMalformedError(field ? `${field}: ${error.message}` : error.message);
}

/** The text of a stored message's text parts. */
function storedText(message: StoredMessage): string {
	return message.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join('');
}

/** A stored message as an A2A message of the task. */
function toA2AMessage(taskId: string, message: StoredMessage): Message {
	return {
		...agentMessage(taskId, message.id, [textPart(storedText(message))]),
		role: message.role === 'user' ? Role.ROLE_USER : Role.ROLE_AGENT
	};
}

/** A task as it is stored (no run in progress): its state is its last answer's. */
export function storedTask(taskId: string, stored: readonly StoredMessage[], historyLength = MAX_HISTORY): Task {
	const last = stored.at(-1);
	const answer = last?.role === 'assistant' ? last : undefined;
	const waiting = waitingCalls(stored as StoredMessage[]);
	const pending = waiting.map((part) => ({
		toolCallId: part.toolCallId,
		toolName: part.type.slice('tool-'.length),
		input: part.input,
		...(part.state === 'approval-requested' && part.approval ? { approvalId: part.approval.id } : {})
	}));
	const status =
		answer?.status === 'error'
			? statusOf(taskId, TaskState.TASK_STATE_FAILED, { id: `${answer.id}-status`, parts: [textPart(answer.error ?? 'The run failed.')] })
			: answer?.status === 'interrupted'
				? statusOf(taskId, TaskState.TASK_STATE_CANCELED)
				: pending.length > 0
					? statusOf(taskId, TaskState.TASK_STATE_INPUT_REQUIRED, {
							id: `${answer?.id ?? taskId}-status`,
							parts: [textPart(pendingText(pending)), pendingPart(pending)]
						})
					: statusOf(taskId, answer ? TaskState.TASK_STATE_COMPLETED : TaskState.TASK_STATE_SUBMITTED);
	const dialogue = stored.filter((message) => message.role === 'user' || message.role === 'assistant');
	const history =
		historyLength > 0 ? dialogue.slice(-Math.min(historyLength, MAX_HISTORY)).map((message) => toA2AMessage(taskId, message)) : [];
	return {
		id: taskId,
		contextId: taskId,
		status,
		artifacts: answer && storedText(answer) !== '' ? [answerArtifact(answer.id, storedText(answer))] : [],
		history,
		metadata: undefined
	};
}

/** What a request of the A2A face works with: who asks, of which agent. */
export interface A2AContext {
	db: Db;
	config: Config;
	viewer: Viewer;
	agent: AgentWithTools;
	card: AgentCard;
}

/** A run's events as A2A stream responses, ending with the final status. */
async function* streamOf(
	taskId: string,
	events: ReadableStream<RunEvent>,
	mapper = new A2AEventMapper(taskId)
): AsyncGenerator<StreamResponse> {
	const reader = events.getReader();
	try {
		for (let read = await reader.read(); !read.done; read = await reader.read()) yield* mapper.push(read.value);
		yield* mapper.close();
	} finally {
		reader.releaseLock();
	}
}

/**
 * Parley's runtime as an A2A request handler (`@a2a-js/sdk`'s `A2ARequestHandler`): the SDK's
 * JSON-RPC handlers (A2A 1.0 and 0.3) parse and answer; this starts turns through
 * `startCallerTurn` and tells tasks from the runtime's runs and the stored history. Runs belong
 * to the server: a caller that goes away does not stop them.
 */
export class ParleyA2AHandler implements A2ARequestHandler {
	constructor(private readonly context: A2AContext) {}

	async getAgentCard(): Promise<AgentCard> {
		return this.context.card;
	}

	async getAuthenticatedExtendedAgentCard(): Promise<AgentCard> {
		throw new UnsupportedOperationError('This agent has no extended card.');
	}

	/** The caller's task (of this agent); anything else is task not found. */
	private async ownTask(id: string): Promise<ParleyTask> {
		if (!TASK_ID.test(id)) throw new TaskNotFoundError(`No task "${id}" was found.`);
		try {
			const task = await getOwnTask(this.context.db, this.context.viewer, id, { field: 'id' });
			if (task.agentId !== this.context.agent.id) throw new AppError('not_found', `No task "${id}" was found.`, { field: 'id' });
			return task;
		} catch (error) {
			throw toA2AError(error);
		}
	}

	/** Starts the turn a message asks for: a run, or answers stored while other calls still wait. */
	private async start(params: SendMessageRequest): Promise<{ taskId: string; run: ActiveRun | null }> {
		const { db, config, viewer, agent } = this.context;
		const message = params.message;
		if (!message) throw new RequestMalformedError('params.message is required.');
		if (message.role === Role.ROLE_AGENT) throw new RequestMalformedError('message.role must be the user’s.');
		let existing: string | undefined;
		let newId: string | undefined;
		if (message.taskId) {
			await this.ownTask(message.taskId);
			existing = message.taskId;
		} else if (message.contextId) {
			if (!TASK_ID.test(message.contextId))
				throw new RequestMalformedError('message.contextId: 8–64 letters, digits, "_" or "-" (a task id).');
			const task = await findTask(db, message.contextId);
			if (task) {
				await this.ownTask(message.contextId);
				existing = message.contextId;
			} else newId = message.contextId;
		}
		const metadata = [message.metadata, params.metadata];
		const turn: CallerTurn = {
			viewer,
			agent: { kind: 'resolved', agent },
			task: existing ? { kind: 'existing', id: existing, field: 'taskId' } : { kind: 'new', create: newId ? { id: newId } : {} },
			busy: { code: 'conflict', message: 'This task is still answering: wait for it, resubscribe, or cancel it.', field: 'taskId' },
			callerTools: (resolved) => toCallerTools(metadata, resolved),
			files: { field: 'message.parts', resolveLinks: true },
			seed: ({ stored }) => {
				const ask = toAsk(message, stored);
				const title =
					stored || ask.type !== 'message'
						? undefined
						: titleFrom(ask.parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join(' ')) || 'New task';
				return { messages: [], ask, ...(title ? { title } : {}) };
			},
			ask: { type: 'respond' }
		};
		try {
			const result = await startCallerTurn({ db, config }, turn);
			return { taskId: result.task.id, run: result.kind === 'run' ? result.run : null };
		} catch (error) {
			throw toA2AError(error);
		}
	}

	/** The stored task, with its history as `historyLength` asks. */
	private async told(taskId: string, historyLength?: number): Promise<Task> {
		return storedTask(taskId, await listMessages(this.context.db, taskId), historyLength);
	}

	async sendMessage(params: SendMessageRequest): Promise<Message | Task> {
		const { taskId, run } = await this.start(params);
		if (run && !params.configuration?.returnImmediately) await run.finished;
		if (run && !run.isEnded) {
			const mapper = new A2AEventMapper(taskId, run.messageId);
			for (const event of run.events) mapper.push(event);
			return mapper.task();
		}
		return this.told(taskId, params.configuration?.historyLength);
	}

	async *sendMessageStream(params: SendMessageRequest): AsyncGenerator<StreamResponse> {
		const { taskId, run } = await this.start(params);
		if (!run) {
			// Answers were stored while other calls still wait: the task waits for them.
			const task = await this.told(taskId, 0);
			yield { payload: { $case: 'task', value: task } };
			if (task.status)
				yield { payload: { $case: 'statusUpdate', value: { taskId, contextId: taskId, status: task.status, metadata: undefined } } };
			return;
		}
		yield* streamOf(taskId, run.subscribe(), new A2AEventMapper(taskId, run.messageId));
	}

	async getTask(params: GetTaskRequest): Promise<Task> {
		const task = await this.ownTask(params.id);
		const run = runRegistry.get(task.id);
		if (run && !run.isEnded) {
			const mapper = new A2AEventMapper(task.id, run.messageId);
			for (const event of [...run.events]) mapper.push(event);
			return mapper.task();
		}
		return this.told(task.id, params.historyLength);
	}

	async cancelTask(params: CancelTaskRequest): Promise<Task> {
		const task = await this.ownTask(params.id);
		const run = runRegistry.get(task.id);
		if (!run || run.isEnded) throw new TaskNotCancelableError(`The task "${task.id}" is not running.`);
		run.stop('stopped');
		await run.finished;
		return this.told(task.id);
	}

	async *resubscribe(params: SubscribeToTaskRequest): AsyncGenerator<StreamResponse> {
		const task = await this.ownTask(params.id);
		const run = runRegistry.get(task.id);
		if (!run || run.isEnded) throw new UnsupportedOperationError(`The task "${task.id}" is not running: read it with GetTask.`);
		yield* streamOf(task.id, run.subscribe(), new A2AEventMapper(task.id, run.messageId));
	}

	async listTasks(): Promise<never> {
		throw new UnsupportedOperationError('Listing tasks is not supported: read a task by its id.');
	}

	async createTaskPushNotificationConfig(): Promise<never> {
		throw new PushNotificationNotSupportedError('Push notifications are not supported: stream, or resubscribe.');
	}

	async getTaskPushNotificationConfig(): Promise<never> {
		throw new PushNotificationNotSupportedError('Push notifications are not supported.');
	}

	async listTaskPushNotificationConfigs(): Promise<never> {
		throw new PushNotificationNotSupportedError('Push notifications are not supported.');
	}

	async deleteTaskPushNotificationConfig(): Promise<never> {
		throw new PushNotificationNotSupportedError('Push notifications are not supported.');
	}
}
