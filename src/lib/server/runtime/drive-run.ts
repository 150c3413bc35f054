/**
 * The running of an answer once its turn has started: the model's stream (or a code agent's
 * `respond`) turned into run events, the answer saved as it streams and stored at its end, the
 * run's time limit, its usage and how it ended.
 */
import {
	convertToModelMessages,
	jsonSchema,
	Output,
	stepCountIs,
	streamText,
	type LanguageModel,
	type ProviderMetadata,
	type ToolSet,
	type UIMessage
} from 'ai';
import type { Config } from '../config';
import type { Db } from '../db';
import { respondInCode } from '../code-agents/respond';
import type { TurnSettings } from './turn-settings';
import type { CodeAgent } from '../code-agents/registry';
import { widgetOfTool } from '../code-agents/define';
import type { Message, MessageStatus, Task } from '../db/schema';
import { AppError } from '../errors';
import { modelCallSettings, type ReasoningSettings } from '../models/provider-options';
import { withFileData } from '../files/model-parts';
import type { AgentWithTools } from '../services/agents';
import { finishAnswerQuery, toUIMessage, updateMessage } from '../services/messages';
import { touchTaskQuery } from '../services/tasks';
import { buildSystemPrompt } from './build-prompt';
import { safeDownload } from './safe-download';
import { describeModelError, isModelCallError } from './describe-model-error';
import type { RunEndReason, RunEvent, RunUsage } from './events';
import { isWidgetPart } from '$lib/widgets/contract';
import { textOf } from '$lib/text-of';
import { MessagePartsBuilder } from './message-parts';
import type { ActiveRun } from './run-registry';
import { StreamSaver } from './stream-saver';
import { pendingToolCalls } from './turn-request';
import { addUsage, runUsageOf } from './run-usage';
import { toRunEvents } from './to-run-events';

/** The longest any run may take, whatever its agent says. */
const MAX_RUN_SECONDS = 86_400;

/** The abort reason of a run stopped by its agent's time limit. */
const RUN_TIMEOUT = 'timeout';

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
	/** How the caller tunes this turn, on top of the agent's settings. */
	settings?: TurnSettings;
}

/**
 * Runs the answer to its end — the model's, or a code agent's `respond` — translating what comes
 * into run events and storing the answer.
 */
export async function driveRun({
	db,
	config,
	run,
	task,
	agent,
	tools,
	model,
	history,
	initialParts,
	codeAgent,
	settings = {}
}: DriveInput): Promise<void> {
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
		const system = buildSystemPrompt(agent, task.context, [
			...history.filter((message) => message.role === 'system').map((message) => textOf(message.parts, ' ')),
			...(settings.instructions ? [settings.instructions] : [])
		]);
		const result = streamText({
			model,
			system: instructions ? [system, instructions].filter(Boolean).join('\n\n') : system,
			messages,
			tools,
			...modelSettingsOf(settings, agent.temperature, reasoning),
			providerOptions: reasoning.providerOptions,
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
				// A step that called tools is stored before the next one starts; the answer's last step is stored with its end, below.
				if (part.finishReason === 'tool-calls') await persist();
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
			finishAnswerQuery(db, run.messageId, {
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

/**
 * The model call settings of a turn: the caller's settings over the agent's. The output limit is
 * the lower of the caller's and the reasoning settings'; the caller's temperature replaces the
 * agent's unless the reasoning settings leave temperature unset. A tool choice of `required` or
 * a named tool holds for the first step only, so that the model can answer once the tool's
 * result is in; `none` holds for every step. A JSON answer asks the model for structured output
 * (its text still streams).
 */
export function modelSettingsOf(
	settings: TurnSettings,
	agentTemperature: number | null | undefined,
	reasoning: Pick<ReasoningSettings, 'maxOutputTokens' | 'dropTemperature'>
): Pick<Parameters<typeof streamText>[0], 'temperature' | 'maxOutputTokens' | 'toolChoice' | 'prepareStep' | 'output'> {
	const limits = [settings.maxOutputTokens, reasoning.maxOutputTokens].filter((limit): limit is number => limit !== undefined);
	const choice = settings.toolChoice;
	const firstStepChoice = choice === undefined || choice === 'auto' || choice === 'none' ? undefined : choice;
	const output = settings.output;
	return {
		temperature: reasoning.dropTemperature ? undefined : (settings.temperature ?? agentTemperature ?? undefined),
		maxOutputTokens: limits.length > 0 ? Math.min(...limits) : undefined,
		...(choice === 'none' ? { toolChoice: 'none' as const } : {}),
		...(firstStepChoice ? { prepareStep: ({ stepNumber }) => (stepNumber === 0 ? { toolChoice: firstStepChoice } : {}) } : {}),
		...(output
			? {
					output: output.schema
						? Output.object({ schema: jsonSchema(output.schema), name: output.name, description: output.description })
						: Output.json({ name: output.name, description: output.description })
				}
			: {})
	};
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
