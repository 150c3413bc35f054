import type { UIMessage } from 'ai';
import { AppError } from '../../errors';
import { assertFileCount, countFileParts } from '../../files/upload-checks';
import { isToolPart, type ToolPart } from '../../runtime/message-parts';
import type { CallerTool } from '../../runtime/turn-input';
import type { ToolCallAnswer } from '../../runtime/turn-request';
import type { TurnSettings } from '../../runtime/turn-settings';
import type { AgentWithTools } from '../../services/agents';
import type { StoredMessage } from '../../services/messages';
import { titleFrom } from '../../services/tasks';
import type { Viewer } from '../../services/viewer';
import type { CallerAsk, CallerSeed, CallerTurn, ToolContext } from '../../turns/caller-turn';
import { textOf } from '../../../text-of';
import type { CreateResponseRequest, ResponsesFunctionToolParam, ResponsesInputItem } from './request';
import { toInputMessages, type InputMessage, type NormalizedInput } from './to-input-messages';
import { declaredTools } from '../caller-tools';

/** The stored response a request continues (`previous_response_id`): its task. */
export interface PreviousResponse {
	taskId: string;
}

/** A Responses request as a caller turn, and what the face reads of it once the agent is known. */
export interface ResponsesTurn {
	turn: CallerTurn;
	/** The tools the turn runs on the server (known once the turn has started). */
	hostedTools(): ReadonlySet<string>;
}

/** The caller's `tools` as tools of this turn; `invalid_input` on `tools.N.name` for a name used twice or taken by the agent. */
export function toCallerTools(tools: readonly ResponsesFunctionToolParam[], agent: Pick<AgentWithTools, 'tools'>): CallerTool[] {
	return declaredTools(tools, agent, (index) => `tools.${index}.name`);
}

/** How the request tunes this turn: `tool_choice`, `max_output_tokens`, `temperature`, `instructions`, `text.format`. */
export function toTurnSettings(body: CreateResponseRequest): TurnSettings {
	const settings: TurnSettings = {};
	const choice = body.tool_choice;
	if (choice) settings.toolChoice = typeof choice === 'string' ? choice : { type: 'tool', toolName: choice.name };
	if (body.max_output_tokens != null) settings.maxOutputTokens = body.max_output_tokens;
	if (body.temperature != null) settings.temperature = body.temperature;
	if (body.instructions) settings.instructions = body.instructions;
	const format = body.text?.format;
	if (format?.type === 'json_object') settings.output = { type: 'json' };
	if (format?.type === 'json_schema') {
		settings.output = {
			type: 'json',
			schema: format.schema,
			name: format.name,
			...(format.description ? { description: format.description } : {})
		};
	}
	return settings;
}

/** `invalid_input` on `tool_choice.name` when the named function is none of the turn's tools. */
function checkToolChoice(body: CreateResponseRequest, context: ToolContext): void {
	const choice = body.tool_choice;
	if (!choice || typeof choice === 'string') return;
	const known = context.serverTools.has(choice.name) || (body.tools ?? []).some((tool) => tool.name === choice.name);
	if (!known) {
		throw new AppError('invalid_input', `The tool "${choice.name}" is neither one of your tools nor one of the agent's.`, {
			field: 'tool_choice.name'
		});
	}
}

/**
 * Tool outputs and approvals as answers to the calls that wait in the task: an approval names its
 * request (`approval_request_id`), which is found among the stored calls; `not_found` on the item
 * otherwise.
 */
export function toAnswers(input: Pick<NormalizedInput, 'toolOutputs' | 'approvals'>, stored: readonly StoredMessage[]): ToolCallAnswer[] {
	const calls = stored.flatMap((message) => (message.parts as (UIMessage['parts'][number] | ToolPart)[]).filter(isToolPart));
	const answers: ToolCallAnswer[] = input.toolOutputs.map(({ toolCallId, output }) => ({ toolCallId, output }));
	for (const approval of input.approvals) {
		const call = calls.findLast((part) => part.approval?.id === approval.approvalId);
		if (!call) {
			throw new AppError('not_found', `No approval request "${approval.approvalId}" waits in the response you continue.`, {
				field: `${approval.field}.approval_request_id`
			});
		}
		answers.push({
			toolCallId: call.toolCallId,
			output: { approved: approval.approved, ...(approval.reason ? { reason: approval.reason } : {}) }
		});
	}
	return answers;
}

/** A title for a new task: the first words of the first user message. */
function titleOf(messages: readonly { role: string; parts: readonly { type: string }[] }[]): string {
	const first = messages.find((message) => message.role === 'user');
	return titleFrom(textOf((first?.parts ?? []) as UIMessage['parts'], ' ')) || 'New task';
}

/**
 * What a Responses request stores and asks for, from its normalised input: the messages before
 * its last user message are stored as history and the last one is the new message (so that its
 * files are checked as any message's are); an input that ends otherwise is stored whole and
 * answered as it stands. Tool outputs and approvals continue the answer that waits for them, and
 * come alone: only with `previous_response_id`.
 */
