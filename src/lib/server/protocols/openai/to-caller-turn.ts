import { assertFileCount, countFileParts } from '../../files/upload-checks';
import type { CallerTool } from '../../runtime/turn-input';
import type { TurnSettings } from '../../runtime/turn-settings';
import type { AgentWithTools } from '../../services/agents';
import { titleFrom } from '../../services/tasks';
import type { Viewer } from '../../services/viewer';
import type { CallerSeed, CallerTurn, ToolContext } from '../../turns/caller-turn';
import { textOf } from '../../../text-of';
import { planHistory } from './plan-history';
import type { ChatCompletionRequest, OpenAITool } from './request';
import { toStoredMessages, type ConvertedHistory, type StoredDraft } from './to-stored-messages';
import { declaredTools } from '../caller-tools';

/** The caller's `tools` as tools of this turn; `invalid_input` on `tools` for a name used twice or taken by the agent. */
export function toCallerTools(tools: readonly OpenAITool[], agent: Pick<AgentWithTools, 'tools'>): CallerTool[] {
	return declaredTools(
		tools.map((tool) => tool.function),
		agent,
		(index) => `tools.${index}.function.name`
	);
}

/** The request's parameters that tune this turn (`tool_choice`, `response_format`, limits, temperature). */
export function toTurnSettings(body: ChatCompletionRequest): TurnSettings | undefined {
	const settings: TurnSettings = {};
	const choice = body.tool_choice;
	if (choice) settings.toolChoice = typeof choice === 'string' ? choice : { type: 'tool', toolName: choice.function.name };
	const format = body.response_format;
	if (format?.type === 'json_object') settings.output = { type: 'json' };
	if (format?.type === 'json_schema') {
		const { name, description, schema } = format.json_schema;
		settings.output = { type: 'json', name, ...(description ? { description } : {}), ...(schema ? { schema } : {}) };
	}
	const limit = body.max_completion_tokens ?? body.max_tokens;
	if (typeof limit === 'number') settings.maxOutputTokens = limit;
	if (typeof body.temperature === 'number') settings.temperature = body.temperature;
	return Object.keys(settings).length > 0 ? settings : undefined;
}

/** A title for a new task: the first words of the first user message. */
function titleOf(messages: readonly StoredDraft[]): string {
	const first = messages.find((message) => message.role === 'user');
	const text = textOf(first?.parts ?? [], ' ');
	return titleFrom(text) || 'New task';
}

/** The caller's history in stored form, as the agent's tools decide it. */
function converted(body: ChatCompletionRequest, { agent, serverTools }: ToolContext): ConvertedHistory {
	const approvalTools = new Set(agent.tools.filter((tool) => tool.requiresApproval).map((tool) => tool.name));
	return toStoredMessages(body.messages, { serverTools, approvalTools });
}

/**
 * A Chat Completions request (`api.md` §5) as a caller turn. The history the caller sent is
 * stored as a new task, or, with `metadata.task_id`, only what that task does not hold yet is
 * appended to it; without a task id, answers to the agent's own calls continue the caller's task
 * that waits for them. Then the agent answers the history; when it ends with tool results for
 * calls that wait in the task, those continue the same answer.
 */
export function toCallerTurn(body: ChatCompletionRequest, viewer: Viewer): CallerTurn {
	const taskId = body.metadata?.task_id;
	// The history is converted once the agent is known, before the task is looked up.
	let history: ConvertedHistory | undefined;
	const historyFor = (context: ToolContext) => (history ??= converted(body, context));
	const create = { context: body.context ?? null };
	return {
		viewer,
		agent: { kind: 'named', id: body.model, field: 'model' },
		callerTools: (agent) => toCallerTools(body.tools ?? [], agent),
		task:
			taskId === undefined
				? { kind: 'waiting-for', calls: (context) => historyFor(context).serverCalls, create }
				: {
						kind: 'existing',
						id: String(taskId),
						field: 'metadata.task_id',
						otherAgent: {
							code: 'invalid_input',
							message: `The task "${String(taskId)}" belongs to another agent: send that agent as the model.`,
							field: 'model'
						}
					},
		busy: {
			code: 'conflict',
			message: 'This task is already answering. Wait for the answer, or stop it.',
			field: 'metadata.task_id'
		},
		checks: (context) => void historyFor(context),
		seed: (context): CallerSeed => {
			const history = historyFor(context);
			const plan = planHistory(history, context.stored);
			assertFileCount(countFileParts(plan.append.flatMap((draft) => draft.parts)), 'messages');
			return {
				messages: plan.append.map(({ role, parts }) => ({ role, parts })),
				title: titleOf(history.messages),
				ask: plan.kind === 'respond' ? { type: 'respond' } : { type: 'answers', answers: plan.answers }
			};
		},
		ask: { type: 'respond' },
		settings: toTurnSettings(body)
	};
}
