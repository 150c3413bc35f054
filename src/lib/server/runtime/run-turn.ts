import {
	convertToModelMessages,
	stepCountIs,
	streamText,
	type LanguageModel,
	type LanguageModelUsage,
	type ProviderMetadata,
	type TextStreamPart,
	type ToolSet,
	type UIMessage
} from 'ai';
import { eq } from 'drizzle-orm';
import type { BatchItem } from 'drizzle-orm/batch';
import type { Config } from '../config';
import type { Db } from '../db';
import { createCodeContext, respondInCode } from '../code-agents/respond';
import { findCodeAgent, type CodeAgent } from '../code-agents/registry';
import { toolsFor, widgetOfTool } from '../code-agents/define';
import { tasks, type Message, type MessageStatus, type Task, type Tool } from '../db/schema';
import { AppError } from '../errors';
import { newId } from '../ids';
import { modelCallSettings } from '../models/provider-options';
import { resolveModel } from '../models/registry';
import { withFileData } from '../files/model-parts';
import type { AgentWithTools } from '../services/agents';
import {
	insertMessage,
	listMessages,
	messageIdExists,
	toUIMessage,
	updateMessage,
	updateMessageQuery
} from '../services/messages';
import { titleFrom, touchTaskQuery } from '../services/tasks';
import { resolveCallerTools, resolveTools } from '../tools/resolve-tools';
import { buildSystemPrompt } from './build-prompt';
import { safeDownload } from './safe-download';
import { describeModelError, isModelCallError } from './describe-model-error';
import type { RunEndReason, RunEvent, RunUsage } from './events';
import { isWidgetPart } from '$lib/widgets/contract';
import { textOf } from '$lib/text-of';
import { MessagePartsBuilder, type ToolPart } from './message-parts';
import { ActiveRun, runRegistry, type RunRegistry } from './run-registry';
import { StreamSaver } from './stream-saver';
import { getSharedRuns } from './runs';
import type { SharedRuns } from './shared-runs';
import {
	applyAnswers,
	isWrittenByAgent,
	pendingToolCalls,
	prepareHistory,
	sortAnswers,
	type PreparedHistory,
	type ToolCallAnswer,
	type TurnRequest
} from './turn-request';

/** What a turn needs: the task, its agent, and what the caller asks for. */
export interface TurnInput {
	db: Db;
	config: Config;
	task: Task;
	agent: AgentWithTools;
	request: TurnRequest;
	registry?: RunRegistry;
	/** The model to call instead of the agent's own (tests, per-request overrides). */
	model?: LanguageModel;
	/** Where to publish the run for other processes; by default Redis when `REDIS_URL` is set, null for none. */
	shared?: Promise<SharedRuns> | null;
	/** Tools the caller defines for this turn (OpenAI `tools`); the caller runs them. */
	callerTools?: CallerTool[];
	/** Every tool call goes to the caller; by default as the task's run options say. */
	handOverAllTools?: boolean;
	/** The task's stored messages when the caller knows them without reading (`[]` for a task it just created). */
	storedMessages?: Message[];
}

/** A tool defined by the caller of one request: the model may call it, the caller runs it. */
export interface CallerTool {
	name: string;
	description?: string;
	/** JSON Schema of its input. */
	inputSchema: Record<string, unknown>;
}

/**
 * The agent's tool rows of a turn, handed over to the caller when asked; `invalid_input` when one
 * of the caller's own tools takes the name of one of them.
 */
function toolRowsOf(
	input: Pick<TurnInput, 'agent' | 'callerTools' | 'handOverAllTools'> & { task?: Pick<Task, 'runOptions'> }
): Tool[] {
	const handOver = input.handOverAllTools ?? input.task?.runOptions?.handOverAllTools ?? false;
	const rows = input.agent.tools.map((row) => (handOver ? { ...row, kind: 'client' as const } : row));
	for (const callerTool of input.callerTools ?? []) {
		if (rows.some((row) => row.name === callerTool.name)) {
			throw new AppError('invalid_input', `The tool name "${callerTool.name}" is already one of the agent's tools.`, {
				field: 'tools'
			});
		}
	}
	return rows;
}

