import { Role, TaskState, type Artifact, type Message, type Part, type StreamResponse, type Task, type TaskStatus } from '@a2a-js/sdk';
import type { PendingToolCall, RunEvent } from '../../runtime/events';

/**
 * A2A (`@a2a-js/sdk` 1.3, A2A 1.0) tasks as this face tells them. A task is a Parley task: its id
 * is the task's id, and its `contextId` is the same id (a conversation is one task).
 */

/** A text part. */
export function textPart(text: string): Part {
	return { content: { $case: 'text', value: text }, metadata: undefined, filename: '', mediaType: 'text/plain' };
}

/** A data part (JSON). */
export function dataPart(value: unknown): Part {
	return { content: { $case: 'data', value }, metadata: undefined, filename: '', mediaType: 'application/json' };
}

/** An agent's message of the task. */
export function agentMessage(taskId: string, messageId: string, parts: Part[]): Message {
	return { messageId, contextId: taskId, taskId, role: Role.ROLE_AGENT, parts, metadata: undefined, extensions: [], referenceTaskIds: [] };
}

/** The id of the artifact that holds a run's answer text. */
export function answerArtifactId(messageId: string): string {
	return `${messageId}-answer`;
}

/** The answer's artifact: its text. */
export function answerArtifact(messageId: string, text: string): Artifact {
	return {
		artifactId: answerArtifactId(messageId),
		name: 'answer',
		description: "The agent's answer.",
		parts: [textPart(text)],
		metadata: undefined,
		extensions: []
	};
}

/** The calls that wait for the caller, as a data part naming how to answer them. */
export function pendingPart(calls: readonly PendingToolCall[]): Part {
	return dataPart({
		toolCalls: calls.map((call) => ({
			toolCallId: call.toolCallId,
			toolName: call.toolName,
			input: call.input ?? null,
			kind: call.approvalId !== undefined ? 'approval' : 'output'
		}))
	});
}

/** The words of a status that waits for the caller. */
export function pendingText(calls: readonly PendingToolCall[]): string {
	const names = calls.map((call) => (call.approvalId !== undefined ? `approve the call of ${call.toolName}` : `run ${call.toolName}`));
	return `Input required: ${names.join(', ')}. Answer with a data part {"toolCallId", "output"} or {"toolCallId", "approved"}.`;
}

/** A task's status. */
export function statusOf(taskId: string, state: TaskState, message?: { id: string; parts: Part[] }): TaskStatus {
	return {
		state,
		message: message ? agentMessage(taskId, message.id, message.parts) : undefined,
		timestamp: new Date().toISOString()
	};
}

/** Whether a state ends the task's current turn (it does not change without the caller). */
export function isFinalState(state: TaskState): boolean {
	return (
		state === TaskState.TASK_STATE_COMPLETED ||
		state === TaskState.TASK_STATE_CANCELED ||
		state === TaskState.TASK_STATE_FAILED ||
		state === TaskState.TASK_STATE_INPUT_REQUIRED ||
		state === TaskState.TASK_STATE_REJECTED
	);
}

/**
 * Turns one run's events into A2A stream responses, in order: the task (working) first, the
 * answer's text as appended chunks of one artifact, tool calls as working status updates, and a
 * final status update: `completed`, `input-required` (naming the calls that wait), `canceled`
 * (the partial answer stays in the artifact) or `failed` with the error.
 */
export class A2AEventMapper {
	private started = false;
	private ended = false;
	private messageId: string;
	private text = '';
	private chunks = 0;
	private pending: PendingToolCall[] = [];
	private finalState: TaskState | undefined;

	constructor(
		private readonly taskId: string,
		messageId = `${taskId}-answer`
	) {
		this.messageId = messageId;
	}

	/** The state the run ended in, once it has. */
	get state(): TaskState | undefined {
		return this.finalState;
	}

	/** The whole answer text so far. */
	get answer(): string {
		return this.text;
	}

