import { convertToModelMessages, stepCountIs, streamText, type TextStreamPart, type ToolSet, type UIMessage } from 'ai';
import type { Config } from '../config';
import type { Db } from '../db';
import type { Message, MessageStatus, Task } from '../db/schema';
import { AppError } from '../errors';
import { resolveModel } from '../models/registry';
import type { AgentWithTools } from '../services/agents';
import { appendMessage, listMessages, toUIMessage, updateMessage } from '../services/messages';
import { titleFrom, touchTask } from '../services/tasks';
import { resolveTools } from '../tools/resolve-tools';
import { buildSystemPrompt } from './build-prompt';
import { describeModelError } from './describe-model-error';
import type { RunEndReason, RunEvent, RunUsage } from './events';
import { MessagePartsBuilder } from './message-parts';
import { ActiveRun, runRegistry, type RunRegistry } from './run-registry';

/** What starts a turn: a new user message. */
export interface TurnInput {
	db: Db;
	config: Config;
	task: Task;
	agent: AgentWithTools;
	/** The new user message's parts (text, files). */
	userParts: UIMessage['parts'];
	registry?: RunRegistry;
}

/** The first text of a list of parts. */
function textOf(parts: UIMessage['parts']): string {
	return parts.flatMap((part) => (part.type === 'text' ? [part.text] : [])).join(' ');
}

/**
 * Starts one turn of an agent on a task: stores the user message before the model is called,
 * creates the assistant message as `streaming`, and runs the model in the background. The
 * returned run can be read by any number of subscribers and ends on its own.
 */
export async function startTurn(input: TurnInput): Promise<ActiveRun> {
	const { db, config, task, agent } = input;
	const registry = input.registry ?? runRegistry;
	if (registry.get(task.id)) {
		throw new AppError('conflict', 'This task is already answering. Stop it or wait for the answer.', {
			field: 'id'
		});
	}
	const model = resolveModel(config, agent.model);
	const tools = resolveTools(agent.tools);

	await appendMessage(db, { taskId: task.id, role: 'user', parts: input.userParts });
	await touchTask(db, task.id, titleFrom(textOf(input.userParts)) || 'New task');

	const history = (await listMessages(db, task.id)).filter(
		(message) => message.role !== 'system' && message.parts.length > 0
	);
	const assistant = await appendMessage(db, {
		taskId: task.id,
		role: 'assistant',
		parts: [],
		status: 'streaming',
		model: agent.model
	});

	const run = new ActiveRun(task.id, assistant.id);
	registry.add(run);
	run.emit({ type: 'run-start', taskId: task.id, messageId: assistant.id, model: agent.model });
	void drive({ db, run, agent, tools, model, history });
	return run;
}

interface DriveInput {
	db: Db;
	run: ActiveRun;
	agent: AgentWithTools;
	tools: ToolSet;
	model: ReturnType<typeof resolveModel>;
	history: Message[];
}