/** The longest any run may take, whatever its agent says. */
const MAX_RUN_SECONDS = 86_400;

/** The abort reason of a run stopped by its agent's time limit. */
const RUN_TIMEOUT = 'timeout';

/**
 * What a turn will call, checked before anything is stored: the model (an unconfigured provider
 * is `invalid_input`) and the tools (a caller's tool named like one of the agent's is refused).
 * Faces that store things before starting a turn call this first, so that a refused request
 * stores nothing.
 */
export function checkTurn(
	input: Pick<TurnInput, 'config' | 'agent' | 'model' | 'callerTools' | 'handOverAllTools'> & {
		db?: Db;
		task?: Pick<Task, 'context' | 'runOptions'>;
	}
): { model: LanguageModel; tools: ToolSet; codeAgent?: CodeAgent } {
	const { tools, codeAgent } = turnTools(input);
	return { model: input.model ?? resolveModel(input.config, input.agent.model), tools, codeAgent };
}

/** The tools of a turn (the agent's, a code agent's, the caller's), as {@link checkTurn} checks them. */
export function turnTools(
	input: Pick<TurnInput, 'config' | 'agent' | 'callerTools' | 'handOverAllTools'> & {
		db?: Db;
		task?: Pick<Task, 'context' | 'runOptions'>;
	}
): { tools: ToolSet; codeAgent?: CodeAgent } {
	const codeAgent = input.agent.source === 'code' ? findCodeAgent(input.agent.slug) : undefined;
	if (input.agent.source === 'code' && !codeAgent) {
		throw new AppError('not_found', `The agent "${input.agent.slug}" is defined in code this server does not have.`, {
			field: 'agentId'
		});
	}
	const tools = {
		...resolveTools(toolRowsOf(input), {
			config: input.config,
			taskContext: input.task?.context,
			db: input.db,
			agentId: input.agent.id
		}),
		...resolveCallerTools(input.callerTools ?? [])
	};
	return {
		tools: codeAgent
			? { ...tools, ...codeToolsOf(codeAgent, input.task?.context ?? {}, input.task?.runOptions?.handOverAllTools) }
			: tools,
		codeAgent
	};
}

/**
 * The names of the tools a turn runs on the server, those with an implementation here; the
 * caller runs the others. A caller can never answer, nor approve into running, a call of one of
 * these that the agent's own run did not make (see `AnswerRules`).
 */
export function serverToolsOf(tools: ToolSet): Set<string> {
	return new Set(Object.entries(tools).flatMap(([name, tool]) => (tool.execute ? [name] : [])));
}

/** A code agent's tools for a task's context; all handed over to the caller when the task asks. */
function codeToolsOf(codeAgent: CodeAgent, context: Record<string, unknown>, handOver = false): ToolSet {
	const tools = toolsFor(codeAgent.definition.tools ?? {}, codeAgent.contextKeys, context);
	if (!handOver) return tools;
	return Object.fromEntries(Object.entries(tools).map(([name, tool]) => [name, { ...tool, execute: undefined }]));
}

/**
 * Starts one turn of an agent on a task. The history is settled before the model is called: a
 * new question is stored, an edited one becomes a new version of the old one (a new branch from
 * the message before it), a regenerated answer a new version of the answer, a continuation
 * applies tool outputs and approvals to the last answer. The answer is stored as `streaming` and the model runs in the background; the returned
 * run can be read by any number of subscribers and ends on its own.
 */