	/** The task as it stands. */
	task(history: Message[] = []): Task {
		const state = this.finalState ?? TaskState.TASK_STATE_WORKING;
		return {
			id: this.taskId,
			contextId: this.taskId,
			status: this.finalStatus ?? statusOf(this.taskId, state),
			artifacts: this.text === '' ? [] : [answerArtifact(this.messageId, this.text)],
			history,
			metadata: undefined
		};
	}

	private finalStatus: TaskStatus | undefined;

	/** The stream responses for one run event. */
	push(event: RunEvent): StreamResponse[] {
		if (this.ended) return [];
		const out: StreamResponse[] = [];
		if (!this.started) {
			this.started = true;
			if (event.type === 'run-start') this.messageId = event.messageId;
			out.push({ payload: { $case: 'task', value: this.task() } });
			if (event.type === 'run-start') return out;
		}
		switch (event.type) {
			case 'text-delta':
				if (event.delta !== '') {
					this.text += event.delta;
					out.push({
						payload: {
							$case: 'artifactUpdate',
							value: {
								taskId: this.taskId,
								contextId: this.taskId,
								artifact: { ...answerArtifact(this.messageId, event.delta) },
								append: this.chunks++ > 0,
								lastChunk: false,
								metadata: undefined
							}
						}
					});
				}
				break;
			case 'tool-call-ready':
				out.push(
					this.status(TaskState.TASK_STATE_WORKING, [
						textPart(`Calling ${event.toolName}.`),
						dataPart({ toolCallId: event.toolCallId, toolName: event.toolName, input: event.input ?? null })
					])
				);
				break;
			case 'tool-output':
				out.push(this.status(TaskState.TASK_STATE_WORKING, [dataPart({ toolCallId: event.toolCallId, output: event.output ?? null })]));
				break;
			case 'tool-error':
				out.push(this.status(TaskState.TASK_STATE_WORKING, [dataPart({ toolCallId: event.toolCallId, error: event.errorText })]));
				break;
			case 'tool-denied':
				out.push(this.status(TaskState.TASK_STATE_WORKING, [dataPart({ toolCallId: event.toolCallId, error: 'The call was denied.' })]));
				break;
			case 'input-required':
				this.pending = event.toolCalls;
				break;
			case 'run-end': {
				const state =
					event.reason === 'interrupted'
						? TaskState.TASK_STATE_CANCELED
						: event.reason === 'awaiting-input' && this.pending.length > 0
							? TaskState.TASK_STATE_INPUT_REQUIRED
							: TaskState.TASK_STATE_COMPLETED;
				out.push(...this.end(state));
				break;
			}
			case 'run-error':
				out.push(...this.end(TaskState.TASK_STATE_FAILED, [textPart(event.message)]));
				break;
			default:
				break;
		}
		return out;
	}

	/** The responses that end a run whose events stopped without an end: it was cut off. */
	close(): StreamResponse[] {
		if (this.ended) return [];
		const out: StreamResponse[] = [];
		if (!this.started) {
			this.started = true;
			out.push({ payload: { $case: 'task', value: this.task() } });
		}
		out.push(...this.end(TaskState.TASK_STATE_CANCELED));
		return out;
	}

	private status(state: TaskState, parts?: Part[]): StreamResponse {
		const status = statusOf(this.taskId, state, parts ? { id: `${this.messageId}-status-${this.chunks++}`, parts } : undefined);
		return { payload: { $case: 'statusUpdate', value: { taskId: this.taskId, contextId: this.taskId, status, metadata: undefined } } };
	}

	private end(state: TaskState, parts?: Part[]): StreamResponse[] {
		this.ended = true;
		this.finalState = state;
		const out: StreamResponse[] = [];
		const waiting =
			state === TaskState.TASK_STATE_INPUT_REQUIRED ? [textPart(pendingText(this.pending)), pendingPart(this.pending)] : parts;
		const update = this.status(state, waiting);
		if (update.payload?.$case === 'statusUpdate') this.finalStatus = update.payload.value.status;
		out.push(update);
		return out;
	}
}