export function planInput(
	input: NormalizedInput,
	continues: boolean,
	stored: readonly StoredMessage[]
): { messages: InputMessage[]; ask: CallerAsk } {
	const answers = [...input.toolOutputs, ...input.approvals];
	if (answers.length > 0) {
		const first = answers.sort((a, b) => Number(a.field.split('.')[1]) - Number(b.field.split('.')[1]))[0];
		if (!continues) {
			throw new AppError(
				'invalid_input',
				'This item answers a call of an earlier response: send that response’s id as previous_response_id (or the call itself before its output).',
				{ field: first.field }
			);
		}
		const other = input.entries[0];
		if (other) {
			throw new AppError(
				'invalid_input',
				'Send the outputs of your tools’ calls (and approval responses) on their own; send new messages in the next request.',
				{ field: other.field }
			);
		}
		return { messages: [], ask: { type: 'answers', answers: toAnswers(input, stored) } };
	}
	const messages = input.entries.map((entry) => {
		if (entry.kind === 'reference') {
			throw new AppError('invalid_input', `The item reference "${entry.id}" was not resolved.`, { field: entry.field });
		}
		return entry.message;
	});
	const last = messages.at(-1);
	if (last?.role === 'user') return { messages: messages.slice(0, -1), ask: { type: 'message', parts: last.parts } };
	return { messages, ask: { type: 'respond' } };
}

/**
 * The calls of the caller's tools that end the input with their outputs (its last answer's calls,
 * all answered): a client that sends its whole history rather than `previous_response_id` (the
 * AI SDK) answers its calls so. None when the input ends otherwise, or names one of the agent's tools.
 */
export function answeredCallsAtEnd(input: NormalizedInput, serverTools: ReadonlySet<string>): ToolPart[] {
	const last = input.entries.at(-1);
	if (!last || last.kind !== 'message' || last.message.role !== 'assistant') return [];
	const calls = (last.message.parts as (UIMessage['parts'][number] | ToolPart)[]).filter(isToolPart);
	const answered = calls.every((part) => part.state === 'output-available' && !serverTools.has(part.type.slice('tool-'.length)));
	return answered ? calls : [];
}

/**
 * A Responses request (`POST /v1/responses`) as a caller turn. `model` names the agent. Without
 * `previous_response_id` the turn makes a new task holding the input; with it, the turn continues
 * that response's task: the input is what is new (messages, or the outputs of the caller's calls
 * and approval responses, which continue the answer that waits for them). An input without it
 * that ends with the caller's calls and their outputs continues the caller's task that waits for
 * exactly those calls, when there is one (the rest of the input is that task's history, sent
 * again). `items` is the input with its `item_reference` items already resolved to the items
 * they name.
 */
export function toCallerTurn(
	body: CreateResponseRequest,
	items: readonly ResponsesInputItem[],
	viewer: Viewer,
	previous: PreviousResponse | null,
	positions?: readonly number[]
): ResponsesTurn {
	let known: ToolContext | undefined;
	let normalized: NormalizedInput | undefined;
	const inputFor = (context: ToolContext) => (normalized ??= toInputMessages(items, { serverTools: context.serverTools, positions }));
	const turn: CallerTurn = {
		viewer,
		agent: { kind: 'named', id: body.model, field: 'model' },
		callerTools: (agent) => toCallerTools(body.tools ?? [], agent),
		task: previous
			? {
					kind: 'existing',
					id: previous.taskId,
					field: 'previous_response_id',
					otherAgent: {
						code: 'invalid_input',
						message: 'The response you continue belongs to another agent: send that agent as the model.',
						field: 'model'
					}
				}
			: {
					kind: 'waiting-for',
					calls: (context) =>
						answeredCallsAtEnd(inputFor(context), context.serverTools).map((part) => ({
							toolCallId: part.toolCallId,
							toolName: part.type.slice('tool-'.length),
							input: part.input
						})),
					create: { context: body.context ?? null }
				},
		busy: {
			code: 'conflict',
			message: 'The response you continue is still answering. Wait for it, or cancel it.',
			field: 'previous_response_id'
		},
		checks: (context) => {
			known = context;
			checkToolChoice(body, context);
			inputFor(context);
		},
		files: { field: 'input' },
		seed: (context): CallerSeed => {
			if (!previous && context.stored) {
				const answers = answeredCallsAtEnd(inputFor(context), context.serverTools);
				return { messages: [], ask: { type: 'answers', answers: answers.map(({ toolCallId, output }) => ({ toolCallId, output })) } };
			}
			const plan = planInput(inputFor(context), previous !== null, context.stored ?? []);
			assertFileCount(countFileParts(plan.messages.flatMap((message) => message.parts)), 'input');
			const all = plan.ask.type === 'message' ? [...plan.messages, { role: 'user' as const, parts: plan.ask.parts }] : plan.messages;
			return {
				messages: plan.messages.map(({ role, parts }) => ({ role, parts })),
				...(previous ? {} : { title: titleOf(all) }),
				ask: plan.ask
			};
		},
		ask: { type: 'respond' },
		settings: toTurnSettings(body)
	};
	return { turn, hostedTools: () => known?.serverTools ?? new Set() };
}