export async function startTurn(input: TurnInput): Promise<ActiveRun> {
	const { db, config, agent, request } = input;
	let task = input.task;
	const registry = input.registry ?? runRegistry;
	const checked = checkTurn(input);
	const { model, codeAgent } = checked;
	let tools = checked.tools;

	// The run is registered before the first await, so that two requests on one task cannot both start.
	const run = new ActiveRun(task.id, request.type === 'continue' ? request.messageId : newId());
	if (!registry.tryAdd(run)) {
		throw new AppError('conflict', 'This task is already answering. Stop it or wait for the answer.', {
			field: 'id'
		});
	}
	try {
		const stored = input.storedMessages ?? (await listMessages(db, task.id));
		const prepared = prepareHistory(stored, request, serverToolsOf(tools));
		// The client's id for a new question is kept when it is free (an edit's question is a new version beside the old).
		const questionId =
			request.type === 'message' && request.messageId && !(await messageIdExists(db, request.messageId))
				? request.messageId
				: newId();
		// A new branch follows the last message it keeps; otherwise a new message follows the history's end.
		const branchParent =
			prepared.branchAt === undefined ? undefined : (stored[prepared.branchAt - 1]?.id ?? null);
		// Every write before the model is called goes in one transaction: one disk sync, not four.
		const writes: BatchItem<'sqlite'>[] = [];
		// A code agent makes the task's context before its first answer; its tools then see it.
		const created = codeAgent ? await createCodeContext(db, codeAgent, task) : null;
		if (created) {
			task = { ...task, ...created };
			tools = checkTurn({ ...input, task }).tools;
			writes.push(db.update(tasks).set(created).where(eq(tasks.id, task.id)));
		}
		const questionAt = request.type === 'message' ? writes.length : -1;
		if (request.type === 'message') {
			writes.push(
				insertMessage(db, { taskId: task.id, role: 'user', parts: request.parts, id: questionId, parentId: branchParent })
			);
			writes.push(touchTaskQuery(db, task.id, titleFrom(textOf(request.parts, ' ')) || 'New task'));
		}
		writes.push(
			prepared.continued
				? updateMessageQuery(db, run.messageId, { parts: prepared.continued.parts, status: 'streaming', error: null })
				: insertMessage(db, {
						id: run.messageId,
						taskId: task.id,
						role: 'assistant',
						parts: [],
						status: 'streaming',
						model: agent.model,
						parentId: request.type === 'message' ? questionId : branchParent
					})
		);
		const [first, ...rest] = writes;
		const results = await db.batch([first, ...rest]);
		const question = questionAt >= 0 ? (results[questionAt] as Message[])[0] : undefined;
		const history = historyAfter(stored, prepared, question);
		run.emit({ type: 'run-start', taskId: task.id, messageId: run.messageId, model: agent.model });
		const shared = input.shared === undefined ? getSharedRuns() : input.shared;
		if (shared) await (await shared).publish(run);
		const initialParts = prepared.continued?.parts ?? [];
		// A continued answer (tool outputs, approvals) is the model's to finish: it made the calls.
		const respondInCodeAgent = prepared.continued ? undefined : codeAgent;
		void drive({ db, config, run, agent, tools, model, history, task, initialParts, codeAgent: respondInCodeAgent });
		return run;
	} catch (error) {
		run.end();
		throw error;
	}
}

/**
 * The history the model sees once a request's writes are stored, worked out from what was read
 * before them rather than read again: what a new branch leaves behind is not in it, a continued
 * answer has its new parts, a new question is last. The new answer has no parts yet, so it is left
 * out, like any empty message.
 */
export function historyAfter(stored: Message[], prepared: PreparedHistory, question?: Message): Message[] {
	const { branchAt, continued } = prepared;
	const kept = branchAt === undefined ? stored : stored.slice(0, branchAt);
	const updated = continued
		? kept.map((message) =>
				message.id === continued.message.id ? { ...message, parts: continued.parts, status: 'streaming' as const, error: null } : message
			)
		: kept;
	return [...updated, ...(question ? [question] : [])].filter((message) => message.parts.length > 0);
}