/** Runs the model to the end, translating its stream into run events and storing the answer. */
async function drive({ db, run, agent, tools, model, history }: DriveInput): Promise<void> {
	const parts = new MessagePartsBuilder();
	const emit = (event: RunEvent) => {
		parts.apply(event);
		run.emit(event);
	};
	const usage: RunUsage = { inputTokens: undefined, outputTokens: undefined };
	let status: MessageStatus = 'complete';
	let errorMessage: string | null = null;
	let endReason: RunEndReason = 'completed';
	const timeout = setTimeout(() => run.stop('timeout'), agent.maxRunSeconds * 1000);

	try {
		const messages = await convertToModelMessages(history.map(toUIMessage), {
			tools,
			ignoreIncompleteToolCalls: true
		});
		const result = streamText({
			model,
			system: buildSystemPrompt(agent),
			messages,
			tools,
			temperature: agent.temperature ?? undefined,
			stopWhen: stepCountIs(Math.max(1, agent.maxSteps)),
			abortSignal: run.abortController.signal,
			maxRetries: 1
		});
		let lastFinishReason: string | undefined;
		for await (const part of result.fullStream) {
			if (part.type === 'finish-step') {
				emit({ type: 'step-end', usage: { inputTokens: part.usage.inputTokens, outputTokens: part.usage.outputTokens } });
				lastFinishReason = part.finishReason;
				await updateMessage(db, run.messageId, { parts: parts.snapshot() });
				continue;
			}
			if (part.type === 'finish') {
				usage.inputTokens = part.totalUsage.inputTokens;
				usage.outputTokens = part.totalUsage.outputTokens;
				endReason = endReasonOf(lastFinishReason ?? part.finishReason, parts);
				continue;
			}
			if (part.type === 'abort') {
				status = 'interrupted';
				endReason = 'interrupted';
				continue;
			}
			if (part.type === 'error') {
				throw part.error;
			}
			for (const event of toRunEvents(part, tools)) emit(event);
		}
	} catch (error) {
		if (run.abortController.signal.aborted) {
			status = 'interrupted';
			endReason = 'interrupted';
		} else {
			status = 'error';
			errorMessage = describeModelError(error);
			console.error(`[parley] run on task ${run.taskId} failed`, error);
		}
	} finally {
		clearTimeout(timeout);
	}

	parts.closeOpenParts();
	try {
		await updateMessage(db, run.messageId, {
			parts: parts.snapshot(),
			status,
			error: errorMessage,
			inputTokens: usage.inputTokens ?? null,
			outputTokens: usage.outputTokens ?? null
		});
		await touchTask(db, run.taskId);
	} catch (error) {
		console.error(`[parley] could not store the answer on task ${run.taskId}`, error);
	}
	if (errorMessage !== null) run.emit({ type: 'run-error', message: errorMessage });
	else run.emit({ type: 'run-end', reason: endReason, usage });
	run.end();
}

/** Why a run ended, from the last step's finish reason and what is still pending. */
function endReasonOf(finishReason: string, parts: MessagePartsBuilder): RunEndReason {
	if (finishReason === 'length') return 'limit';
	if (finishReason !== 'tool-calls') return 'completed';
	const waiting = parts.parts.some(
		(part) => 'state' in part && (part.state === 'input-available' || part.state === 'approval-requested')
	);
	return waiting ? 'awaiting-input' : 'limit';
}

/** Translates one part of the AI SDK's full stream into run events. */
function toRunEvents(part: TextStreamPart<ToolSet>, tools: ToolSet): RunEvent[] {
	switch (part.type) {
		case 'start-step':
			return [{ type: 'step-start' }];
		case 'text-start':
		case 'text-end':
		case 'reasoning-start':
		case 'reasoning-end':
			return [{ type: part.type, id: part.id }];
		case 'text-delta':
		case 'reasoning-delta':
			return [{ type: part.type, id: part.id, delta: part.text }];
		case 'tool-input-start':
			return [{ type: 'tool-call-start', toolCallId: part.id, toolName: part.toolName }];
		case 'tool-input-delta':
			return [{ type: 'tool-call-delta', toolCallId: part.id, inputTextDelta: part.delta }];
		case 'tool-call':
			if (part.invalid) {
				return [
					{
						type: 'tool-call-invalid',
						toolCallId: part.toolCallId,
						toolName: part.toolName,
						input: part.input,
						errorText: errorText(part.error)
					}
				];
			}
			return [
				{
					type: 'tool-call-ready',
					toolCallId: part.toolCallId,
					toolName: part.toolName,
					input: part.input,
					clientExecuted: !tools[part.toolName]?.execute
				}
			];
		case 'tool-result':
			if (part.preliminary) return [];
			return [{ type: 'tool-output', toolCallId: part.toolCallId, output: part.output }];
		case 'tool-error':
			return [{ type: 'tool-error', toolCallId: part.toolCallId, errorText: errorText(part.error) }];
		case 'tool-output-denied':
			return [{ type: 'tool-denied', toolCallId: part.toolCallId }];
		case 'tool-approval-request':
			return [
				{ type: 'tool-approval-request', toolCallId: part.toolCall.toolCallId, approvalId: part.approvalId }
			];
		default:
			return [];
	}
}

/** The message of a tool error, which the model and the user both see. */
function errorText(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}