/**
 * Answers tool calls that wait for the caller, one request at a time: while others still wait,
 * the answers are stored and nothing runs (`run` is null, `pending` lists what still waits); the
 * last answer continues the same assistant message with a new run. Each answer names a call of
 * the task's last stored answer by its id; what runs is that stored call, its tool and input as
 * stored. Outputs are taken only for tools the caller runs, and approvals of a server tool only
 * for calls the agent's own run made (`invalid_input` otherwise). `parts` are the answer's parts
 * with the answers applied.
 */
export async function answerToolCalls(
	input: Omit<TurnInput, 'request'> & { answers: ToolCallAnswer[] }
): Promise<{ run: ActiveRun | null; messageId: string; pending: ToolPart[]; parts: UIMessage['parts'] }> {
	const { db, task, answers } = input;
	if ((input.registry ?? runRegistry).get(task.id)) {
		throw new AppError('conflict', 'This task is still answering; wait for it to ask for tool outputs.');
	}
	const last = (await listMessages(db, task.id)).at(-1);
	if (!last || last.role !== 'assistant' || pendingToolCalls(last.parts).length === 0) {
		throw new AppError('not_found', 'No tool call of this task is waiting for an answer.', { field: 'call_id' });
	}
	const sorted = sortAnswers(last.parts, answers);
	const serverTools = serverToolsOf(turnTools(input).tools);
	const parts = answerFieldsAsCallId(() =>
		applyAnswers(last.parts, sorted, { serverTools, writtenByAgent: isWrittenByAgent(last) })
	);
	const pending = pendingToolCalls(parts);
	if (pending.length > 0) {
		await updateMessage(db, last.id, { parts });
		return { run: null, messageId: last.id, pending, parts };
	}
	const run = await startTurn({ ...input, request: { type: 'continue', messageId: last.id, ...sorted } });
	return { run, messageId: last.id, pending: [], parts };
}

/** Runs `apply`, naming the answer at fault `call_id` in its errors, as the rest of {@link answerToolCalls} does. */
function answerFieldsAsCallId<T>(apply: () => T): T {
	try {
		return apply();
	} catch (error) {
		if (error instanceof AppError && (error.field === 'toolCallId' || error.field === 'approvalId')) {
			throw new AppError(error.code, error.message, { ...error.options, field: 'call_id' });
		}
		throw error;
	}
}

interface DriveInput {
	db: Db;
	config: Config;
	run: ActiveRun;
	task: Task;
	agent: AgentWithTools;
	tools: ToolSet;
	model: LanguageModel;
	history: Message[];
	/** The parts the answer already has, when a run continues it. */
	initialParts: UIMessage['parts'];
	/** Set for an agent defined in code: its `respond` answers. */
	codeAgent?: CodeAgent;
}

/**
 * Runs the answer to its end — the model's, or a code agent's `respond` — translating what comes
 * into run events and storing the answer.
 */
async function drive({ db, config, run, task, agent, tools, model, history, initialParts, codeAgent }: DriveInput): Promise<void> {
	const parts = new MessagePartsBuilder(initialParts);
	// What has streamed is stored every STREAM_SAVE_INTERVAL_MS, off the token path, so that a
	// process that dies mid-answer loses at most that much of it.
	const saver = new StreamSaver({
		save: () => updateMessage(db, run.messageId, { parts: parts.snapshot() }),
		intervalMs: config.STREAM_SAVE_INTERVAL_MS,
		onError: (error) => console.error(`[parley] could not store the answer so far on task ${run.taskId}`, error)
	});
	saver.start();
	const emit = (event: RunEvent, providerMetadata?: ProviderMetadata) => {
		parts.apply(event, providerMetadata);
		saver.touch();
		run.emit(event);
	};
	const usage: RunUsage = { inputTokens: undefined, outputTokens: undefined };
	const reasoning = modelCallSettings(agent.model, agent.reasoning);
	let status = 'complete' as MessageStatus;
	let errorMessage: string | null = null;
	/** Why an interrupted answer stopped, when it was not a person's choice. */
	let errorNote: string | null = null;
	// Set by the model calls below, in closures the compiler does not follow.
	let endReason = 'completed' as RunEndReason;
	// Timers cannot wait longer than about 24 days; a day is more than any answer should take.
	const timeout = setTimeout(() => run.stop(RUN_TIMEOUT), Math.min(agent.maxRunSeconds, MAX_RUN_SECONDS) * 1000);
	const persist = () => saver.saveNow();

	/** One model call on the history (and what this answer has so far); resolves to the text it wrote. */
	const callModel = async (instructions?: string): Promise<string> => {
		const before = parts.text.length;
		// Stored file parts link to the file; the model gets the bytes, the text or a description, as it can read them.
		const withData = await Promise.all(
			history.map(async (message) => ({
				...toUIMessage(message),
				parts: await withFileData(db, message.parts, { modelId: agent.model })
			}))
		);
		// What a code agent's answer already holds is part of what the model continues.
		const answerSoFar: UIMessage[] =
			codeAgent && parts.parts.length > 0 ? [{ id: run.messageId, role: 'assistant', parts: parts.snapshot() }] : [];
		// System messages a caller stored (an OpenAI client's system prompt) join the agent's prompt.
		const messages = await convertToModelMessages(
			[...(withData as UIMessage[]).filter((message) => message.role !== 'system'), ...answerSoFar],
			{ tools, ignoreIncompleteToolCalls: true }
		);
		const system = buildSystemPrompt(
			agent,
			task.context,
			history.filter((message) => message.role === 'system').map((message) => textOf(message.parts, ' '))
		);
		const result = streamText({
			model,
			system: instructions ? [system, instructions].filter(Boolean).join('\n\n') : system,
			messages,
			tools,
			temperature: reasoning.dropTemperature ? undefined : (agent.temperature ?? undefined),
			providerOptions: reasoning.providerOptions,
			maxOutputTokens: reasoning.maxOutputTokens,
			stopWhen: stepCountIs(Math.max(1, agent.maxSteps)),
			abortSignal: run.abortController.signal,
			maxRetries: 1,
			experimental_download: safeDownload(config),
			// Failures are logged once, below, with the task they belong to.
			onError: () => {}
		});
		let lastFinishReason: string | undefined;
		for await (const part of result.fullStream) {
			if (part.type === 'finish-step') {
				emit({ type: 'step-end', usage: runUsageOf(part.usage) });
				lastFinishReason = part.finishReason;
				await persist();
				continue;
			}
			if (part.type === 'finish') {
				addUsage(usage, runUsageOf(part.totalUsage));
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
			const providerMetadata = 'providerMetadata' in part ? part.providerMetadata : undefined;
			for (const event of toRunEvents(part, tools)) {
				// A delta that only carries metadata (an Anthropic signature) is kept, not streamed.
				if ((event.type === 'reasoning-delta' || event.type === 'text-delta') && event.delta === '') {
					parts.apply(event, providerMetadata);
				} else {
					emit(event, providerMetadata);
				}
			}
			// A call of a tool a widget answers shows that widget, tied to the call.
			const widget = part.type === 'tool-call' && !part.invalid ? widgetOfTool(tools[part.toolName]) : undefined;
			if (widget && part.type === 'tool-call') {
				const data = JSON.parse(JSON.stringify(widget.data(part.input) ?? null));
				emit({
					type: 'widget',
					id: part.toolCallId,
					widget: { type: widget.type, data, toolCallId: part.toolCallId, toolName: part.toolName }
				});
			}
		}
		return parts.text.slice(before);
	};

	try {
		if (codeAgent) {
			await respondInCode({
				db,
				task,
				codeAgent,
				history,
				emit,
				text: () => parts.text,
				persist,
				callModel,
				signal: run.abortController.signal
			});
			if (run.abortController.signal.aborted) {
				status = 'interrupted';
				endReason = 'interrupted';
			}
		} else {
			await callModel();
		}
	} catch (error) {
		if (run.abortController.signal.aborted) {
			status = 'interrupted';
			endReason = 'interrupted';
		} else {
			status = 'error';
			errorMessage = codeAgent && !isModelCallError(error) ? describeAgentError(error) : describeModelError(error, agent.model);
			console.error(`[parley] run on task ${run.taskId} failed`, error);
		}
	} finally {
		clearTimeout(timeout);
		// No timed save may land after the answer's final form, below.
		await saver.stop();
	}

	if (status === 'interrupted' && run.abortController.signal.reason === RUN_TIMEOUT) {
		errorNote = `Stopped after ${agent.maxRunSeconds} s, this agent's time limit for one answer.`;
	}
	parts.closeOpenParts();
	try {
		await db.batch([
			updateMessageQuery(db, run.messageId, {
				parts: parts.snapshot(),
				// The conversations framework lists an answer that shows a widget as a widget message.
				kind: parts.parts.some((part) => isWidgetPart(part)) ? 'widget' : 'agent',
				status,
				error: errorMessage ?? errorNote,
				inputTokens: usage.inputTokens ?? null,
				outputTokens: usage.outputTokens ?? null,
				reasoningTokens: usage.reasoningTokens ?? null,
				cachedInputTokens: usage.cachedInputTokens ?? null
			}),
			touchTaskQuery(db, run.taskId)
		]);
	} catch (error) {
		console.error(`[parley] could not store the answer on task ${run.taskId}`, error);
	}
	if (errorMessage === null && endReason === 'awaiting-input') {
		const toolCalls = pendingToolCalls(parts.snapshot()).map((part) => ({
			toolCallId: part.toolCallId,
			toolName: part.type.slice('tool-'.length),
			input: part.input,
			...(part.approval ? { approvalId: part.approval.id } : {})
		}));
		run.emit({ type: 'input-required', toolCalls });
	}
	if (errorMessage !== null) run.emit({ type: 'run-error', message: errorMessage });
	else run.emit({ type: 'run-end', reason: endReason, usage });
	run.end();
}

/** The sum of two token counts, either of which may be unknown. */
function addTokens(a: number | undefined, b: number | undefined): number | undefined {
	return a === undefined ? b : b === undefined ? a : a + b;
}

/** A run's usage from the AI SDK's, with reasoning and cached tokens where the provider reports them. */
export function runUsageOf(usage: LanguageModelUsage): RunUsage {
	const reasoningTokens = usage.outputTokenDetails?.reasoningTokens ?? usage.reasoningTokens;
	const cachedInputTokens = usage.inputTokenDetails?.cacheReadTokens ?? usage.cachedInputTokens;
	return {
		inputTokens: usage.inputTokens,
		outputTokens: usage.outputTokens,
		...(reasoningTokens !== undefined ? { reasoningTokens } : {}),
		...(cachedInputTokens !== undefined ? { cachedInputTokens } : {})
	};
}

/** Adds one model call's usage to a run's (a code agent may call the model more than once). */
function addUsage(total: RunUsage, more: RunUsage): void {
	total.inputTokens = addTokens(total.inputTokens, more.inputTokens);
	total.outputTokens = addTokens(total.outputTokens, more.outputTokens);
	const reasoningTokens = addTokens(total.reasoningTokens, more.reasoningTokens);
	const cachedInputTokens = addTokens(total.cachedInputTokens, more.cachedInputTokens);
	if (reasoningTokens !== undefined) total.reasoningTokens = reasoningTokens;
	if (cachedInputTokens !== undefined) total.cachedInputTokens = cachedInputTokens;
}

/** A safe message about a code agent's failure: an `AppError`'s own message, else a general one. */
function describeAgentError(error: unknown): string {
	return error instanceof AppError ? error.message : 'The agent failed while answering. Try again.';
}

/** Why a run ended, from the last step's finish reason and what is still pending. */
function endReasonOf(finishReason: string, parts: MessagePartsBuilder): RunEndReason {
	if (finishReason === 'length') return 'limit';
	if (finishReason !== 'tool-calls') return 'completed';
	return pendingToolCalls(parts.snapshot()).length > 0 ? 'awaiting-input' : 'limit';
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
